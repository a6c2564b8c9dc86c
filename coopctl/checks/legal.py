"""The legal form of an agreement and what depends on it: only a Zweckvereinbarung delegates
or mandates a task (`task_transfer`)."""

from __future__ import annotations

from collections.abc import Iterator

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.i18n import _
from coopctl.model import Entity, Problem


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    if entity.kind != "agreement" or "task_transfer" not in entity.data:
        return
    legal_form = entity.data.get("legal_form")
    if legal_form == "zweckvereinbarung":
        return
    message = (
        _("task_transfer is only for a Zweckvereinbarung, but no legal_form is given")
        if legal_form is None
        else _("task_transfer is only for a Zweckvereinbarung, but legal_form is {legal_form}")
    )
    yield entity_problem(
        "E006",
        entity,
        message.format(legal_form=legal_form),
        ["task_transfer"],
        hint=_("set legal_form: zweckvereinbarung, or remove task_transfer"),
    )
