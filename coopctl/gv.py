"""The official German municipality directory (Destatis GV100AD), as coopctl uses it.

Two layers:

* `parse_gv100ad` reads the raw fixed-width distribution file of Destatis and
  `derive_compact` turns it into the small, gzip-compressed TSV that ships with coopctl
  (``coopctl/data/gemeindeverzeichnis.tsv.gz``). Regenerate it with
  ``python -m coopctl.gv GV100AD_30112025.txt coopctl/data/gemeindeverzeichnis.tsv.gz``.
* `load` reads the shipped file into a `Gemeindeverzeichnis`, the lookup object the rest of
  coopctl uses: entries by ARS or AGS, the Regierungsbezirke of a Land, and a name/key search.

Keys: the ARS (Amtlicher Regionalschlüssel, 12 digits) of a Gemeinde is Land(2) + RB(1) +
Kreis(2) + Gemeindeverband(4) + Gemeinde(3); its AGS (8 digits) is Land + RB + Kreis + Gemeinde.
Records above Gemeinde level get their key padded with zeros to 12 digits, so that several
records can share one ARS: the Kreis record of Braunschweig (03101), its Gemeindeverband record
(03101 0000, "verbandsfrei") and its Gemeinde record (03101000) all give ``031010000000``.
BW Regions (Satzart 30) have no official ARS; their padded key (``0811`` ->
``081100000000``) only serves lookups.

Partner types are derived from the Textkennzeichen (type code) of each record, never from
number ranges of keys.

Data: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, licensed under
Datenlizenz Deutschland - Namensnennung - 2.0. See `ATTRIBUTION`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import importlib.resources
import struct
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ATTRIBUTION",
    "COLUMNS",
    "LAND_OF_STATE",
    "LEVELS",
    "MUNICIPAL_TYPES",
    "STATE_OF_LAND",
    "TERRITORIAL_TYPES",
    "Gemeindeverzeichnis",
    "GvEntry",
    "GvRecord",
    "derive_compact",
    "gv_type_of",
    "load",
    "parse_compact",
    "parse_gv100ad",
]

ATTRIBUTION: str = (
    "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
    "Gebietsstand 30.11.2025; dl-de/by-2-0"
)
"""The attribution required wherever coopctl ships or shows the shipped data."""

STATE_OF_LAND: dict[str, str] = {
    "01": "DE-SH",
    "02": "DE-HH",
    "03": "DE-NI",
    "04": "DE-HB",
    "05": "DE-NW",
    "06": "DE-HE",
    "07": "DE-RP",
    "08": "DE-BW",
    "09": "DE-BY",
    "10": "DE-SL",
    "11": "DE-BE",
    "12": "DE-BB",
    "13": "DE-MV",
    "14": "DE-SN",
    "15": "DE-ST",
    "16": "DE-TH",
}
"""Land key (2 digits) -> ISO 3166-2 code of the Land."""

LAND_OF_STATE: dict[str, str] = {state: land for land, state in STATE_OF_LAND.items()}
"""ISO 3166-2 code of a Land -> Land key (2 digits)."""

TERRITORIAL_TYPES: frozenset[str] = frozenset(
    {
        "gemeinde",
        "stadt",
        "kreisfreie_stadt",
        "landkreis",
        "region",
        "staedteregion",
        "regionalverband",
        "samtgemeinde",
        "verbandsgemeinde",
        "amt",
        "verwaltungsgemeinschaft",
        "gemeindeverband",
        "stadtstaat",
        "bezirk",
        "land",
    }
)
"""coopctl partner types that denote a territorial authority found in the directory."""

MUNICIPAL_TYPES: frozenset[str] = frozenset({"gemeinde", "stadt", "kreisfreie_stadt", "stadtstaat"})
"""Territorial partner types that carry an AGS (8 digits)."""

LEVELS: tuple[str, ...] = (
    "land",
    "regierungsbezirk",
    "region",
    "kreis",
    "gemeindeverband",
    "gemeinde",
)
"""Record levels, top down, as written in the compact file."""

COLUMNS: tuple[str, ...] = ("level", "ars", "ags", "type", "name", "seat", "population")
"""The columns of the compact file, in order."""

_LEVEL_OF_SATZART: dict[str, str] = {
    "10": "land",
    "20": "regierungsbezirk",
    "30": "region",
    "40": "kreis",
    "50": "gemeindeverband",
    "60": "gemeinde",
}
_LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}

# Textkennzeichen -> German label, from the Destatis record description (SOURCE.md).
_TYPE_LABELS: dict[str, str] = {
    "41": "Kreisfreie Stadt",
    "42": "Stadtkreis",
    "43": "Kreis",
    "44": "Landkreis",
    "45": "Regionalverband",
    "50": "Verbandsfreie Gemeinde",
    "51": "Amt",
    "52": "Samtgemeinde",
    "53": "Verbandsgemeinde",
    "54": "Verwaltungsgemeinschaft",
    "55": "Kirchspielslandgemeinde",
    "56": "Verwaltungsverband",
    "57": "Verwaltungsgemeinschaft (Trägermodell)",
    "58": "Erfüllende Gemeinde",
    "60": "Markt",
    "61": "Kreisfreie Stadt",
    "62": "Stadtkreis",
    "63": "Stadt",
    "64": "Kreisangehörige Gemeinde",
    "65": "Gemeindefreies Gebiet (bewohnt)",
    "66": "Gemeindefreies Gebiet (unbewohnt)",
    "67": "Große Kreisstadt",
}
_LEVEL_LABELS: dict[str, str] = {
    "land": "Land",
    "regierungsbezirk": "Regierungsbezirk",
    "region": "Region",
    "kreis": "Kreis",
    "gemeindeverband": "Gemeindeverband",
    "gemeinde": "Gemeinde",
}
# Valid Textkennzeichen per level; Land, RB and Region records carry none.
_TYPES_OF_LEVEL: dict[str, frozenset[str]] = {
    "land": frozenset(),
    "regierungsbezirk": frozenset(),
    "region": frozenset(),
    "kreis": frozenset({"41", "42", "43", "44", "45"}),
    "gemeindeverband": frozenset({"50", "51", "52", "53", "54", "55", "56", "57", "58"}),
    "gemeinde": frozenset({"60", "61", "62", "63", "64", "65", "66", "67"}),
}

_STADTSTAAT_LAENDER: frozenset[str] = frozenset({"02", "04", "11"})
# Two Kreise of their own kind carry the Textkennzeichen of a Kreis (43, 44): the directory
# tells them apart only by name.
_KREIS_TYPES_BY_NAME: dict[str, frozenset[str]] = {
    "Region Hannover": frozenset({"region"}),
    "Städteregion Aachen": frozenset({"staedteregion"}),
}
# The Land whose Regierungsbezirke are also kommunale Gebietskörperschaften (the Bezirke).
_BEZIRK_LAND = "09"
# Names of records above the Kreise that are no body at all: Niedersachsen's Statistische
# Regionen and the former Regierungs- or Direktionsbezirke (Rheinland-Pfalz, Sachsen).
_NOT_A_BODY_PREFIXES: tuple[str, ...] = ("Statistische Region", "früher:")
_STADTSTAAT_AGS: frozenset[str] = frozenset({"02000000", "11000000"})
_NONE: frozenset[str] = frozenset()
_PARTNER_TYPES_BY_CODE: dict[tuple[str, str], frozenset[str]] = {
    **{("kreis", code): frozenset({"kreisfreie_stadt"}) for code in ("41", "42")},
    **{("kreis", code): frozenset({"landkreis"}) for code in ("43", "44")},
    ("kreis", "45"): frozenset({"regionalverband"}),
    ("gemeindeverband", "51"): frozenset({"amt"}),
    ("gemeindeverband", "52"): frozenset({"samtgemeinde"}),
    ("gemeindeverband", "53"): frozenset({"verbandsgemeinde"}),
    **{
        ("gemeindeverband", code): frozenset({"verwaltungsgemeinschaft"})
        for code in ("54", "56", "57")
    },
    ("gemeindeverband", "55"): frozenset({"gemeindeverband"}),
    **{("gemeinde", code): frozenset({"kreisfreie_stadt"}) for code in ("61", "62")},
    **{("gemeinde", code): frozenset({"stadt"}) for code in ("63", "67")},
    **{("gemeinde", code): frozenset({"gemeinde"}) for code in ("60", "64")},
}

_RECORD_LENGTH = 220
_HEADER_PREFIX = "# "
_COLUMNS_HEADER = "# columns: " + "\t".join(COLUMNS)
_GEBIETSSTAND_HEADER = "# Gebietsstand: "
_PACKAGED_FILE = "gemeindeverzeichnis.tsv.gz"


# --------------------------------------------------------------------------------------------
# Raw GV100AD records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GvRecord:
    """One record of the raw GV100AD file, fields as Destatis defines them (keys as strings).

    `kreis` is empty for Land, RB and Region records; `region` is set only for BW Regions
    (Satzart 30); `gemeinde` only for Gemeinde records, `verband` for Gemeindeverband and
    Gemeinde records. Numbers are None where the record type has no such field.
    """

    satzart: str
    gebietsstand: str
    land: str
    regierungsbezirk: str
    region: str
    kreis: str
    gemeinde: str
    verband: str
    name: str
    seat: str | None
    type_code: str | None
    area_ha: int | None
    population: int | None
    population_male: int | None
    plz: str | None
    line: int

    @property
    def level(self) -> str:
        return _LEVEL_OF_SATZART[self.satzart]

    @property
    def ars(self) -> str:
        """The 12-digit ARS; keys above Gemeinde level are padded with zeros."""
        if self.satzart == "60":
            return self.land + self.regierungsbezirk + self.kreis + self.verband + self.gemeinde
        if self.satzart == "50":
            return self.land + self.regierungsbezirk + self.kreis + self.verband + "000"
        key = self.land + self.regierungsbezirk + self.region + self.kreis
        return key.ljust(12, "0")

    @property
    def ags(self) -> str | None:
        """The 8-digit AGS of a Gemeinde record, None for all other records."""
        if self.satzart != "60":
            return None
        return self.land + self.regierungsbezirk + self.kreis + self.gemeinde


def _field(record: str, start: int, end: int) -> str:
    """Characters `start`..`end` (1-based, inclusive) of a record, surrounding blanks removed."""
    return record[start - 1 : end].strip()


def _digits(value: str, length: int, what: str, line: int) -> str:
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ValueError(f"line {line}: {what} {value!r} is not {length} digits")
    return value


def _number(value: str, what: str, line: int) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"line {line}: {what} {value!r} is not a number")
    return int(value)


def _parse_record(record: str, line: int) -> GvRecord:
    if len(record) > _RECORD_LENGTH:
        raise ValueError(
            f"line {line}: record has {len(record)} characters, expected {_RECORD_LENGTH}"
        )
    record = record.ljust(_RECORD_LENGTH)
    satzart = record[0:2]
    if satzart not in _LEVEL_OF_SATZART:
        raise ValueError(f"line {line}: unknown Satzart {satzart!r}")
    gebietsstand = _digits(_field(record, 3, 10), 8, "Gebietsstand", line)
    land = _digits(record[10:12], 2, "Land", line)
    if land not in STATE_OF_LAND:
        raise ValueError(f"line {line}: unknown Land {land!r}")
    rb = region = kreis = gemeinde = verband = ""
    if satzart != "10":
        rb = _digits(record[12], 1, "Regierungsbezirk", line)
    if satzart == "30":
        region = _digits(record[13], 1, "Region", line)
    elif satzart in ("40", "50", "60"):
        kreis = _digits(record[13:15], 2, "Kreis", line)
    if satzart == "60":
        gemeinde = _digits(record[15:18], 3, "Gemeinde", line)
    if satzart in ("50", "60"):
        verband = _digits(record[18:22], 4, "Gemeindeverband", line)
    name = _field(record, 23, 72)
    if not name:
        raise ValueError(f"line {line}: empty name")
    type_code = _field(record, 123, 124) or None
    level = _LEVEL_OF_SATZART[satzart]
    allowed = _TYPES_OF_LEVEL[level]
    if (type_code is None and allowed) or (type_code is not None and type_code not in allowed):
        raise ValueError(f"line {line}: Textkennzeichen {type_code!r} invalid for {level}")
    is_gemeinde = satzart == "60"
    return GvRecord(
        satzart=satzart,
        gebietsstand=gebietsstand,
        land=land,
        regierungsbezirk=rb,
        region=region,
        kreis=kreis,
        gemeinde=gemeinde,
        verband=verband,
        name=name,
        seat=None if is_gemeinde else (_field(record, 73, 122) or None),
        type_code=type_code,
        area_ha=_number(_field(record, 129, 139), "area", line) if is_gemeinde else None,
        population=_number(_field(record, 140, 150), "population", line) if is_gemeinde else None,
        population_male=(
            _number(_field(record, 151, 161), "male population", line) if is_gemeinde else None
        ),
        plz=(_field(record, 166, 170) or None) if is_gemeinde else None,
        line=line,
    )


def parse_gv100ad(text: str) -> Iterator[GvRecord]:
    """Parse the raw fixed-width GV100AD file (already decoded from UTF-8).

    Fields are sliced by character positions (the file holds Sorbian letters). Blank lines are
    skipped; a malformed record raises ValueError naming its line. Shorter records are padded
    with blanks, as editors may strip trailing blanks. BW Regions are kept (level "region").
    """
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        record = raw.rstrip("\r")
        if not record.strip():
            continue
        yield _parse_record(record, number)


# --------------------------------------------------------------------------------------------
# The compact derived file
# --------------------------------------------------------------------------------------------


def _german_date(yyyymmdd: str) -> str:
    return f"{yyyymmdd[6:8]}.{yyyymmdd[4:6]}.{yyyymmdd[0:4]}"


def _iso_date(yyyymmdd: str) -> str:
    return f"{yyyymmdd[0:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:8]}"


def _attribution(yyyymmdd: str) -> str:
    return (
        "Quelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
        f"Gebietsstand {_german_date(yyyymmdd)}; dl-de/by-2-0"
    )


def _gzip_reproducible(data: bytes) -> bytes:
    """Gzip `data` with a fixed header (mtime 0, OS "unknown"), independent of Python version."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY)
    body = compressor.compress(data) + compressor.flush()
    # magic, deflate, no flags, mtime 0, XFL 2 (maximum compression), OS 255 (unknown)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return header + body + trailer


