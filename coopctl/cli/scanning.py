"""Code-scanning formats for `validate` and `check`: SARIF 2.1.0 (GitHub code scanning and other
SARIF consumers) and GitLab Code Quality.

Both identify a finding across runs by a fingerprint made of its code, its path from the top of
the repository and its JSON pointer (its entity where it has no pointer), never its message:
messages may name the day of the run (D002) and their wording may change, and either would make
a finding look fixed and found again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from rich.console import Console

from coopctl import __version__
from coopctl.codes import CODES, CodeInfo
from coopctl.errors import UsageError
from coopctl.escaping import to_json
from coopctl.i18n import _
from coopctl.model import Problem, Severity

if TYPE_CHECKING:
    from coopctl.gate import GateResult
    from coopctl.validation import ValidateResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "coopctl/v2"  # v1 hashed the message
DOCS_URL_VARIABLE = "COOPCTL_DOCS_URL"
# Characters a path segment keeps as they are (RFC 3986 pchar less ':', which in the first
# segment of a relative reference would read as a scheme); everything else is percent-encoded.
_SEGMENT_SAFE = "-._~!$&'()*+,;=@"


@dataclass(frozen=True)
class Finding:
    """A problem as code scanning sees it."""

    problem: Problem
    path: str  # relative to the top of the repository, '/'-separated, not encoded
    fingerprint: str
    baseline: str | None = None  # SARIF baselineState: 'new' or 'unchanged' (check only)


def _order(problem: Problem) -> tuple[str, int, int, str, str, str, str]:
    """A total order, so that output never depends on the order problems were found in."""
    return (*problem.sort_key, problem.pointer or "", problem.entity or "", problem.message)


def findings(
    problems: Iterable[Problem], prefix: str, baseline: Callable[[Problem], str] | None = None
) -> list[Finding]:
    """Problems with their repository paths and fingerprints. Findings that share code, path
    and pointer (or entity) are told apart by their place among each other."""
    seen: Counter[tuple[str, ...]] = Counter()
    found = []
    for problem in sorted(problems, key=_order):
        path = prefix + problem.path
        if problem.pointer is not None:
            where = ("pointer", problem.pointer)
        else:
            where = ("entity", problem.entity or "")
        identity = (problem.code, path, *where)
        occurrence = seen[identity]
        seen[identity] += 1
        text = json.dumps([*identity, occurrence], ensure_ascii=True)
        digest = hashlib.sha256(text.encode("ascii")).hexdigest()[:32]
        state = baseline(problem) if baseline is not None else None
        found.append(Finding(problem, path, digest, state))
    return found


def validate_findings(result: ValidateResult) -> list[Finding]:
    return findings(result.problems, repository_prefix(result.root))


def check_findings(result: GateResult) -> list[Finding]:
    return findings(
        result.problems,
        result.repo_prefix,
        lambda problem: "new" if result.is_new(problem) else "unchanged",
    )


def repository_prefix(root: Path) -> str:
    """The registry root relative to the top of the git work tree that holds it ('' when it is
    the top, or when it is not in git: then the registry root is the base of the paths)."""
    from coopctl.gitstore import GitStore

    try:
        return GitStore(root).prefix
    except UsageError:
        return ""


# --- URIs ---------------------------------------------------------------------------------------


def _name_bytes(text: str) -> bytes:
    """A file name as the bytes it has on disk: a name that is not valid UTF-8 comes from the
    file system with its bytes as lone surrogates (PEP 383)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def relative_uri(path: str) -> str:
    """A '/'-separated relative path as an RFC 3986 relative reference: every segment
    percent-encoded as UTF-8 (a name that is not valid UTF-8 keeps its original bytes)."""
    return "/".join(quote(_name_bytes(segment), safe=_SEGMENT_SAFE) for segment in path.split("/"))


def _text(value: str) -> str:
    """Text that JSON can carry as Unicode: a lone surrogate (from a name that is not valid
    UTF-8) becomes U+FFFD, the replacement character."""
    return _name_bytes(value).decode("utf-8", "replace")


def _absolute_url(value: str) -> str | None:
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", value):
        return None
    return value


