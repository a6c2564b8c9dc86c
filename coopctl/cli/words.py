"""Words for stable identifiers in human text: the kinds of entity and the severities, in the
language of the run (the identifiers themselves never change)."""

from __future__ import annotations

from coopctl.i18n import N_, _

KIND_WORDS = {"partner": N_("partner"), "agreement": N_("agreement"), "solution": N_("solution")}
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}


def kind_word(kind: str) -> str:
    """ "partner", "agreement" or "solution" for people; an unknown kind as it is."""
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


def severity_word(severity: str) -> str:
    """ "error" or "warning" for people (the `[CODE]` after it never changes)."""
    return _(SEVERITY_WORDS[severity]) if severity in SEVERITY_WORDS else severity
