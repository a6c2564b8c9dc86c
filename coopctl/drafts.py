"""Drafts of `coopctl add`: answers kept outside the registry, to be resumed later.

A draft is what an editor answered for one new entity or event, kept when the answers did
not make a clean registry yet, or when the editor stopped. Drafts live in the user's state
folder, never in a registry: $COOPCTL_DRAFT_DIR, else $XDG_STATE_HOME/coopctl/drafts, else
~/.local/state/coopctl/drafts (relative values are ignored). The rules of the cache folder
(`coopctl.cachedir`) apply: a folder inside the registry or a git work tree around it is not
used, the folder is 0700 and each draft 0600, written whole, and a draft that is not this
user's own is not read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coopctl.cachedir import outside_work_trees, read_private, write_private
from coopctl.errors import UsageError
from coopctl.i18n import _

DRAFT_ENV = "COOPCTL_DRAFT_DIR"
_NAME = re.compile(r"[0-9]{8}-[0-9]{6}-[a-z]+(-[a-z0-9]+)*", re.ASCII)
_KINDS = frozenset({"partner", "agreement", "solution", "event"})


@dataclass(frozen=True)
class Draft:
    """`kind` is partner, agreement, solution or event; `agreement` names an event's."""

    kind: str
    data: dict[str, Any]
    agreement: str | None = None


def draft_directory(root: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    environ = os.environ if environ is None else environ
    configured: Path | None = None
    for name, tail in ((DRAFT_ENV, ()), ("XDG_STATE_HOME", ("coopctl", "drafts"))):
        value = environ.get(name, "")
        if Path(value).is_absolute():
            configured = Path(value).joinpath(*tail)
            break
    else:
        try:
            configured = Path.home() / ".local" / "state" / "coopctl" / "drafts"
        except (RuntimeError, KeyError):
            configured = None
    return outside_work_trees(configured, root, environ)


def save(root: Path, draft: Draft, now: datetime) -> str:
    """Keep `draft`; its name. UsageError when there is no private folder for drafts."""
    folder = draft_directory(root)
    if folder is None:
        raise UsageError(
            _("no folder for drafts outside the registry"),
            hint=_(
                "set {variable} or XDG_STATE_HOME to an absolute path outside the work tree"
            ).format(variable=DRAFT_ENV),
        )
    from coopctl.forms import slug

    data = draft.data
    what = draft.agreement if draft.kind == "event" else data.get("id") or data.get("name")
    tail = slug(str(what or data.get("title") or ""))[:40].strip("-")
    stem = f"{now:%Y%m%d-%H%M%S}-{draft.kind}" + (f"-{tail}" if tail else "")
    name, number = stem, 2
    while (folder / f"{name}.json").exists():
        name, number = f"{stem}-{number}", number + 1
    body = {"kind": draft.kind, "agreement": draft.agreement, "data": data}
    text = json.dumps(body, ensure_ascii=False, indent=1, default=str) + "\n"
    if not write_private(folder / f"{name}.json", text.encode("utf-8")):
        raise UsageError(
            _("{folder}: cannot keep the draft there (not a private folder)").format(folder=folder)
        )
    return name


def names(root: Path) -> list[str]:
    """The drafts kept, oldest first."""
    folder = draft_directory(root)
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if _NAME.fullmatch(p.stem))


def load(root: Path, name: str) -> Draft:
    folder = draft_directory(root)
    raw = read_private(folder / f"{name}.json") if folder and _NAME.fullmatch(name) else None
    if raw is None:
        kept = ", ".join(names(root)) or _("none")
        raise UsageError(
            _("no draft '{name}'").format(name=name), hint=_("drafts: {names}").format(names=kept)
        )
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if (
        not isinstance(body, dict)
        or body.get("kind") not in _KINDS
        or not isinstance(body.get("data"), dict)
        or not isinstance(body.get("agreement"), str | None)
    ):
        raise UsageError(
            _("draft '{name}' cannot be read").format(name=name),
            hint=_("remove {file}").format(file=f"{folder}/{name}.json"),
        )
    return Draft(str(body["kind"]), body["data"], body.get("agreement"))


def remove(root: Path, name: str) -> None:
    folder = draft_directory(root)
    if folder is not None:
        (folder / f"{name}.json").unlink(missing_ok=True)