def _compact_text(text: str) -> str:
    records = list(parse_gv100ad(text))
    if not records:
        raise ValueError("no GV100AD records found")
    stands = {record.gebietsstand for record in records}
    if len(stands) != 1:
        raise ValueError(f"records have different Gebietsstand values: {sorted(stands)}")
    (stand,) = stands
    lines = [
        "# coopctl Gemeindeverzeichnis: German Länder, Regierungsbezirke, Regionen, Kreise, "
        "Gemeindeverbände and Gemeinden",
        f"# {_attribution(stand)}",
        "# Data processed by coopctl (changed): fields selected and reformatted from the Destatis "
        "file GV100AD; keys above Gemeinde level padded with zeros to 12-digit ARS.",
        "# Daten von coopctl verändert: Felder aus GV100AD ausgewählt und umformatiert; "
        "Schlüssel oberhalb der Gemeindeebene mit Nullen auf 12 Stellen (ARS) aufgefüllt.",
        "# Licence: Datenlizenz Deutschland - Namensnennung - Version 2.0, "
        "https://www.govdata.de/dl-de/by-2-0",
        f"{_GEBIETSSTAND_HEADER}{_iso_date(stand)}",
        "# Population (Gemeinde records only): 31.12.2024, Zensus 2022 base.",
        f"# records: {len(records)}",
        _COLUMNS_HEADER,
    ]
    for record in records:
        values = (
            record.level,
            record.ars,
            record.ags or "",
            record.type_code or "",
            record.name,
            record.seat or "",
            "" if record.population is None else str(record.population),
        )
        for value in values:
            if "\t" in value or "\n" in value or "\r" in value:
                raise ValueError(f"line {record.line}: field {value!r} holds a tab or line break")
        lines.append("\t".join(values))
    return "\n".join(lines) + "\n"


