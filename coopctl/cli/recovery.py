"""What `coopctl add` does when answers do not make a clean registry, and with drafts.

After the last question the registry-wide problems are shown and the editor chooses: correct
the fields they name (just those are asked again), write anyway (as --force), keep a draft,
or stop. A draft (coopctl.drafts) is resumed with `coopctl add --resume`, straight to the
checks. After Ctrl-C or the end of input in a terminal one question offers to keep a draft.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from coopctl.escaping import plain
from coopctl.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from coopctl.cli.prompts import Prompter
    from coopctl.drafts import Draft
    from coopctl.forms import Field
    from coopctl.model import Problem


class Recovery:
    """The part of an add session that recovers from problems and keeps drafts."""

    root: Path
    console: Console
    asking: bool
    draft: Draft | None
    resumed: str | None

    # Provided by the session (coopctl.cli.add): a prompter whose answers are checked
    # against `answers`, and the two ways to add, which take resumed answers.
    _prompter: Callable[[str, dict[str, Any]], Prompter]
    add_entity: Callable[..., Any]
    add_event: Callable[..., Any]

    def _after_problems(
        self, path: str, problems: list[Problem], text: str, correction: Correction
    ) -> bool:
        """Let the editor choose what to do about errors: correct the fields named (False:
        check again), write anyway (True), or stop, keeping a draft or not."""
        from coopctl.answers import describe

        fields = correction.fields(problems, text, path)
        self.console.print(_("The new state has errors. What now?"))
        options = []
        if fields:
            named = ", ".join(describe(path) for path, _field in fields)
            options.append(("correct", _("correct {fields}").format(fields=named)))
        options += [
            ("write", _("write it anyway (as --force)")),
            ("draft", _("keep a draft to resume later (coopctl add --resume), write nothing")),
            ("quit", _("stop and write nothing")),
        ]
        for number, (_key, label) in enumerate(options, start=1):
            self.console.print(plain(f"  {number}) {label}"))
        while True:
            # Enter never writes a broken file: it corrects, or else keeps a draft.
            default = next(
                n for n, (key, _label) in enumerate(options, 1) if key in {"correct", "draft"}
            )
            answer = str(typer.prompt(_("Choose"), default=str(default))).strip()
            if answer.isdigit() and 1 <= int(answer) <= len(options):
                break
            self.console.print(
                "  " + _("choose a number from 1 to {last}").format(last=len(options))
            )
        choice = options[int(answer) - 1][0]
        if choice == "write":
            return True
        if choice == "correct":
            prompter = self._prompter(correction.kind, correction.data)
            for field_path, field in fields:
                correction.ask_again(prompter, field_path, field)
            return False
        if choice == "draft":
            self._keep_draft()
        else:
            self.console.print(_("nothing was written"))
        raise typer.Exit(1)

    def _keep_draft(self) -> None:
        from datetime import datetime

        from coopctl.drafts import save

        assert self.draft is not None
        name = save(self.root, self.draft, datetime.now())
        if self.resumed is not None and self.resumed != name:
            from coopctl.drafts import remove

            remove(self.root, self.resumed)
        self.console.print(
            plain(
                _("nothing was written; draft kept: coopctl add --resume {name}").format(name=name)
            )
        )

    def offer_draft(self) -> None:
        """After Ctrl-C or the end of input in a terminal: one question, keep the answers?
        A second Ctrl-C (or end of input) just quits."""
        if self.draft is None or not self.asking or not sys.stdin.isatty():
            return
        if not any(v not in (None, "", []) for k, v in self.draft.data.items() if k != "kind"):
            return
        self.console.print()
        try:
            from coopctl.cli.prompts import confirm

            keep = confirm(_("Keep a draft of your answers?"), default=True)
        except (typer.Abort, KeyboardInterrupt):
            return
        if keep:
            self._keep_draft()

    # --- drafts ------------------------------------------------------------------------------

    def resume(self, name: str) -> Any:
        """Go on with a kept draft: straight to the checks and the correction step."""
        from coopctl.drafts import load, names
        from coopctl.errors import UsageError

        if not name:
            kept = names(self.root)
            if len(kept) != 1:
                listing = "\n".join(f"  {n}" for n in kept)
                raise UsageError(
                    _("no drafts kept")
                    if not kept
                    else ngettext(
                        "{count} draft kept:\n{names}", "{count} drafts kept:\n{names}", len(kept)
                    ).format(count=len(kept), names=listing),
                    hint="coopctl add --resume DRAFT" if kept else None,
                )
            name = kept[0]
        draft = load(self.root, name)
        self.resumed = name
        self.console.print(
            plain(_("Resuming draft {name} ({kind}).").format(name=name, kind=draft.kind))
        )
        if draft.kind == "event":
            return self.add_event(draft.agreement, [], None, resumed=draft.data)
        return self.add_entity(draft.kind, [], None, None, None, resumed=draft.data)


class Correction:
    """The answers a check leads back to: `data` is the entity, or the event at
    `prefix` + its position in the agreement."""

    def __init__(
        self, kind: str, form: Field, data: dict[str, Any], prefix: tuple[str, ...]
    ) -> None:
        self.kind = kind
        self.form = form
        self.data = data
        self.prefix = prefix

    def fields(
        self, problems: list[Problem], text: str, path: str
    ) -> list[tuple[tuple[str | int, ...], Field]]:
        """The fields of the answers that the problems name, each once."""
        from coopctl.answers import field_path
        from coopctl.yamlio import join_pointer

        start = self.prefix
        if self.prefix:  # an event: where it stands in the agreement
            from coopctl.yamlio import YamlReader

            document = YamlReader().load(text.encode("utf-8"), path).data or {}
            events = document.get("events") if isinstance(document, dict) else None
            position = next((i for i, e in enumerate(events or []) if e == self.data), None)
            if position is None:
                return []
            start = (*self.prefix, str(position))
        head = join_pointer(list(start)) if start else ""
        found: dict[tuple[str | int, ...], Field] = {}
        for problem in problems:
            pointer = problem.pointer or ""
            if head and not (pointer == head or pointer.startswith(head + "/")):
                continue
            located = field_path(self.form, pointer[len(head) :])
            if located is not None:
                found.setdefault(*located)
        return list(found.items())

    def ask_again(self, prompter: Prompter, path: tuple[str | int, ...], field: Field) -> None:
        from coopctl.answers import field_path, set_at, value_at
        from coopctl.forms import LIST, OBJECT
        from coopctl.yamlio import join_pointer

        current = value_at(self.data, path)
        if field.input == OBJECT and isinstance(current, dict):
            prompter.fill(field, current, optional_question=None)
            return
        if field.input in {OBJECT, LIST}:
            value = prompter.ask(field, required=field.required)
        else:
            default = current if current not in (None, "", []) else None
            label = None
            if path and isinstance(path[-1], int):  # an item of a list: named by the list
                parent = field_path(self.form, join_pointer(list(path[:-1])))
                label = parent[1].title if parent else None
            value = prompter.ask_value(
                field, required=field.required or label is not None, default=default, label=label
            )
        set_at(self.data, path, value)
