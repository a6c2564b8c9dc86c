"""`coopctl init`: the files of a new, empty registry.

The files come from coopctl's own schemas and from templates shipped in the package, so a
wheel installation scaffolds exactly what a checkout does. Nothing that exists is ever
overwritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from coopctl import __version__
from coopctl.errors import UsageError
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
            f"--ci-requirement {text!r}: not one pip requirement line",
            hint="for example --ci-requirement 'coopctl @ git+https://github.com/<owner>/"
            f"coopctl@v{__version__}'",
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


def existing(root: Path, files: list[ScaffoldFile]) -> list[str]:
    """The scaffold paths that exist already under `root`."""
    return [f.path for f in files if (root / f.path).exists() or (root / f.path).is_symlink()]
