"""Tests of coopctl.gv against the real Destatis file and the compact file shipped with coopctl."""

from __future__ import annotations

import dataclasses
import gzip
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest

from coopctl import gv

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "GV100AD_30112025.txt"
SHIPPED = REPO / "coopctl" / "data" / "gemeindeverzeichnis.tsv.gz"


@pytest.fixture(scope="module")
def source_text() -> str:
    if not SOURCE.is_file():
        pytest.skip(f"Destatis source file not available at {SOURCE}")
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def records(source_text: str) -> list[gv.GvRecord]:
    return list(gv.parse_gv100ad(source_text))


@pytest.fixture(scope="module")
def derived(source_text: str) -> bytes:
    return gv.derive_compact(source_text)


@pytest.fixture(scope="module")
def directory() -> gv.Gemeindeverzeichnis:
    return gv.load()


def _only(entries: tuple[gv.GvEntry, ...], level: str) -> gv.GvEntry:
    (entry,) = (e for e in entries if e.level == level)
    return entry


# --- the shipped file --------------------------------------------------------------------


def test_shipped_file_content_equals_derivation(derived: bytes) -> None:
    assert gzip.decompress(SHIPPED.read_bytes()) == gzip.decompress(derived)


@pytest.mark.skipif(
    "ng" in zlib.ZLIB_RUNTIME_VERSION,
    reason="zlib-ng compresses differently; the decompressed content is compared above",
)
def test_shipped_file_bytes_equal_derivation(derived: bytes) -> None:
    assert SHIPPED.read_bytes() == derived


