"""No duplicates by accident: `add` stops before an entity like an existing one, `--lookup`
offers a choice, `lookup` says what it left out, ids complete with Tab, and validate warns
about two partners that resemble each other (I006)."""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from coopctl.similar import _FOLD as _UMLAUTS
from coopctl.similar import _TYPE_WORDS, fold, normal_name, similarity_keys
from tests.helpers import interrupt_when_reading, make_registry, run_cli

PARTNERS = "registry/partners"


def _partner_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / PARTNERS).iterdir())


def _spawn(root: Path, *args: str):  # type: ignore[no-untyped-def]
    pexpect = pytest.importorskip("pexpect")
    return pexpect.spawn(
        sys.executable,
        ["-m", "coopctl", *args],
        cwd=str(root),
        encoding="utf-8",
        timeout=30,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"},
    )


# --- the normal form -------------------------------------------------------------------------


def test_names_compare_without_case_umlauts_blanks_and_type_words() -> None:
    assert fold("  Nürnberg ") == fold("NUERNBERG") == "nuernberg"
    assert fold("Groß-Gerau") == fold("gross gerau")
    assert normal_name("Landkreis Helmstedt", "landkreis") == "helmstedt"
    assert normal_name("Helmstedt, Stadt", "stadt") == normal_name("Stadt Helmstedt", "stadt")
    # A type word is dropped only where it repeats the partner's own type.
    assert normal_name("Stadt Doppelt", "other") == "stadt doppelt"
    assert normal_name("Landkreis Helmstedt") == "helmstedt"  # type not known yet


def test_keys_name_the_type_and_the_registry_keys() -> None:
    partner = {"name": "Kreis Gifhorn", "type": "landkreis", "ars": "031510000000"}
    assert similarity_keys("partner", partner) == ("name:landkreis:gifhorn", "ars:031510000000")
    assert similarity_keys("agreement", {"title": "Digitale  Region"}) == ("name:digitale region",)
    assert similarity_keys("partner", {"name": 12, "type": "stadt"}) == ()


def _fold_by_definition(text: str) -> str:
    """`fold` as its definition reads, for every text (no shortcut for ASCII)."""
    lowered = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    plain = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", lowered)
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _normal_by_definition(name: str, partner_type: str | None) -> str:
    """`normal_name` as its definition reads: the longest type word that fits is dropped at
    the start, then at the end."""
    text = _fold_by_definition(name)
    words = sorted(
        {w for ws in _TYPE_WORDS.values() for w in ws}
        if partner_type is None
        else _TYPE_WORDS.get(partner_type, ()),
        key=len,
        reverse=True,
    )
    for word in words:
        if text.startswith(word + " "):
            text = text[len(word) + 1 :]
            break
    for word in words:
        if text.endswith(" " + word):
            text = text[: -len(word) - 1]
            break
    return text


_NAME_PIECES = st.sampled_from(
    [
        *sorted({w for ws in _TYPE_WORDS.values() for w in ws}),
        "Stadt",
        "LANDKREIS",
        "Große Kreisstadt",
        "Nürnberg",
        "Straße",
        "ẞ",
        "Ærø",
        "e\u0301",
        "\u200b",
        "\u00ad",
        "ﬁ",
        "Ⅻ",
        "İ",
        "-",
        ", ",
        "  ",
        "(Oder)",
        "a.d.",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.one_of(_NAME_PIECES, st.text(max_size=6)), max_size=6),
    partner_type=st.one_of(st.none(), st.sampled_from([*_TYPE_WORDS, "bund"])),
)
def test_fold_and_normal_name_are_their_definitions(
    pieces: list[str], partner_type: str | None
) -> None:
    """The shortcuts (ASCII text as it is, precomputed type words) give what the definition
    gives, on ASCII and on any other text."""
    name = " ".join(pieces)
    assert fold(name) == _fold_by_definition(name)
    assert normal_name(name, partner_type) == _normal_by_definition(name, partner_type)


# --- add, without a terminal -----------------------------------------------------------------