def derive_compact(text: str) -> bytes:
    """The compact, gzip-compressed TSV derived from the raw GV100AD text.

    Header lines start with ``# `` (attribution, a note that the data were processed,
    Gebietsstand, column list); then one line per record with the columns in `COLUMNS`.
    The output is byte-reproducible for the same input and zlib.
    """
    return _gzip_reproducible(_compact_text(text).encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Entries and the directory
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GvEntry:
    """One record of the compact file.

    `ars` is 12 digits (padded above Gemeinde level); `ags` is set for Gemeinde records only;
    `type_code` is the Textkennzeichen (None for Land, RB and Region records); `seat` is the
    seat of administration (None for Gemeinde records and where the file gives none);
    `population` is set for Gemeinde records only; `state` is the ISO 3166-2 code of the Land.
    """

    level: str
    ars: str
    ags: str | None
    type_code: str | None
    name: str
    seat: str | None
    population: int | None
    state: str

    @property
    def land(self) -> str:
        """The 2-digit Land key."""
        return self.ars[:2]

    @property
    def base_name(self) -> str:
        """The name up to its first comma: "Braunschweig, Stadt" -> "Braunschweig"."""
        return self.name.split(",", 1)[0].strip()

    @property
    def partner_types(self) -> frozenset[str]:
        """The coopctl partner types this record can stand for, by its Textkennzeichen."""
        if self.level == "land":
            if self.land in _STADTSTAAT_LAENDER:
                return frozenset({"land", "stadtstaat"})
            return frozenset({"land"})
        if self.level == "regierungsbezirk":
            # A Regierungsbezirk is an administrative area of the Land; only in Bayern is
            # there a body of the same area, the Bezirk.
            return frozenset({"bezirk"}) if self.land == _BEZIRK_LAND else _NONE
        if self.type_code is None:
            return _NONE
        if self.level == "kreis" and self.name in _KREIS_TYPES_BY_NAME:
            return _KREIS_TYPES_BY_NAME[self.name]
        types = _PARTNER_TYPES_BY_CODE.get((self.level, self.type_code), _NONE)
        if self.ags in _STADTSTAAT_AGS and "kreisfreie_stadt" in types:
            return types | {"stadtstaat"}
        return types

    @property
    def not_a_body(self) -> bool:
        """Whether the record names an area that is no body: a Statistische Region of
        Niedersachsen or a former Regierungs- or Direktionsbezirk ("früher: Reg.-Bez. Trier")."""
        return self.level == "regierungsbezirk" and self.name.startswith(_NOT_A_BODY_PREFIXES)

    @property
    def type_label(self) -> str:
        """A German label for display: the Textkennzeichen's, else the level's."""
        if self.type_code is not None and self.type_code in _TYPE_LABELS:
            return _TYPE_LABELS[self.type_code]
        return _LEVEL_LABELS[self.level]


def gv_type_of(entries: Sequence[GvEntry], partner_type: str | None) -> str | None:
    """The Textkennzeichen a partner of `partner_type` with this key carries: that of the
    lowest record (a kreisfreie Stadt's Gemeinde record, 61, rather than its Kreis record, 41)
    whose partner types include `partner_type`, or of the only typed record when the type is
    not known. None when no record has one."""
    fitting = [
        e
        for e in entries
        if e.type_code is not None
        and (partner_type in e.partner_types if partner_type else bool(e.partner_types))
    ]
    if not fitting or (partner_type is None and len({e.type_code for e in fitting}) > 1):
        return None
    return max(fitting, key=lambda e: _LEVEL_RANK[e.level]).type_code


def _entry_from_row(row: str, number: int) -> GvEntry:
    parts = row.split("\t")
    if len(parts) != len(COLUMNS):
        raise ValueError(f"line {number}: expected {len(COLUMNS)} columns, found {len(parts)}")
    level, ars, ags, type_code, name, seat, population = parts
    state = STATE_OF_LAND.get(ars[:2])
    if level not in _LEVEL_RANK or state is None or len(ars) != 12 or not ars.isdigit():
        raise ValueError(f"line {number}: bad level {level!r} or ARS {ars!r}")
    # Fast path: fill the instance dict directly instead of calling the frozen dataclass
    # __init__ (one object.__setattr__ per field), which takes load() over its time budget.
    # GvEntry has no __post_init__, so the result is the same object __init__ would build.
    entry: GvEntry = object.__new__(GvEntry)
    entry.__dict__.update(
        level=level,
        ars=ars,
        ags=ags or None,
        type_code=type_code or None,
        name=name,
        seat=seat or None,
        population=int(population) if population else None,
        state=state,
    )
    return entry


def parse_compact(text: str) -> tuple[dict[str, str], list[GvEntry]]:
    """Parse the (decompressed) compact file: its header values and its entries.

    The header values are ``gebietsstand`` (ISO date) and ``attribution``. Raises ValueError
    when the column list is not the expected one or a row is malformed.
    """
    header: dict[str, str] = {}
    rows = text.splitlines()
    start = 0
    for start, row in enumerate(rows):
        if not row.startswith("#"):
            raise ValueError(f"line {start + 1}: data before the '# columns:' header")
        if row == _COLUMNS_HEADER:
            break
        if row.startswith(_GEBIETSSTAND_HEADER):
            header["gebietsstand"] = row.removeprefix(_GEBIETSSTAND_HEADER)
        elif row.startswith("# Quelle: "):
            header["attribution"] = row.removeprefix(_HEADER_PREFIX)
    else:
        raise ValueError("no '# columns:' header; not a coopctl Gemeindeverzeichnis file")
    entries = [
        _entry_from_row(row, number)
        for number, row in enumerate(rows[start + 1 :], start=start + 2)
        if row
    ]
    return header, entries


_FOLD_BASE = str.maketrans({"ß": "ss", "ẞ": "ss"})
_FOLD_UMLAUT_E = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_forms(text: str) -> tuple[str, str]:
    """Two spellings of `text` to compare: umlauts as base letter, and as letter + e.

    Both are case-folded, with ß as ss and other diacritics (Sorbian š, é) dropped:
    "Nürnberg" -> ("nurnberg", "nuernberg"); "Nuernberg" -> ("nuernberg", "nuernberg").
    """
    lowered = unicodedata.normalize("NFC", " ".join(text.split())).casefold()
    return (
        _strip_marks(lowered.translate(_FOLD_BASE)),
        _strip_marks(lowered.translate(_FOLD_UMLAUT_E)),
    )


def _name_tier(query_forms: tuple[str, str], names: tuple[str, str, str, str]) -> int | None:
    """0 exact (base or full name), 1 prefix, 2 substring; None when the name does not match.

    `names` holds the folded forms of the base name (two) and of the full name (two).
    """
    base_plain, base_e, full_plain, full_e = names
    tier: int | None = None
    for query in query_forms:
        if query in names:
            return 0
        if (
            base_plain.startswith(query)
            or base_e.startswith(query)
            or full_plain.startswith(query)
            or full_e.startswith(query)
        ):
            tier = 1
        elif tier is None and (query in full_plain or query in full_e):
            tier = 2
    return tier


class Gemeindeverzeichnis:
    """The municipality directory: lookups by ARS and AGS, Regierungsbezirke, search.

    Entries keep the order of the source file (top down within each Land).
    """

    def __init__(
        self,
        entries: Iterable[GvEntry],
        *,
        gebietsstand: str | None = None,
        attribution: str | None = None,
    ) -> None:
        self._entries: tuple[GvEntry, ...] = tuple(entries)
        self.gebietsstand = gebietsstand
        """The Gebietsstand as ISO date ("2025-11-30"), when known."""
        self.attribution = attribution
        """The attribution line from the file header, when known."""
        by_ars: dict[str, list[GvEntry]] = {}
        by_ags: dict[str, GvEntry] = {}
        rbs: dict[str, set[str]] = {}
        for entry in self._entries:
            by_ars.setdefault(entry.ars, []).append(entry)
            if entry.ags is not None:
                if entry.ags in by_ags:
                    raise ValueError(f"duplicate AGS {entry.ags}")
                by_ags[entry.ags] = entry
            if entry.level == "kreis":
                rbs.setdefault(entry.ars[:2], set()).add(entry.ars[2])
        self._by_ars: dict[str, tuple[GvEntry, ...]] = {k: tuple(v) for k, v in by_ars.items()}
        self._by_ags = by_ags
        self._rbs: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in rbs.items()}
        self._folded: list[tuple[str, str, str, str]] | None = None  # built on first search

    @classmethod
    def from_compact(cls, data: bytes) -> Gemeindeverzeichnis:
        """Build from the bytes of a compact file, gzip-compressed or not."""
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        header, entries = parse_compact(data.decode("utf-8"))
        return cls(
            entries,
            gebietsstand=header.get("gebietsstand"),
            attribution=header.get("attribution"),
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GvEntry]:
        return iter(self._entries)

    def entries_for_ars(self, ars: str) -> tuple[GvEntry, ...]:
        """All entries with this 12-digit ARS (Kreis, Gemeindeverband, Gemeinde...), top down."""
        return self._by_ars.get(ars, ())

    def by_ags(self, ags: str) -> GvEntry | None:
        """The Gemeinde entry with this 8-digit AGS, or None."""
        return self._by_ags.get(ags)

    def regierungsbezirke(self, land: str) -> frozenset[str]:
        """The RB digits used by the Kreis records of a Land ("0": Kreise sit under the Land).

        `land` is the 2-digit key ("09") or the ISO code ("DE-BY"). Unknown values raise
        ValueError.
        """
        key = LAND_OF_STATE.get(land, land)
        if key not in STATE_OF_LAND:
            raise ValueError(f"unknown Land {land!r}")
        return self._rbs.get(key, frozenset())

    def _folded_names(self) -> list[tuple[str, str, str, str]]:
        if self._folded is None:
            cache: dict[str, tuple[str, str]] = {}

            def fold(name: str) -> tuple[str, str]:
                forms = cache.get(name)
                if forms is None:
                    forms = cache[name] = _fold_forms(name)
                return forms

            self._folded = [fold(e.base_name) + fold(e.name) for e in self._entries]
        return self._folded

    def search(self, text: str, limit: int = 20) -> list[GvEntry]:
        """Entries matching `text` by name or key, best first, at most `limit`.

        Digits (blanks ignored) match ARS or AGS: exact keys first, then prefixes. Other text
        matches names case-insensitively, with umlauts as base letter or letter+e ("Nürnberg",
        "Nurnberg", "Nuernberg"), ß as ss and other diacritics dropped. Name tiers: exact (the
        part before the first comma, or the whole name), then prefix, then substring.

        Within a tier: entries with partner types before those without (verbandsfreie
        Gemeinden, erfüllende Gemeinden, gemeindefreie Gebiete, Regionen), then by ARS,
        then top-down level (so a kreisfreie Stadt's Kreis record precedes its Gemeinde
        record), then AGS and name. The order is deterministic.
        """
        if limit < 0:
            raise ValueError("limit must not be negative")
        query = "".join(text.split())
        if not query or limit == 0:
            return []
        scored: list[tuple[int, GvEntry]] = []
        if query.isascii() and query.isdigit():
            for entry in self._entries:
                if query in (entry.ars, entry.ags):
                    scored.append((0, entry))
                elif entry.ars.startswith(query) or (entry.ags or "").startswith(query):
                    scored.append((1, entry))
        else:
            query_forms = _fold_forms(text)
            if not all(query_forms):
                return []
            for entry, names in zip(self._entries, self._folded_names(), strict=True):
                tier = _name_tier(query_forms, names)
                if tier is not None:
                    scored.append((tier, entry))
        scored.sort(key=lambda item: _rank_key(*item))
        return [entry for _, entry in scored[:limit]]


def _rank_key(tier: int, entry: GvEntry) -> tuple[int, bool, str, int, str, str, str]:
    return (
        tier,
        not entry.partner_types,
        entry.ars,
        _LEVEL_RANK[entry.level],
        entry.ags or "",
        entry.type_code or "",
        entry.name,
    )


@functools.cache
def load() -> Gemeindeverzeichnis:
    """The directory shipped with coopctl (read once, then cached)."""
    resource = importlib.resources.files("coopctl") / "data" / _PACKAGED_FILE
    return Gemeindeverzeichnis.from_compact(resource.read_bytes())


# --------------------------------------------------------------------------------------------
# python -m coopctl.gv SRC DEST
# --------------------------------------------------------------------------------------------


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coopctl.gv",
        description="Derive coopctl's compact Gemeindeverzeichnis from a Destatis GV100AD file.",
    )
    parser.add_argument("src", type=Path, help="the GV100AD text file (UTF-8)")
    parser.add_argument("dest", type=Path, help="where to write the .tsv.gz file")
    args = parser.parse_args(argv)
    try:
        text = Path(args.src).read_text(encoding="utf-8")
        Path(args.dest).write_bytes(derive_compact(text))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        sys.stderr.write(f"coopctl.gv: error: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
