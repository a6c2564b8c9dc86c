"""`coopctl init`: the files of a new, empty registry.

The files come from coopctl's own schemas and from templates shipped in the package, so a
wheel installation scaffolds exactly what a checkout does. A folder that has some of the files
already (a new forge repository with a README, a .gitignore, CI files) gets the missing ones;
nothing that exists is ever overwritten, and only a .gitignore is added to (coopctl's one
ignore line).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from coopctl import __version__
from coopctl.errors import CoopctlError, UsageError
from coopctl.fsio import describe_os_error
from coopctl.i18n import N_, _
from coopctl.model import FOLDER_OF_KIND
from coopctl.schemas import bundled_schema_dir

TEMPLATES = Path(__file__).resolve().parent / "templates"
KEEP = ".gitkeep"
REQUIREMENTS_FILE = "coopctl-requirements.txt"
# (template, target): the CI files run templates/install-coopctl.sh where they say @INSTALL@.
TEMPLATE_TARGETS = (
    ("README.md", "README.md"),
    ("gitignore", ".gitignore"),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("coopctl-requirements.txt", REQUIREMENTS_FILE),
    ("github-workflow.yml", ".github/workflows/coopctl.yml"),
    ("gitlab-ci.yml", ".gitlab-ci.yml"),
)
_INSTALL_LINE = re.compile(r"^( *)@INSTALL@\n", re.MULTILINE)


@dataclass(frozen=True)
class ScaffoldFile:
    path: str  # relative to the new registry's root
    content: bytes


def scaffold_files(ci_requirement: str | None = None) -> list[ScaffoldFile]:
    """Every file of a new registry, in the order they are written. `ci_requirement` is the
    pip requirement CI installs coopctl from (None: none is written, CI asks for one)."""
    files = [
        ScaffoldFile(f"schemas/{schema.name}", schema.read_bytes())
        for schema in sorted(bundled_schema_dir().glob("*.schema.json"))
    ]
    files += [ScaffoldFile(f"registry/{folder}/{KEEP}", b"") for folder in FOLDER_OF_KIND.values()]
    install = (TEMPLATES / "install-coopctl.sh").read_text(encoding="utf-8")
    for template, target in TEMPLATE_TARGETS:
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        text = _INSTALL_LINE.sub(lambda match: _indented(install, match.group(1)), text)
        text = text.replace("@REQUIREMENT@\n", f"{ci_requirement}\n" if ci_requirement else "")
        files.append(ScaffoldFile(target, text.replace("@VERSION@", __version__).encode()))
    return files


def _indented(text: str, indent: str) -> str:
    return "".join(f"{indent}{line}" if line.strip() else line for line in text.splitlines(True))


def checked_requirement(text: str) -> str:
    """A requirement given on the command line, as one line of a pip requirements file."""
    requirement = text.strip()
    if not requirement or requirement.startswith(("#", "-")) or not requirement.isprintable():
        raise UsageError(
            _("--ci-requirement {text}: not one pip requirement line").format(text=repr(text)),
            hint=_(
                "for example --ci-requirement 'coopctl @ git+https://github.com/<owner>/"
                "coopctl@v{version}'"
            ).format(version=__version__),
        )
    return requirement


def installed_requirement() -> str | None:
    """The pip requirement that installs this same coopctl elsewhere, where that can be told
    from how it was installed (PEP 610's direct_url.json); None for a local folder or file."""
    from importlib import metadata

    try:
        distribution = metadata.distribution("coopctl")
    except metadata.PackageNotFoundError:
        return None
    return requirement_from_direct_url(distribution.read_text("direct_url.json"), __version__)


def requirement_from_direct_url(direct_url: str | None, version: str) -> str | None:
    """`coopctl==VERSION` for an installation from a package index (no direct_url.json), the
    git URL at the installed commit or the archive URL for one from the network, else None."""
    if direct_url is None:
        return f"coopctl=={version}"
    try:
        info = json.loads(direct_url)
    except ValueError:
        return None
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(url, str) or url.startswith("file:") or not url.isprintable():
        return None
    if any(character.isspace() for character in url) or _has_password(url):
        return None  # a password must not end up in a committed file
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") != "git" or not isinstance(commit, str) or not commit.isalnum():
            return None
        return f"coopctl @ git+{url}@{commit}"
    if isinstance(info.get("archive_info"), dict):
        return f"coopctl @ {url}"
    return None


def _has_password(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).password is not None
    except ValueError:
        return True


# The .gitignore line that keeps coopctl's own temporary files out of git: appended to a
# .gitignore that lacks it. The template's other lines (a Python environment, report and export
# output) may name folders a project keeps, so they are written only into a new .gitignore.
GITIGNORE = ".gitignore"
IGNORE_TEMPORARY = (
    b"# coopctl's temporary and lock files (left only by a killed writer; the next write "
    b"removes them)\n.*.coopctl-*.tmp\n"
)

# What keeping a file that differs from coopctl's means for the registry, by path (a schema
# by its folder).
_KEPT_NOTES = {
    "schemas/": N_(
        "differs from coopctl's schema: validate and check read this file, so the "
        "registry is checked against it, not against the rules of this coopctl"
    ),
    ".github/workflows/coopctl.yml": N_(
        "differs from coopctl's workflow: GitHub runs it as it "
        "is, so pull requests may not be checked by 'coopctl check' (coopctl's docs/ci.md shows "
        "the workflow)"
    ),
    ".gitlab-ci.yml": N_(
        "GitLab runs this file as it is, without coopctl's jobs: add them (or "
        "include coopctl's CI/CD component, see coopctl's docs/ci.md) to check merge requests"
    ),
    ".pre-commit-config.yaml": N_(
        "pre-commit runs this file as it is: add the coopctl-validate "
        "and coopctl-fmt hooks to it to run them before each commit"
    ),
    REQUIREMENTS_FILE: N_("CI installs coopctl from this file as it is"),
}


@dataclass(frozen=True)
class Placement:
    """What init does with one scaffold file: `create` it, `keep` the file that is there, or
    `append` coopctl's ignore line to it; `note` says what keeping it means, where it matters."""

    file: ScaffoldFile
    action: str
    note: str | None = None


def plan_scaffold(root: Path, files: list[ScaffoldFile]) -> list[Placement]:
    """Decide, before anything is written, what happens to each scaffold file under `root`.
    CoopctlError (nothing written) if `root` holds a registry already, or if a path on the
    way to a file is a symbolic link, a file where a folder belongs or a folder (or other
    non-file) where a file belongs: init never writes through those."""
    if (root / "registry").is_dir() and (root / "schemas").is_dir():
        raise CoopctlError(
            _(
                "{root}: registry/ and schemas/ exist already, so this folder holds a registry; "
                "nothing was written"
            ).format(root=root),
            hint=_("run 'coopctl validate' there, or choose a folder without a registry"),
        )
    blocked: dict[str, str] = {}
    for file in files:
        blocked.update(_blockers(root, file.path))
    if blocked:
        listed = "; ".join(reason for _path, reason in sorted(blocked.items()))
        raise CoopctlError(
            _("{root}: {listed}; nothing was written").format(root=root, listed=listed),
            hint=_(
                "init writes no file through a link and replaces no folder or file: move "
                "them away, then run init again"
            ),
        )
    return [_placement(root, file) for file in files]


def _blockers(root: Path, relative: str) -> dict[str, str]:
    parts = relative.split("/")
    found: dict[str, str] = {}
    for depth in range(1, len(parts) + 1):
        shown = "/".join(parts[:depth])
        path = root.joinpath(*parts[:depth])
        last = depth == len(parts)
        if path.is_symlink():
            found[shown] = _("{path} is a symbolic link").format(path=shown)
        elif not path.exists():
            break
        elif not last and not path.is_dir():
            found[shown] = _("{path} is a file where a folder belongs").format(path=shown)
        elif last and path.is_dir():
            found[shown] = _("{path} is a folder where a file belongs").format(path=shown)
        elif last and not path.is_file():
            found[shown] = _("{path} is not a regular file").format(path=shown)
        if shown in found:
            break
    return found


def _placement(root: Path, file: ScaffoldFile) -> Placement:
    path = root / file.path
    if not path.exists():
        return Placement(file, "create")
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CoopctlError(
            _("{path}: cannot read: {reason}").format(path=path, reason=describe_os_error(exc))
        ) from None
    if file.path == GITIGNORE:
        present = {line.strip() for line in content.splitlines()}
        if b".*.coopctl-*.tmp" not in present:
            return Placement(file, "append")
        return Placement(file, "keep")
    if content == file.content:
        return Placement(file, "keep")
    key = "schemas/" if file.path.startswith("schemas/") else file.path
    note = _KEPT_NOTES.get(key)
    return Placement(file, "keep", _(note) if note else None)


def appended_ignore(before: bytes) -> bytes:
    """`before` (a .gitignore) with coopctl's ignore line added at its end, in the line
    endings the file has."""
    newline = b"\r\n" if b"\r\n" in before else b"\n"
    separator = newline if before and not before.endswith(b"\n") else b""
    return before + separator + IGNORE_TEMPORARY.replace(b"\n", newline)