def _add_partner(root: Path, *sets: str, allow: bool = False):  # type: ignore[no-untyped-def]
    args = ["add", "partner", "--no-interactive", "--yes", "--root", str(root)]
    for assignment in sets:
        args += ["--set", assignment]
    return run_cli(*args, *(["--allow-similar"] if allow else []))


def test_a_second_partner_with_the_same_name_and_another_id_is_refused(
    registry_root: Path,
) -> None:
    first = _add_partner(registry_root, "name=Stadt Doppelt", "type=other")
    assert first.exit_code == 0, first.output
    before = _partner_files(registry_root)
    second = _add_partner(registry_root, "name=stadt  DOPPELT", "type=other", "id=stadt-doppelt-b")
    assert second.exit_code == 1
    assert "a similar partner exists already" in second.output
    assert "registry/partners/stadt-doppelt.yaml ('stadt-doppelt'" in second.output
    assert "--allow-similar" in second.output
    assert _partner_files(registry_root) == before
    allowed = _add_partner(
        registry_root, "name=Stadt Doppelt", "type=other", "id=stadt-doppelt-b", allow=True
    )
    assert allowed.exit_code == 0, allowed.output
    assert "stadt-doppelt-b.yaml" in _partner_files(registry_root)


def test_a_partner_of_another_type_with_the_same_name_is_not_similar(
    registry_root: Path,
) -> None:
    result = _add_partner(registry_root, "name=Gifhorn", "type=stadt", "id=stadt-gifhorn")
    assert result.exit_code == 0, result.output


def test_the_same_name_in_other_words_or_the_same_key_is_refused(registry_root: Path) -> None:
    by_name = _add_partner(registry_root, "name=Kreis Gifhorn", "type=landkreis", "id=lk-gf")
    assert by_name.exit_code == 1
    assert "landkreis-gifhorn.yaml ('landkreis-gifhorn', Landkreis Gifhorn)" in by_name.output
    assert "has the same name" in by_name.output
    by_key = run_cli(
        "add", "partner", "--ars", "031510000000", "--set", "id=gf", "--no-interactive",
        "--root", str(registry_root),
    )  # fmt: skip
    assert by_key.exit_code == 1
    assert "the same ARS 031510000000" in by_key.output
    assert "gf.yaml" not in _partner_files(registry_root)


@pytest.mark.parametrize(
    ("kind", "existing", "field"),
    [("solution", "bayernid", "name"), ("agreement", "muenchen-augsburg-nuernberg", "title")],
)
def test_a_solution_or_agreement_with_an_existing_name_is_refused(
    registry_root: Path, tmp_path: Path, kind: str, existing: str, field: str
) -> None:
    folder = registry_root / "registry" / f"{kind}s"
    data = dict(YAML(typ="safe").load((folder / f"{existing}.yaml").read_text("utf-8")))
    data["id"] = "copy-of-it"
    data[field] = f"  {str(data[field]).upper()} "
    source = tmp_path / "copy.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    args = ["add", kind, "--from", str(source), "--yes", "--root", str(registry_root)]
    refused = run_cli(*args)
    assert refused.exit_code == 1
    assert f"a similar {kind} exists already" in refused.output
    assert f"('{existing}'" in refused.output
    assert not (folder / "copy-of-it.yaml").exists()
    allowed = run_cli(*args, "--allow-similar")
    assert (folder / "copy-of-it.yaml").exists(), allowed.output


# --- add, in a terminal ----------------------------------------------------------------------