def test_derive_compact_is_byte_reproducible(source_text: str, derived: bytes) -> None:
    assert gv.derive_compact(source_text) == derived
    # fixed gzip header: deflate, no file name, mtime 0, OS "unknown"
    assert derived[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def test_header_carries_attribution_and_change_note() -> None:
    text = gzip.decompress(SHIPPED.read_bytes()).decode("utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert all(line.startswith("# ") for line in header)
    assert f"# {gv.ATTRIBUTION}" in header
    assert gv.ATTRIBUTION == (
        "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
        "Gebietsstand 30.11.2025; dl-de/by-2-0"
    )
    assert any("processed by coopctl" in line and "changed" in line for line in header)
    assert "# Gebietsstand: 2025-11-30" in header
    assert header[-1] == "# columns: level\tars\tags\ttype\tname\tseat\tpopulation"
    assert "# records: 16000" in header


def test_load_reads_header_values(directory: gv.Gemeindeverzeichnis) -> None:
    assert directory.attribution == gv.ATTRIBUTION
    assert directory.gebietsstand == "2025-11-30"
    assert gv.load() is directory


# --- counts (SOURCE.md) ------------------------------------------------------------------


def test_raw_record_counts(records: list[gv.GvRecord]) -> None:
    assert len(records) == 16000
    assert Counter(r.level for r in records) == {
        "land": 16,
        "regierungsbezirk": 29,
        "region": 12,
        "kreis": 400,
        "gemeindeverband": 4590,
        "gemeinde": 10953,
    }
    assert {r.gebietsstand for r in records} == {"20251130"}
    gemeinden = [r for r in records if r.level == "gemeinde"]
    assert sum(r.population or 0 for r in gemeinden) == 83_577_140
    assert len({r.ags for r in gemeinden}) == len({r.ars for r in gemeinden}) == 10953


def test_compact_counts(directory: gv.Gemeindeverzeichnis) -> None:
    entries = list(directory)
    assert len(directory) == 16000
    levels = Counter(e.level for e in entries)
    assert levels["land"] == 16
    assert levels["kreis"] == 400
    assert levels["gemeinde"] == 10953
    kreise = Counter(e.type_code for e in entries if e.level == "kreis")
    assert kreise == {"41": 97, "42": 9, "43": 42, "44": 251, "45": 1}
    kreis_types = Counter(tuple(sorted(e.partner_types)) for e in entries if e.level == "kreis")
    assert kreis_types == {
        ("kreisfreie_stadt",): 106,
        ("landkreis",): 291,
        ("region",): 1,
        ("staedteregion",): 1,
        ("regionalverband",): 1,
    }
    verbaende = Counter(e.type_code for e in entries if e.level == "gemeindeverband")
    assert verbaende == {
        "50": 3387,
        "54": 573,
        "51": 207,
        "53": 148,
        "56": 120,
        "52": 114,
        "58": 39,
        "55": 2,
    }
    gemeinden = [e for e in entries if e.level == "gemeinde"]
    assert Counter(e.type_code for e in gemeinden) == {
        "64": 8305,
        "63": 1829,
        "60": 386,
        "67": 125,
        "61": 97,
        "62": 9,
        "65": 2,
        "66": 200,
    }
    assert sum(e.population or 0 for e in gemeinden) == 83_577_140
    assert sum(1 for e in gemeinden if e.partner_types) == 10751
    assert all(e.population is None for e in entries if e.level != "gemeinde")
    assert all((e.ags is None) == (e.level != "gemeinde") for e in entries)


def test_every_partner_type_is_territorial(directory: gv.Gemeindeverzeichnis) -> None:
    for entry in directory:
        assert entry.partner_types <= gv.TERRITORIAL_TYPES
        if entry.level == "gemeinde":
            assert entry.partner_types <= gv.MUNICIPAL_TYPES
        assert entry.state == gv.STATE_OF_LAND[entry.ars[:2]]
        assert entry.type_label


# --- spot checks -------------------------------------------------------------------------


def test_braunschweig(directory: gv.Gemeindeverzeichnis) -> None:
    gemeinde = directory.by_ags("03101000")
    assert gemeinde is not None
    assert gemeinde.ars == "031010000000"
    assert gemeinde.type_code == "61"
    assert gemeinde.partner_types == {"kreisfreie_stadt"}
    assert gemeinde.name == "Braunschweig, Stadt"
    assert gemeinde.state == "DE-NI"
    assert gemeinde.type_label == "Kreisfreie Stadt"
    entries = directory.entries_for_ars("031010000000")
    assert [e.level for e in entries] == ["kreis", "gemeindeverband", "gemeinde"]
    assert entries[-1] == gemeinde
    assert _only(entries, "kreis").partner_types == {"kreisfreie_stadt"}
    assert _only(entries, "gemeindeverband").partner_types == frozenset()  # 50: verbandsfrei


@pytest.mark.parametrize(
    ("ags", "name"),
    [
        ("03102000", "Salzgitter, Stadt"),
        ("03103000", "Wolfsburg, Stadt"),
        ("09162000", "München, Landeshauptstadt"),
        ("09761000", "Augsburg"),
        ("09564000", "Nürnberg"),
    ],
)
def test_kreisfreie_staedte(directory: gv.Gemeindeverzeichnis, ags: str, name: str) -> None:
    entry = directory.by_ags(ags)
    assert entry is not None
    assert (entry.name, entry.type_code, entry.ars) == (name, "61", ags[:5] + "0000000")
    assert entry.partner_types == {"kreisfreie_stadt"}
    kreis = _only(directory.entries_for_ars(entry.ars), "kreis")
    assert kreis.type_code == "41"
    assert kreis.partner_types == {"kreisfreie_stadt"}


def test_landkreis_gifhorn(directory: gv.Gemeindeverzeichnis) -> None:
    (kreis,) = directory.entries_for_ars("031510000000")
    assert (kreis.level, kreis.name, kreis.type_code, kreis.seat) == (
        "kreis",
        "Gifhorn",
        "44",
        "Gifhorn",
    )
    assert kreis.partner_types == {"landkreis"}
    assert kreis.type_label == "Landkreis"
    assert kreis.ags is None


def test_bautzen_name_is_truncated_as_in_the_file(
    directory: gv.Gemeindeverzeichnis, records: list[gv.GvRecord]
) -> None:
    truncated = "Bautzen / Budyšin, Stadt, Hochschulstadt / Wysokoš"
    assert len(truncated) == 50
    entry = directory.by_ags("14625020")
    assert entry is not None
    assert entry.name == truncated
    assert entry.ars == "146250020020"  # Kreis 14625 + Verband 0020 + Gemeinde 020
    assert entry.partner_types == {"stadt"}
    (record,) = (r for r in records if r.ags == "14625020")
    assert record.name == truncated
    assert record.population == entry.population == 37566
    assert record.plz == "02625"


def test_land_and_stadtstaaten(directory: gv.Gemeindeverzeichnis) -> None:
    for land, state in gv.STATE_OF_LAND.items():
        entry = _only(directory.entries_for_ars(land + "0" * 10), "land")
        assert entry.state == state
        expected = {"land", "stadtstaat"} if land in ("02", "04", "11") else {"land"}
        assert entry.partner_types == expected
        assert entry.type_label == "Land"
    assert {v: k for k, v in gv.STATE_OF_LAND.items()} == gv.LAND_OF_STATE
    assert len(gv.LAND_OF_STATE) == 16
    hamburg = directory.entries_for_ars("020000000000")
    assert [e.level for e in hamburg] == ["land", "kreis", "gemeindeverband", "gemeinde"]
    for ags in ("02000000", "11000000"):
        city = directory.by_ags(ags)
        assert city is not None
        assert city.partner_types == {"kreisfreie_stadt", "stadtstaat"}
    bremen = directory.by_ags("04011000")
    assert bremen is not None
    assert bremen.partner_types == {"kreisfreie_stadt"}


def test_partner_types_follow_textkennzeichen(directory: gv.Gemeindeverzeichnis) -> None:
    expected = {
        ("kreis", "41"): {"kreisfreie_stadt"},
        ("kreis", "42"): {"kreisfreie_stadt"},
        ("kreis", "43"): {"landkreis"},
        ("kreis", "44"): {"landkreis"},
        ("kreis", "45"): {"regionalverband"},
        ("gemeindeverband", "50"): set(),
        ("gemeindeverband", "51"): {"amt"},
        ("gemeindeverband", "52"): {"samtgemeinde"},
        ("gemeindeverband", "53"): {"verbandsgemeinde"},
        ("gemeindeverband", "54"): {"verwaltungsgemeinschaft"},
        ("gemeindeverband", "55"): {"gemeindeverband"},
        ("gemeindeverband", "56"): {"verwaltungsgemeinschaft"},
        ("gemeindeverband", "58"): set(),
        ("gemeinde", "60"): {"gemeinde"},
        ("gemeinde", "63"): {"stadt"},
        ("gemeinde", "64"): {"gemeinde"},
        ("gemeinde", "65"): set(),
        ("gemeinde", "66"): set(),
        ("gemeinde", "67"): {"stadt"},
    }
    by_name = {"Region Hannover": {"region"}, "Städteregion Aachen": {"staedteregion"}}
    seen: set[tuple[str, str]] = set()
    for entry in directory:
        if entry.level == "regierungsbezirk":
            # Only Bayern's Regierungsbezirke are also bodies (the Bezirke).
            assert entry.partner_types == ({"bezirk"} if entry.state == "DE-BY" else set())
        elif entry.level == "region":
            assert entry.partner_types == frozenset()
        elif entry.name in by_name:
            assert entry.partner_types == by_name[entry.name]
        elif entry.type_code is not None and (entry.level, entry.type_code) in expected:
            assert entry.partner_types == expected[entry.level, entry.type_code], entry
            seen.add((entry.level, entry.type_code))
    assert seen == set(expected)


def test_type_labels(directory: gv.Gemeindeverzeichnis) -> None:
    labels = {
        "09171123": "Markt",  # Marktl, M
        "08115003": "Große Kreisstadt",  # Böblingen
        "03351501": "Gemeindefreies Gebiet (bewohnt)",  # Lohheide
        "09574112": "Stadt",
        "09574156": "Kreisangehörige Gemeinde",
    }
    for ags, label in labels.items():
        entry = directory.by_ags(ags)
        assert entry is not None
        assert entry.type_label == label
    stuttgart = _only(directory.entries_for_ars("081110000000"), "kreis")
    assert stuttgart.type_label == "Stadtkreis"
    rb = _only(directory.entries_for_ars("091000000000"), "regierungsbezirk")
    assert (rb.name, rb.type_code, rb.type_label) == ("Oberbayern", None, "Regierungsbezirk")


def test_regions_are_kept(directory: gv.Gemeindeverzeichnis) -> None:
    regions = [e for e in directory if e.level == "region"]
    assert len(regions) == 12
    assert {e.state for e in regions} == {"DE-BW"}
    stuttgart = _only(directory.entries_for_ars("081100000000"), "region")
    assert (stuttgart.name, stuttgart.seat) == ("Region Stuttgart", "Stuttgart")


def test_unincorporated_areas_without_kreis(directory: gv.Gemeindeverzeichnis) -> None:
    for ags in ("07000999", "13000998", "13000999"):
        entry = directory.by_ags(ags)
        assert entry is not None
        assert entry.type_code == "66"
        assert entry.partner_types == frozenset()
        assert not [e for e in directory.entries_for_ars(ags[:5] + "0" * 7) if e.level == "kreis"]


def test_lookups_of_unknown_keys(directory: gv.Gemeindeverzeichnis) -> None:
    assert directory.by_ags("99999999") is None
    assert directory.by_ags("031010000000") is None
    assert directory.entries_for_ars("999999999999") == ()


# --- Regierungsbezirke -------------------------------------------------------------------


def test_regierungsbezirke(directory: gv.Gemeindeverzeichnis) -> None:
    assert directory.regierungsbezirke("09") == {"1", "2", "3", "4", "5", "6", "7"}
    # Niedersachsen: its Kreise sit under the four "Statistische Regionen" 1-4
    assert directory.regierungsbezirke("03") == {"1", "2", "3", "4"}
    assert directory.regierungsbezirke("DE-NI") == {"1", "2", "3", "4"}
    assert directory.regierungsbezirke("05") == {"1", "3", "5", "7", "9"}
    assert directory.regierungsbezirke("14") == {"5", "6", "7"}
    for land in ("01", "02", "04", "10", "11", "12", "13", "15", "16"):
        assert directory.regierungsbezirke(land) == {"0"}, land
    with pytest.raises(ValueError, match="unknown Land"):
        directory.regierungsbezirke("17")


# --- search ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Nuernberg", "Nurnberg", "nürnberg", "NÜRNBERG", " Nürnberg "])
def test_search_umlauts(directory: gv.Gemeindeverzeichnis, query: str) -> None:
    results = directory.search(query)
    assert results[0].name == "Nürnberg"
    assert results[0].ars == "095640000000"
    assert results[0].level == "kreis"
    assert results[1] == directory.by_ags("09564000")
    assert any(e.name == "Nürnberger Land" for e in results)


def test_search_ranks_exact_prefix_substring(directory: gv.Gemeindeverzeichnis) -> None:
    names = [e.name for e in directory.search("Nürnberg", limit=50)]
    assert names.index("Nürnberger Land") < names.index("Altdorf b.Nürnberg, St")
    results = directory.search("München", limit=5)
    assert [(e.level, e.ars) for e in results[:3]] == [
        ("kreis", "091620000000"),
        ("gemeinde", "091620000000"),
        ("kreis", "091840000000"),  # Landkreis München
    ]


def test_search_sharp_s(directory: gv.Gemeindeverzeichnis) -> None:
    assert directory.search("Giessen")[0].name == "Gießen"
    assert directory.search("GIESSEN") == directory.search("gießen")
    assert any(e.name == "Straßenhaus" for e in directory.search("strasse"))


def test_search_other_diacritics(directory: gv.Gemeindeverzeichnis) -> None:
    results = directory.search("Budysin")
    assert directory.by_ags("14625020") in results


def test_search_by_key(directory: gv.Gemeindeverzeichnis) -> None:
    braunschweig = directory.by_ags("03101000")
    assert directory.search("03101000")[0] == braunschweig
    by_ars = directory.search("031010000000")
    # records without partner types (here: verbandsfrei, type 50) rank last within a tier
    assert [e.level for e in by_ars] == ["kreis", "gemeinde", "gemeindeverband"]
    bayern = directory.search("09", limit=3)
    assert [e.level for e in bayern] == ["land", "regierungsbezirk", "kreis"]
    assert bayern[0].ars == "090000000000"
    prefix = directory.search("09564", limit=100)
    assert prefix
    assert all(e.ars.startswith("09564") or (e.ags or "").startswith("09564") for e in prefix)
    # AGS prefixes differ from ARS prefixes below Kreis level
    assert directory.by_ags("09574112") in directory.search("0957411", limit=100)


def test_search_limits_and_empty(directory: gv.Gemeindeverzeichnis) -> None:
    assert len(directory.search("berg", limit=7)) == 7
    assert len(directory.search("a")) == 20
    assert directory.search("") == []
    assert directory.search("   ") == []
    assert directory.search("Nürnberg", limit=0) == []
    assert directory.search("xyzzy-no-such-place") == []
    with pytest.raises(ValueError, match="limit"):
        directory.search("Nürnberg", limit=-1)


def test_search_is_deterministic(directory: gv.Gemeindeverzeichnis) -> None:
    assert directory.search("Neustadt", limit=200) == directory.search("Neustadt", limit=200)
    neuen = {e.name for e in directory.search("Neuenkirchen", limit=200)}
    assert "Neunkirchen" not in neuen  # "ue" is only an umlaut spelling, not dropped


# --- entries -----------------------------------------------------------------------------


def test_entries_are_frozen_dataclasses(directory: gv.Gemeindeverzeichnis) -> None:
    entry = directory.by_ags("09564000")
    assert entry is not None
    rebuilt = gv.GvEntry(**{f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)})
    assert rebuilt == entry
    assert hash(rebuilt) == hash(entry)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.name = "x"  # type: ignore[misc]


def test_compact_round_trip(records: list[gv.GvRecord], derived: bytes) -> None:
    directory = gv.Gemeindeverzeichnis.from_compact(derived)
    assert len(directory) == len(records)
    for record, entry in zip(records, directory, strict=True):
        assert (entry.level, entry.ars, entry.ags, entry.type_code) == (
            record.level,
            record.ars,
            record.ags,
            record.type_code,
        )
        assert (entry.name, entry.seat, entry.population) == (
            record.name,
            record.seat,
            record.population,
        )


# --- raw parser --------------------------------------------------------------------------


def test_raw_fields_are_sliced_by_characters(records: list[gv.GvRecord]) -> None:
    # a Sorbian letter in the name must not shift the following fields
    (verband,) = (r for r in records if r.level == "gemeindeverband" and r.ars == "146250020000")
    assert verband.type_code == "50"
    stuttgart = next(r for r in records if r.level == "region")
    assert (stuttgart.region, stuttgart.kreis, stuttgart.ars) == ("1", "", "081100000000")
    flensburg = next(r for r in records if r.ags == "01001000")
    assert (flensburg.plz, flensburg.area_ha, flensburg.population) == ("24937", 5673, 96326)


def test_raw_parser_rejects_malformed_records() -> None:
    line = "6020251130010010000000Flensburg, Stadt".ljust(122) + "61"
    (record,) = gv.parse_gv100ad(line)
    assert (record.ags, record.type_code, record.population) == ("01001000", "61", None)
    with pytest.raises(ValueError, match="line 1: unknown Satzart"):
        list(gv.parse_gv100ad("99" + line[2:]))
    with pytest.raises(ValueError, match="Textkennzeichen"):
        list(gv.parse_gv100ad(line[:122] + "41"))
    with pytest.raises(ValueError, match="characters"):
        list(gv.parse_gv100ad(line.ljust(221)))
    with pytest.raises(ValueError, match="Kreis"):
        list(gv.parse_gv100ad("\n" + line[:13] + "x" + line[14:]))
    with pytest.raises(ValueError, match="no GV100AD records"):
        gv.derive_compact("\n\n")


def test_compact_parser_rejects_other_files() -> None:
    with pytest.raises(ValueError, match="columns"):
        gv.Gemeindeverzeichnis.from_compact(b"# just a comment\n")
    with pytest.raises(ValueError, match="columns"):
        gv.parse_compact("land\t010000000000\t\t\tSchleswig-Holstein\tKiel\t\n")


# --- python -m coopctl.gv ----------------------------------------------------------------


def test_module_command_regenerates_the_file(tmp_path: Path, derived: bytes) -> None:
    dest = tmp_path / "gv.tsv.gz"
    done = subprocess.run(
        [sys.executable, "-m", "coopctl.gv", str(SOURCE), str(dest)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
    assert dest.read_bytes() == derived


def test_module_command_reports_errors_on_stderr(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "coopctl.gv", str(tmp_path / "missing.txt"), str(tmp_path / "x")],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == b""
    assert b"missing.txt" in done.stderr
    assert not (tmp_path / "x").exists()


def test_records_that_are_no_body(directory: gv.Gemeindeverzeichnis) -> None:
    """Niedersachsen's Statistische Regionen and the former Regierungs- and Direktionsbezirke
    of Rheinland-Pfalz and Sachsen are no body; the Regierungsbezirke of the other Länder
    are areas of a Land authority; none of them carries a partner type."""
    no_body = sorted(e.name for e in directory if e.not_a_body)
    assert len(no_body) == 10
    assert "Statistische Region Braunschweig" in no_body
    assert "früher: Reg.-Bez. Trier" in no_body
    assert "früher: Direktionsbezirk Dresden" in no_body
    assert all(not e.partner_types for e in directory if e.not_a_body)


def test_gv_type_of_picks_the_record_of_the_type(directory: gv.Gemeindeverzeichnis) -> None:
    braunschweig = directory.entries_for_ars("031010000000")
    assert gv.gv_type_of(braunschweig, "kreisfreie_stadt") == "61"  # not the Kreis record's 41
    assert gv.gv_type_of(braunschweig, None) is None  # 41 or 61: the type decides
    assert gv.gv_type_of(directory.entries_for_ars("031515405000"), "samtgemeinde") == "52"
    assert gv.gv_type_of(directory.entries_for_ars("032410000000"), "region") == "44"
    assert gv.gv_type_of(directory.entries_for_ars("091000000000"), "bezirk") is None
