"""A registry's own settings: `coopctl.toml` beside `registry/` and `schemas/`.

    # coopctl.toml
    language = "de"   # the default language of this registry's texts: "de" or "en"

The file is optional; every setting has a default. A file that is not valid TOML, or a setting
with a wrong value, is a usage error (exit 2) with file:line:column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coopctl.errors import UsageError
from coopctl.escaping import plain
from coopctl.i18n import LANGUAGES, _

CONFIG_FILE = "coopctl.toml"
MAX_CONFIG_BYTES = 64 * 1024
_KNOWN = frozenset({"language"})
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Config:
    language: str | None = None


def config_bytes(root: Path) -> bytes | None:
    """The bytes of `root`'s coopctl.toml, None when there is none (a link or folder there is
    refused like any registry file would be)."""
    path = root / CONFIG_FILE
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_symlink() or not path.is_file():
        raise UsageError(
            _("{path}: not a regular file").format(path=plain(str(path))), code="config"
        )
    with path.open("rb") as handle:
        raw = handle.read(MAX_CONFIG_BYTES + 1)
    if len(raw) > MAX_CONFIG_BYTES:
        raise UsageError(
            _("{path}: larger than 64 KiB").format(path=plain(str(path))), code="config"
        )
    return raw


def read_config(root: Path) -> Config:
    raw = config_bytes(root)
    if raw is None:
        return Config()
    import tomllib  # only for a registry that has the file

    where = plain(str(root / CONFIG_FILE))
    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UsageError(
            _("{path}:1:{column}: not valid UTF-8").format(path=where, column=exc.start + 1),
            code="config",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line, column = (found.group(1), found.group(2)) if found else ("1", "1")
        raise UsageError(
            _("{path}:{line}:{column}: not valid TOML").format(
                path=where, line=line, column=column
            ),
            hint=plain(_TOML_POSITION.sub("", str(exc)).strip()),
            code="config",
        ) from None
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise UsageError(
            _("{path}: unknown setting {name}").format(path=where, name=plain(unknown[0])),
            hint=_("known settings: {names}").format(names=", ".join(sorted(_KNOWN))),
            code="config",
        )
    language = table.get("language")
    if language is not None and language not in LANGUAGES:
        raise UsageError(
            _("{path}: language must be one of {choices}, not {value}").format(
                path=where, choices=", ".join(LANGUAGES), value=plain(repr(language))
            ),
            code="config",
        )
    return Config(language=language)