def test_typing_an_existing_name_offers_the_existing_entry_first(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    before = _partner_files(registry_root)
    child = _spawn(registry_root, "add", "partner")
    child.expect("Name:")
    child.sendline("Landkreis Gifhorn")
    child.expect("A similar partner exists already:")
    child.expect(r"registry/partners/landkreis-gifhorn.yaml \('landkreis-gifhorn'")
    child.expect(r"Add a new partner all the same\? \[y/N\]")
    child.sendline("")  # the default stops
    child.expect("nothing was written; the existing entry: registry/partners/landkreis-gifhorn")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert _partner_files(registry_root) == before


def test_going_on_after_the_offer_suggests_a_new_id_without_asking_again(
    registry_root: Path,
) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(registry_root, "add", "partner")
    child.expect("Name:")
    child.sendline("Landkreis Gifhorn")
    child.expect(r"Add a new partner all the same\?")
    child.sendline("y")
    child.expect(r"Id \(file name\) \[landkreis-gifhorn-2\]:")
    child.sendline("")
    child.expect("Type:")
    child.sendline("other")  # another type: no longer similar; shown once only anyway
    child.expect(r"Add sources\?")
    child.sendline("n")
    child.expect(r"Add optional fields\?")
    child.sendline("n")
    index = child.expect([r"Write registry/partners/landkreis-gifhorn-2.yaml\?", "similar"])
    assert index == 0
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "landkreis-gifhorn-2.yaml" in _partner_files(registry_root)


def test_lookup_with_several_matches_offers_a_numbered_choice(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(registry_root, "add", "partner", "--lookup", "Helmstedt")
    child.expect("'Helmstedt' matches 2 entries:")
    child.expect(r"1\) Helmstedt \(Landkreis, ARS 031540000000\)")
    child.expect(r"2\) Helmstedt, Stadt \(Stadt, ARS 031540028028\)")
    child.expect(r"Which one\? \(1-2\):")
    child.sendline("3")
    child.expect("answer a number from 1 to 2")
    child.sendline("2")
    child.expect(r"From the Gemeindeverzeichnis: Helmstedt, Stadt \(Stadt\), ARS 031540028028")
    child.expect(r"Id \(file name\) \[helmstedt\]:")
    interrupt_when_reading(child)
    child.expect(r"Keep a draft of your answers\?")
    interrupt_when_reading(child)  # a second Ctrl-C just quits
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_lookup_with_several_matches_without_a_terminal_lists_them(registry_root: Path) -> None:
    result = run_cli(
        "add", "partner", "--lookup", "Helmstedt", "--no-interactive", "--root", str(registry_root)
    )
    assert result.exit_code == 2
    assert "'Helmstedt' matches 2 entries" in result.output
    assert "031540000000" in result.output
    assert "031540028028" in result.output


def test_tab_completes_a_whole_id_and_redraws_the_prompt(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(registry_root, "add", "event", "braunschweig-salzgitter-wolfsburg")
    child.expect(r"Date \(YYYY")
    child.sendline("2021-06-01")
    child.expect("Type:")
    child.sendline("accession")
    child.expect(r"Add partners\?")
    child.sendline("y")
    child.expect("Partners:")
    child.send("s\t\t")  # several ids start with s: listed, then the question drawn again
    starting = sorted(p.stem for p in (registry_root / "registry/partners").glob("s*.yaml"))
    child.expect(starting[0])
    child.expect("Partners: s")  # the prompt drawn again below the listing
    listing = starting[0] + child.before
    assert all(partner in listing for partner in starting), listing  # in columns
    child.send("\x15")  # Ctrl-U empties the line
    child.send("landkreis-gi\t")
    child.expect("landkreis-gifhorn")  # the line now holds the whole id
    child.sendline("")
    child.expect(r"Add another to partners\?")  # accepted: the completed id is a partner
    interrupt_when_reading(child)
    child.expect(r"Keep a draft of your answers\?")
    interrupt_when_reading(child)  # a second Ctrl-C just quits
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


# --- lookup ----------------------------------------------------------------------------------


def test_lookup_says_how_many_matches_it_left_out() -> None:
    result = run_cli("lookup", "Sankt")
    assert result.exit_code == 0
    assert len([line for line in result.stdout.splitlines() if " DE-" in line]) == 20
    assert "... and 2 more; use --limit 0 to see all" in result.stdout
    everything = run_cli("lookup", "Sankt", "--limit", "0")
    assert len([line for line in everything.stdout.splitlines() if " DE-" in line]) == 22
    assert "more; use" not in everything.stdout
    document = json.loads(run_cli("lookup", "Sankt", "-n", "5", "-f", "json").stdout)
    assert (len(document["results"]), document["left_out"]) == (5, 17)


# --- validate --------------------------------------------------------------------------------

_PARTNER = """kind: partner
id: {id}
name: {name}
type: {type}
state: DE-NI
{keys}sources:
  - url: https://example.org/{id}
"""


def _partner(entity_id: str, name: str, kind: str = "landkreis", keys: str = "") -> str:
    return _PARTNER.format(id=entity_id, name=name, type=kind, keys=keys)


def _validate(root: Path) -> list[str]:
    result = run_cli("validate", "--root", str(root), "--format", "json")
    return sorted(
        f"{p['path']}:{p['line']} {p['code']} {p['message']}"
        for p in json.loads(result.stdout)["problems"]
    )


def test_validate_warns_about_two_partners_of_one_type_with_one_name(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path,
        {
            f"{PARTNERS}/gifhorn.yaml": _partner("gifhorn", "Landkreis Gifhorn"),
            f"{PARTNERS}/kreis-gifhorn.yaml": _partner("kreis-gifhorn", "Kreis  Gifhorn"),
            f"{PARTNERS}/stadt-gifhorn.yaml": _partner("stadt-gifhorn", "Gifhorn", "stadt"),
        },
    )
    assert [line for line in _validate(root) if " I006 " in line] == [
        "registry/partners/kreis-gifhorn.yaml:3 I006 partner 'kreis-gifhorn' has the same "
        "name as partner 'gifhorn' (registry/partners/gifhorn.yaml)"
    ]


def test_validate_reports_partners_sharing_an_ars_once(tmp_path: Path) -> None:
    keys = "ars: '031510000000'\n"
    root = make_registry(
        tmp_path,
        {
            f"{PARTNERS}/a.yaml": _partner("a", "Landkreis Gifhorn", keys=keys),
            f"{PARTNERS}/b.yaml": _partner("b", "Gifhorn, Landkreis", keys=keys),
        },
    )
    codes = [line.split()[1] for line in _validate(root)]
    assert codes == ["I003"]  # one pair, one problem: I003 says they are one body


def test_validate_warns_about_a_shared_ags_without_a_shared_ars(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path,
        {
            f"{PARTNERS}/a.yaml": _partner("a", "Gifhorn", "stadt", "ags: '03151009'\n"),
            f"{PARTNERS}/b.yaml": _partner("b", "Stadtverwaltung", "other", "ags: '03151009'\n"),
        },
    )
    found = [line for line in _validate(root) if " I006 " in line]
    assert found == [
        "registry/partners/b.yaml:6 I006 partner 'b' has the same AGS 03151009 as partner 'a' "
        "(registry/partners/a.yaml)"
    ]


def test_partners_with_one_name_and_different_ars_are_two_bodies(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path,
        {
            f"{PARTNERS}/buch.yaml": _partner(
                "buch", "Buch", "gemeinde", "state: DE-BY\nars: '097755741118'\n"
            ).replace("state: DE-NI\n", "", 1),
        },
    )
    assert not [line for line in _validate(root) if " I006 " in line]
    added = run_cli(
        "add", "partner", "--ars", "07140021", "--set", "id=buch-hunsrueck", "--no-interactive",
        "--set", "sources+={url: https://example.org/buch}", "--root", str(root),
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "I006" not in added.output
    assert not [line for line in _validate(root) if " I006 " in line]


def test_invisible_characters_do_not_hide_a_duplicate(registry_root: Path) -> None:
    hidden = "Kreis Gif\u200bhorn\u202e"  # a zero-width space and a right-to-left override
    refused = _add_partner(registry_root, f"name={hidden}", "type=landkreis", "id=kreis-gf")
    assert refused.exit_code == 1
    assert "('landkreis-gifhorn', Landkreis Gifhorn) has the same name" in refused.output
    (registry_root / PARTNERS / "kreis-gf.yaml").write_text(
        _partner("kreis-gf", '"Kreis Gif\\u200bhorn\\u202e"'), encoding="utf-8"
    )
    assert [line for line in _validate(registry_root) if " I006 " in line] == [
        "registry/partners/landkreis-gifhorn.yaml:4 I006 partner 'landkreis-gifhorn' has the "
        "same name as partner 'kreis-gf' (registry/partners/kreis-gf.yaml)"
    ]
