"""The message catalogs: complete, current with the code, compiled into every build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from babel.messages.pofile import read_po

from tests.conftest import hatch_build
from tests.helpers import REPO, coopctl_process, make_registry


def test_catalogs_are_complete_and_current_with_the_code() -> None:
    """Extraction runs here: a message added to the code but not to the catalogs, an
    untranslated or fuzzy entry, fails with the file and the message."""
    assert hatch_build().problems(REPO) == []


def test_both_catalogs_hold_the_same_messages() -> None:
    ids = {}
    for lang in ("de", "en"):
        with (REPO / f"coopctl/locale/{lang}/LC_MESSAGES/coopctl.po").open("rb") as handle:
            ids[lang] = {m.id for m in read_po(handle) if m.id}
    assert ids["de"] == ids["en"]
    assert len(ids["de"]) > 10


def test_problems_name_what_is_wrong(tmp_path: Path) -> None:
    """The check itself can fail: a copy of the project with a new message in the code and an
    untranslated entry is reported."""
    build = hatch_build()
    copy = tmp_path / "copy"
    (copy / "coopctl").mkdir(parents=True)
    (copy / "coopctl" / "thing.py").write_text(
        'from coopctl.i18n import _\n\nMESSAGE = _("a new message")\n', encoding="utf-8"
    )
    assert any("out of date" in line for line in build.problems(copy))
    build.update(copy)
    found = build.problems(copy)
    assert found == ["coopctl/locale/de/LC_MESSAGES/coopctl.po: untranslated: 'a new message'"]
    po = copy / "coopctl/locale/de/LC_MESSAGES/coopctl.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgid "a new message"\nmsgstr ""', 'msgid "a new message"\nmsgstr "eine neue Meldung"'
        ),
        encoding="utf-8",
    )
    assert build.problems(copy) == []
    written = build.compile_catalogs(copy)
    assert [p.name for p in written] == ["coopctl.mo", "coopctl.mo"]


def test_a_changed_schema_text_makes_the_schema_texts_module_out_of_date(tmp_path: Path) -> None:
    """coopctl/schema_texts.py is made from the schemas: a description changed in a schema is
    reported until `update` writes the module again (and then asks for its translation)."""
    build = hatch_build()
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "schemas", copy / "schemas")
    (copy / "coopctl").mkdir()
    shutil.copy(REPO / "coopctl" / "i18n.py", copy / "coopctl" / "i18n.py")
    stale = "coopctl/schema_texts.py: out of date (python hatch_build.py update)"
    assert stale in build.problems(copy)
    build.update(copy)
    assert not any("out of date" in line for line in build.problems(copy))
    defs = copy / "schemas" / "defs.schema.json"
    document = json.loads(defs.read_text(encoding="utf-8"))
    document["$defs"]["url"]["description"] = "A web address (http or https)."
    defs.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert [line for line in build.problems(copy) if "out of date" in line] == [stale]
    build.update(copy)
    found = build.problems(copy)
    assert stale not in found
    assert (
        "coopctl/locale/de/LC_MESSAGES/coopctl.po: untranslated: 'A web address (http or https).'"
        in found
    )
    module = (copy / "coopctl" / "schema_texts.py").read_text(encoding="utf-8")
    assert 'N_("A web address (http or https)."),' in module
    assert "An http or https address." not in module


def test_language_option_is_described_in_both_languages(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg")
    german = coopctl_process(root, "--lang", "de", "--help")
    english = coopctl_process(root, "--lang", "en", "--help")
    assert german.returncode == english.returncode == 0
    assert "Die Sprache der Meldungen" in german.stdout
    assert "The language of messages" in english.stdout


def test_a_second_run_in_the_same_process_chooses_its_language_afresh() -> None:
    """The language a run sets (also as $LANGUAGE, for click) is not taken for the user's
    choice by the next run in the same process."""
    from tests.helpers import run_cli

    first = run_cli("--lang", "de", "explain", "K002")
    second = run_cli("explain", "K002")
    assert first.exit_code == second.exit_code == 0
    assert first.output != second.output
    assert second.output == run_cli("--lang", "en", "explain", "K002").output
