"""coopctl's message catalogs: compiled when the package is built or installed, and kept up to
date from the code.

    python hatch_build.py update    # extract the messages of coopctl/ into the catalogs
    python hatch_build.py compile   # compile coopctl/locale/*/LC_MESSAGES/coopctl.po to .mo
    python hatch_build.py check     # exit 1 if a catalog is out of date, incomplete or fuzzy

The English catalog starts each new message as its own translation; the German one leaves it
empty until it is translated (and `check` fails until then). As a hatchling build hook
(pyproject.toml: [tool.hatch.build.hooks.custom]) it compiles the catalogs into every wheel,
editable installs included.
"""

from __future__ import annotations

import io
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


def locale_dir(root: Path = ROOT) -> Path:
    return root / PACKAGE / "locale"


def po_path(lang: str, root: Path = ROOT) -> Path:
    return locale_dir(root) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


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
    for text in schema_texts(root / "schemas"):
        catalog.add(text, None, auto_comments=["from schemas/"])
    return catalog


def schema_texts(folder: Path) -> list[str]:
    """The titles, descriptions (white space folded, as coopctl.forms reads them) and yes/no
    questions (`x-question`) of the schemas' fields, which `coopctl add` shows with its
    questions, in the order the files have them."""
    import json

    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"title", "description", "x-question"} and isinstance(value, str):
                    found.append(" ".join(value.split()))
                elif key != "examples":
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    for path in sorted(folder.glob("*.schema.json")):
        visit(json.loads(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(found))


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
    for lang in LANGUAGES:
        path = po_path(lang, root)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(updated(lang, root))


def problems(root: Path = ROOT) -> list[str]:
    """What is wrong with the catalogs: out of date with the code, untranslated, fuzzy."""
    found: list[str] = []
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
            target.write_bytes(out.getvalue())
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
