"""coopctl's message catalogs: compiled when the package is built or installed, and kept up to
date from the code.

    python hatch_build.py update    # write coopctl/schema_texts.py, then extract the messages
                                    # of coopctl/ into the catalogs
    python hatch_build.py compile   # compile coopctl/locale/*/LC_MESSAGES/coopctl.po to .mo
    python hatch_build.py check     # exit 1 if a catalog is out of date, incomplete or fuzzy

The English catalog starts each new message as its own translation; the German one leaves it
empty until it is translated (and `check` fails until then). As a hatchling build hook
(pyproject.toml: [tool.hatch.build.hooks.custom]) it compiles the catalogs into every wheel,
editable installs included.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent
PACKAGE = "coopctl"
DOMAIN = "coopctl"
LANGUAGES = ("de", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
HEADER = "coopctl's messages. Codes, JSON keys and YAML values are never translated."


SCHEMA_TEXT_KEYS = ("description", "title", "x-question")
SCHEMA_TEXTS_MODULE = f"{PACKAGE}/schema_texts.py"
SCHEMA_TEXTS_DOC = '''"""The texts for people in coopctl's own schemas, marked for the catalogs.

Every `description`, `title` and `x-question` and every value of `x-enum-descriptions`, by
schema file (schemas/*.json) and then in document order, each once.
`coopctl.schemas.schema_text` shows a text of a registry's schemas translated where it is one
of these. Written by `python hatch_build.py update`; do not edit (`hatch_build.py check` fails
when it is out of date with the schemas).
"""'''


def locale_dir(root: Path = ROOT) -> Path:
    return root / PACKAGE / "locale"


def po_path(lang: str, root: Path = ROOT) -> Path:
    return locale_dir(root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def schema_texts(root: Path = ROOT) -> list[str]:
    """The texts for people in the schemas of `root`, each once (see SCHEMA_TEXTS_DOC)."""
    found: dict[str, None] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SCHEMA_TEXT_KEYS and isinstance(value, str):
                    found.setdefault(value, None)
                elif key == "x-enum-descriptions" and isinstance(value, dict):
                    for text in value.values():
                        if isinstance(text, str):
                            found.setdefault(text, None)
                else:
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    for path in sorted((root / "schemas").glob("*.json")):
        visit(json.loads(path.read_text(encoding="utf-8")))
    return [text for text in found if text.strip()]


def _literal(text: str) -> str:
    """`text` as a Python string literal the way ruff format writes it."""
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if '"' in text and "'" not in text:
        return f"'{escaped}'"
    return '"' + escaped.replace('"', '\\"') + '"'


def _item(text: str) -> str:
    """One line of the tuple, or three where it would be longer than ruff's 100 characters."""
    line = f"    N_({_literal(text)}),"
    return line if len(line) <= 100 else f"    N_(\n        {_literal(text)}\n    ),"


def schema_texts_source(root: Path = ROOT) -> str:
    """The module `coopctl/schema_texts.py` for the schemas of `root`."""
    lines = [
        "# ruff: noqa: E501",
        SCHEMA_TEXTS_DOC,
        "",
        "from coopctl.i18n import N_",
        "",
        "TEXTS: tuple[str, ...] = (",
        *(_item(text) for text in schema_texts(root)),
        ")",
    ]
    return "\n".join(lines) + "\n"


def write_schema_texts(root: Path = ROOT) -> None:
    """Write coopctl/schema_texts.py from the schemas (nothing where `root` has none)."""
    if (root / "schemas").is_dir():
        (root / SCHEMA_TEXTS_MODULE).write_text(schema_texts_source(root), encoding="utf-8")


def _schema_texts_current(root: Path) -> bool:
    if not (root / "schemas").is_dir():
        return True
    path = root / SCHEMA_TEXTS_MODULE
    return path.is_file() and path.read_text(encoding="utf-8") == schema_texts_source(root)


def template(root: Path = ROOT) -> Catalog:
    """Every message of the code, in the order the files and lines have them."""
    catalog = Catalog(project=PACKAGE, header_comment=f"# {HEADER}", fuzzy=False)
    found = extract_from_dir(
        str(root / PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for _filename, _lineno, message, comments, context in found:
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def _read(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, project=PACKAGE, header_comment=f"# {HEADER}", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=True, omit_header=False, ignore_obsolete=True)
    return out.getvalue()


def updated(lang: str, root: Path = ROOT) -> bytes:
    """The catalog of `lang` with the code's messages now: new ones added (English: as their
    own translation), gone ones dropped, translations kept."""
    catalog = _read(po_path(lang, root), lang)
    catalog.update(template(root), no_fuzzy_matching=True)
    catalog.revision_date = catalog.creation_date = catalog.creation_date.replace(
        year=2026, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    catalog.fuzzy = False
    catalog.project, catalog.version = PACKAGE, ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.language_team = PACKAGE
    for message in catalog:
        if not message.id:
            continue
        if lang == "en" and not _translated(message.string):
            message.string = message.id
    return _po_bytes(catalog)


def _translated(string: Any) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def update(root: Path = ROOT) -> None:
    write_schema_texts(root)
    for lang in LANGUAGES:
        path = po_path(lang, root)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(updated(lang, root))


def problems(root: Path = ROOT) -> list[str]:
    """What is wrong with the catalogs: out of date with the code, untranslated, fuzzy."""
    found: list[str] = []
    if not _schema_texts_current(root):
        found.append(f"{SCHEMA_TEXTS_MODULE}: out of date (python hatch_build.py update)")
    for lang in LANGUAGES:
        path = po_path(lang, root)
        if not path.exists() or path.read_bytes() != updated(lang, root):
            found.append(f"{path.relative_to(root)}: out of date (python hatch_build.py update)")
        catalog = _read(path, lang)
        for message in catalog:
            if not message.id:
                continue
            shown = message.id if isinstance(message.id, str) else message.id[0]
            if message.fuzzy:
                found.append(f"{path.relative_to(root)}: fuzzy: {shown!r}")
            elif not _translated(message.string):
                found.append(f"{path.relative_to(root)}: untranslated: {shown!r}")
    return found


def compile_catalogs(root: Path = ROOT) -> list[Path]:
    written = []
    for lang in LANGUAGES:
        source = po_path(lang, root)
        if not source.exists():
            continue
        catalog = _read(source, lang)
        target = source.with_suffix(".mo")
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        if not target.exists() or target.read_bytes() != out.getvalue():
            # A reader (another test process) sees the old file or the new one, never half.
            partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            partial.write_bytes(out.getvalue())
            partial.replace(target)
        written.append(target)
    return written


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # used as a script without hatchling
    pass
else:

    class CatalogBuildHook(BuildHookInterface):  # type: ignore[type-arg]
        """Compile the catalogs before hatchling collects the package's files."""

        PLUGIN_NAME = "custom"

        def initialize(self, version: str, build_data: dict[str, Any]) -> None:
            for path in compile_catalogs(Path(self.root)):
                build_data["artifacts"].append(str(path.relative_to(self.root)))


def _main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        update()
        return 0
    if command == "compile":
        for path in compile_catalogs():
            print(path.relative_to(ROOT))
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