def _project_urls() -> dict[str, str]:
    """The installed package's Project-URL entries by label, labels normalised as PEP 753
    says (lower case, no punctuation or spaces)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("coopctl")
    except PackageNotFoundError:
        return {}
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        urls.setdefault(re.sub(r"[^a-z0-9]", "", label.lower()), url.strip())
    for home in meta.get_all("Home-page") or []:
        urls.setdefault("homepage", str(home).strip())
    return urls


@dataclass(frozen=True)
class Links:
    """Where the documentation lives: `docs` is the address of the folder that holds
    problems.md; either may be unknown, and then SARIF leaves out what needs it."""

    docs: str | None
    home: str | None

    def help_uri(self, info: CodeInfo) -> str | None:
        if self.docs is None:
            return None
        return f"{self.docs.rstrip('/')}/problems.md#{problem_anchor(info)}"

    @property
    def information_uri(self) -> str | None:
        return self.home or self.docs


def project_links(environ: Mapping[str, str] | None = None) -> Links:
    """$COOPCTL_DOCS_URL, else the package's 'Documentation' URL, as the docs folder; the
    package's 'Homepage' URL as the tool's home. A bad $COOPCTL_DOCS_URL is a usage error."""
    environ = os.environ if environ is None else environ
    urls = _project_urls()
    docs = urls.get("documentation")
    configured = environ.get(DOCS_URL_VARIABLE)
    if configured:
        docs = _absolute_url(configured)
        if docs is None:
            raise UsageError(
                _("${variable} is not an absolute http(s) URL: {value}").format(
                    variable=DOCS_URL_VARIABLE, value=repr(configured)
                ),
                hint=_("set it to the address of the folder that holds problems.md, or unset it"),
            )
    elif docs is not None:
        docs = _absolute_url(docs)
    home = urls.get("homepage")
    return Links(docs, _absolute_url(home) if home else None)


def problem_anchor(info: CodeInfo) -> str:
    """The anchor GitHub gives the heading of a code in docs/problems.md: lower case, without
    punctuation other than '-' and '_', spaces as '-'."""
    heading = f"{info.code} `{info.name}` ({info.severity.value})"
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


# --- SARIF --------------------------------------------------------------------------------------


def _shown(text: str) -> str:
    """A code's text in the language of the run (never the catalog's header for "")."""
    return _(text) if text else text


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _rule(info: CodeInfo, links: Links) -> dict[str, object]:
    rule: dict[str, object] = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": _shown(info.summary)},
        "fullDescription": {"text": _shown(info.explanation)},
        "help": {"text": _shown(info.fix)},
        "defaultConfiguration": {"level": _level(info.severity)},
    }
    help_uri = links.help_uri(info)
    if help_uri is not None:
        rule["helpUri"] = help_uri
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, object]:
    problem = finding.problem
    result: dict[str, object] = {
        "ruleId": problem.code,
        "ruleIndex": rule_index,
        "level": _level(problem.severity),
        "message": {"text": _text(problem.message)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": relative_uri(finding.path), "uriBaseId": SRCROOT},
                    "region": {
                        "startLine": max(problem.line, 1),
                        "startColumn": max(problem.column, 1),
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.baseline is not None:
        result["baselineState"] = finding.baseline
    return result


def sarif_log(found: list[Finding], links: Links) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run: the rules of the codes found, then the results."""
    used = sorted({f.problem.code for f in found})
    driver: dict[str, object] = {"name": "coopctl", "version": __version__}
    if links.information_uri is not None:
        driver["informationUri"] = links.information_uri
    driver["rules"] = [_rule(CODES[code], links) for code in used]
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": _(
                        "The top of the git work tree that holds the registry (the "
                        "registry root when it is not in git)."
                    )
                }
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, used.index(f.problem.code)) for f in found],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


# --- GitLab Code Quality ------------------------------------------------------------------------


def gitlab_report(found: list[Finding]) -> list[dict[str, object]]:
    """GitLab Code Quality entries; paths are plain repository paths (the JSON encoder
    escapes what JSON needs)."""
    return [
        {
            "description": f"{f.problem.code} {_text(f.problem.message)}",
            "check_name": CODES[f.problem.code].name,
            "fingerprint": f.fingerprint,
            "severity": "major" if f.problem.severity is Severity.ERROR else "minor",
            "location": {"path": _text(f.path), "lines": {"begin": max(f.problem.line, 1)}},
        }
        for f in found
    ]


# --- reporters ----------------------------------------------------------------------------------


def _write(console: Console, document: object) -> None:
    console.file.write(to_json(document) + "\n")


def report_sarif(console: Console, result: ValidateResult, **_: object) -> None:
    _write(console, sarif_log(validate_findings(result), project_links()))


def report_gitlab(console: Console, result: ValidateResult, **_: object) -> None:
    _write(console, gitlab_report(validate_findings(result)))


def report_check_sarif(console: Console, result: GateResult, **_: object) -> None:
    _write(console, sarif_log(check_findings(result), project_links()))


def report_check_gitlab(console: Console, result: GateResult, **_: object) -> None:
    _write(console, gitlab_report(check_findings(result)))
