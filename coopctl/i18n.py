"""Languages: which one a run speaks, and the gettext catalogs that speak it.

Every human-readable string goes through `_` (or `N_` where the text is kept as a constant and
translated where it is shown, `ngettext` where a number decides the form). The catalogs live in
`coopctl/locale/<lang>/LC_MESSAGES/coopctl.po` and are compiled to `.mo` when the package is
built or installed (`hatch_build.py`). Codes, JSON keys, YAML values and option names are never
translated.

A message is translated where it is made (in the core module that finds the problem or raises
the error), not where it is shown, so every output format carries it in the language of the run.
What is data stays as it is: change actions (`added`, `renamed`), the `working tree` label of
a diff, field names and values quoted from a registry. Facts kept in the cache hold their
messages, so the cache is kept per language (`coopctl.cache.FactCache`).

Which language a run speaks, first match wins:

1. `--lang de|en` (anywhere before `--`);
2. `$COOPCTL_LANG`;
3. the locale: `$LANGUAGE` (a list such as `de:en`), else the first of `$LC_ALL`,
   `$LC_MESSAGES`, `$LANG` that is set, if it names German or English (`C`/`POSIX` name none);
4. `language` in the registry's `coopctl.toml`;
5. German for the texts a registry produces for people: `report`, and `check` where it writes
   the job summary (in a GitHub or GitLab CI job, or with `--format markdown`); English for
   every other command.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("de", "en")
DOMAIN = "coopctl"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANG_ENV = "COOPCTL_LANG"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_translations: dict[str, _gettext.NullTranslations] = {}
_active: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"
# $LANGUAGE as the process found it, before set_language pointed it at the chosen language.
_language_before: list[str | None] = []


def _(message: str) -> str:
    """`message` (an English msgid) in the language of this run."""
    return _active.gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


def language() -> str:
    """The language of this run: "de" or "en"."""
    return _language


def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang`; English text itself if it is not compiled."""
    if lang not in _translations:
        _translations[lang] = _gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    return _translations[lang]


def set_language(lang: str) -> None:
    """Speak `lang` from now on, also in the texts of the command-line library (click reads the
    process' default gettext domain and `$LANGUAGE`, which are pointed at coopctl's catalog)."""
    global _active, _language
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _language, _active = lang, catalog(lang)
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)
    if not _language_before:
        _language_before.append(os.environ.get("LANGUAGE"))
    os.environ["LANGUAGE"] = lang


def environment() -> dict[str, str]:
    """The process' environment as the user set it: $LANGUAGE without what `set_language`
    wrote there (a second run in the same process chooses afresh)."""
    found = dict(os.environ)
    if _language_before and found.get("LANGUAGE") == _language:
        before = _language_before[0]
        if before is None:
            found.pop("LANGUAGE", None)
        else:
            found["LANGUAGE"] = before
    return found


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block, then the language before it."""
    before = _language
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def normalise(value: str) -> str | None:
    """ "de", "de_DE.UTF-8", "de-AT", "German"/"deutsch" and the like as "de" (or "en"); None
    for anything else."""
    head = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    aliases = {"german": "de", "deutsch": "de", "english": "en", "englisch": "en"}
    head = aliases.get(head, head)
    return head if head in LANGUAGES else None


def locale_language(environ: Mapping[str, str]) -> str | None:
    """The language the locale variables name, as gettext reads them; None for C/POSIX, unset
    variables or a language coopctl does not speak."""
    for part in environ.get("LANGUAGE", "").split(":"):
        found = normalise(part) if part else None
        if found:
            return found
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable)
        if value:
            return normalise(value)
    return None


def choose(
    *,
    option: str | None,
    environ: Mapping[str, str],
    configured: str | None,
    document: bool,
) -> str:
    """The language of a run (see the module documentation for the order)."""
    for candidate in (option, environ.get(LANG_ENV) or None):
        if candidate is not None:
            return normalise(candidate) or "en"
    found = locale_language(environ) or configured
    if found:
        return found
    return "de" if document else "en"
