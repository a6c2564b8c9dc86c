"""Existing entities that a new one may duplicate.

Partners are compared by their name in a normal form (case, umlauts, ß, accents, white space
and punctuation folded; a prefix that names the partner's type, "Stadt", "Landkreis",
"Gemeinde" ..., dropped) together with their type, and by ARS and AGS; agreements by title;
solutions by name. Two partners with one name whose ARS differ are two bodies (there are
many a Gemeinde Buch). `add` asks before writing a new entity that resembles an existing one,
and `validate` warns about two partners of one type that resemble each other (I006).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coopctl.i18n import _
from coopctl.model import Entity

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})

# Words a name may start (or, as the Gemeindeverzeichnis writes it, end) with that only
# repeat the partner's type: "Stadt Helmstedt" and "Helmstedt" name the same Stadt.
_TYPE_WORDS: Mapping[str, tuple[str, ...]] = {
    "gemeinde": ("gemeinde", "markt", "flecken"),
    "stadt": ("stadt", "hansestadt", "grosse kreisstadt", "kreisstadt"),
    "kreisfreie_stadt": ("kreisfreie stadt", "stadt", "hansestadt", "wissenschaftsstadt"),
    "landkreis": ("landkreis", "kreis", "lk"),
    "region": ("region",),
    "staedteregion": ("staedteregion",),
    "regionalverband": ("regionalverband",),
    "samtgemeinde": ("samtgemeinde",),
    "verbandsgemeinde": ("verbandsgemeinde",),
    "amt": ("amt",),
    "verwaltungsgemeinschaft": ("verwaltungsgemeinschaft", "verwaltungsverband"),
    "gemeindeverband": ("samtgemeinde", "verbandsgemeinde", "amt", "verwaltungsgemeinschaft"),
    "stadtstaat": ("freie und hansestadt", "freie hansestadt", "land"),
    "bezirk": ("bezirk",),
    "stadtbezirk": ("bezirk",),
    "land": ("land", "freistaat"),
    "zweckverband": ("zweckverband",),
}
_ALL_TYPE_WORDS = tuple(sorted({w for words in _TYPE_WORDS.values() for w in words}, key=len))


@dataclass(frozen=True)
class _TypeWords:
    """The words `normal_name` may drop, longest first, by the word of the name they can
    match: a prefix ("grosse kreisstadt ") only a name whose first word is its first word,
    a suffix (" stadt") only a name whose last word is its last word."""

    prefixes: Mapping[str, tuple[str, ...]]
    suffixes: Mapping[str, tuple[str, ...]]


def _type_words(words: Iterable[str]) -> _TypeWords:
    prefixes: dict[str, list[str]] = {}
    suffixes: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        prefixes.setdefault(word.partition(" ")[0], []).append(word + " ")
        suffixes.setdefault(word.rpartition(" ")[2], []).append(" " + word)
    return _TypeWords(
        {first: tuple(found) for first, found in prefixes.items()},
        {last: tuple(found) for last, found in suffixes.items()},
    )


_STRIPPED: Mapping[str, _TypeWords] = {
    partner_type: _type_words(words) for partner_type, words in _TYPE_WORDS.items()
}
_STRIPPED_UNTYPED = _type_words(_ALL_TYPE_WORDS)
_NO_TYPE_WORDS = _type_words(())
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")

NAME_FIELD = {"partner": "name", "agreement": "title", "solution": "name"}


@dataclass(frozen=True)
class Resemblance:
    """An existing entity and what it shares with the new one ("the name", "ARS ...")."""

    kind: str
    id: str
    path: str
    label: str  # its name or title, as written
    shared: str


@functools.lru_cache(maxsize=1 << 16)  # a partner's name is folded for several keys
def fold(text: str) -> str:
    """`text` compared loosely: lower case, umlauts as letter + e, ß as ss, other accents
    and invisible characters (zero-width, bidirectional controls) dropped, every run of other
    characters one blank ("Nürnberg" == "NUERNBERG" == "Nürn\u200bberg")."""
    if text.isascii():  # NFKC and NFKD leave ASCII as it is, with nothing to drop
        plain = text.lower()
    else:
        lowered = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
        plain = lowered if lowered.isascii() else _without_marks(lowered)
    return " ".join(_NOT_LETTERS.sub(" ", plain).split())


def _without_marks(text: str) -> str:
    """`text` decomposed, without its combining marks and invisible format characters."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


def normal_name(name: str, partner_type: str | None = None) -> str:
    """A partner's name in normal form. Words that repeat its type are dropped at the start
    or the end; with no type known, every such word is."""
    text = fold(name)
    words = (
        _STRIPPED_UNTYPED if partner_type is None else _STRIPPED.get(partner_type, _NO_TYPE_WORDS)
    )
    for prefix in words.prefixes.get(text.partition(" ")[0], ()):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    for suffix in words.suffixes.get(text.rpartition(" ")[2], ()):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return text


def similarity_keys(kind: str, data: Mapping[str, Any]) -> tuple[str, ...]:
    """What two entities of `kind` must not share: for a partner its typed normal name, ARS
    and AGS; for an agreement its title, for a solution its name (folded). Fields missing or
    not text are left out."""
    keys: list[str] = []
    label = data.get(NAME_FIELD.get(kind, "name"))
    if kind == "partner":
        partner_type = data.get("type")
        if isinstance(label, str) and isinstance(partner_type, str) and normal_name(label):
            keys.append(f"name:{partner_type}:{normal_name(label, partner_type)}")
        for field in ("ars", "ags"):
            value = data.get(field)
            if isinstance(value, str) and value:
                keys.append(f"{field}:{value}")
    elif isinstance(label, str) and fold(label):
        keys.append(f"name:{fold(label)}")
    return tuple(keys)


def told_apart(ars: object, other_ars: object) -> bool:
    """Whether two partners with one name are two bodies all the same: their ARS differ
    (there are many a Gemeinde Buch or Stadt Neustadt)."""
    return isinstance(ars, str) and isinstance(other_ars, str) and ars != other_ars


def _shared(key: str) -> str:
    field, _colon, value = key.partition(":")
    if field == "name":
        return _("the same name")
    return _("the same {key} {value}").format(key=field.upper(), value=value)


def resembling(entities: Iterable[Entity], kind: str, data: Mapping[str, Any]) -> list[Resemblance]:
    """The entities of `kind` that share a name, title or key with `data`, by path.

    A partner whose type is not yet known is compared by its name with partners of every
    type (the name typed at a prompt, before the type is asked)."""
    wanted = set(similarity_keys(kind, data))
    label = data.get(NAME_FIELD.get(kind, "name"))
    untyped = (
        normal_name(label)
        if kind == "partner" and isinstance(label, str) and not isinstance(data.get("type"), str)
        else None
    )
    found: list[Resemblance] = []
    for entity in sorted(entities, key=lambda e: e.path):
        if entity.kind != kind or entity.id == data.get("id"):
            continue
        theirs = similarity_keys(kind, entity.data)
        apart = told_apart(data.get("ars"), entity.data.get("ars"))
        shared = [k for k in theirs if k in wanted and not (apart and k.startswith("name:"))]
        name = entity.data.get(NAME_FIELD[kind])
        if not shared and untyped and not apart and isinstance(name, str):
            shared = ["name:"] if normal_name(name) == untyped else []
        if shared:
            found.append(
                Resemblance(
                    kind,
                    entity.id,
                    entity.path,
                    name if isinstance(name, str) else entity.id,
                    _(" and ").join(_shared(k) for k in shared),
                )
            )
    return found
