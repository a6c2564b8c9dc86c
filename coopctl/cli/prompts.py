"""Questions built from a form (coopctl.forms): how `coopctl add` talks to an editor.

Required fields are asked first, optional ones after "add optional fields?"; choices are
numbered with their descriptions; dates are checked as partial ISO dates; references are
checked against the registry with "did you mean" and, in a terminal, completed with Tab;
lists ask "add another?"; an optional group of fields (EfA, OZG) is one yes/no question, and
inside it Enter skips each optional field. Every answer is also checked at once by the
caller's `check` (coopctl.answers); a wrong answer is explained and asked again, nothing
answered before is lost. Ctrl-C or the end of the input aborts the whole command before
anything is written.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from coopctl.escaping import plain
from coopctl.forms import (
    CHOICE,
    CONSTANT,
    DATE,
    LIST,
    OBJECT,
    REFERENCE,
    AnswerError,
    Field,
    kind_name,
    parse_answer,
    typed_form,
    yes_or_no,
)
from coopctl.i18n import N_, _, language

_SHOWN_IDS = 12
ENCOURAGED = frozenset({"partners", "sources"})  # events name parties; facts need sources
PARTIES = frozenset({"partners"})


class Prompter:
    """Asks for the fields of a form on a console, reading answers from stdin."""

    def __init__(
        self,
        console: Console,
        known_ids: Mapping[str, Sequence[str]],
        check: Callable[[Field, Any], str | None] | None = None,
    ) -> None:
        self.console = console
        self.known_ids = known_ids
        self.check = check

    # --- objects and lists -------------------------------------------------------------------

    def fill(
        self,
        form: Field,
        data: dict[str, Any],
        *,
        skip: frozenset[str] = frozenset(),
        optional_question: str | None = N_("Add optional fields?"),
    ) -> dict[str, Any]:
        """Ask for the required fields of `form` that `data` lacks, then (if the editor wants)
        for the optional ones. Fields in `skip` are left to the caller."""
        for field in form.required_fields:
            if field.name not in skip and _is_empty(data.get(field.name)):
                data[field.name] = self.ask(field, required=True)
        optional = [
            f
            for f in form.optional_fields
            if f.name not in skip and _is_empty(data.get(f.name)) and f.input != CONSTANT
        ]
        # A signing, an accession, a withdrawal name their parties; facts of an entity need
        # sources. Inside a list item only the parties are pressed for.
        wanted = ENCOURAGED if optional_question else PARTIES
        encouraged = [f for f in optional if f.name in wanted]
        for field in encouraged:  # asked before the other optional fields, default yes
            optional.remove(field)
            value = self._ask_list(field, required=False, default=True)
            if not _is_empty(value):
                data[field.name] = value
        if optional and (optional_question is None or confirm(_(optional_question), default=False)):
            for field in optional:
                if not field.asked_for(data):  # x-asked-when, by the answers so far
                    continue
                value = self.ask(field, required=False)
                if not _is_empty(value):
                    data[field.name] = value
        return data

    def ask(self, field: Field, *, required: bool, default: Any = None) -> Any:
        if field.input == OBJECT:
            question = field.question or _("Add {field}?").format(field=field.title)
            if not required and not confirm(question, default=False):
                return None
            self._heading(field)
            return self.fill(field, {}, optional_question=None)
        if field.input == LIST and field.item is not None:
            return self._ask_list(field, required=required)
        return self.ask_value(field, required=required, default=default)

    def _ask_list(self, field: Field, *, required: bool, default: bool = False) -> list[Any] | None:
        item = field.item
        assert item is not None
        items: list[Any] = []
        noun = field.title.lower() if language() == "en" else field.title
        if not required and not confirm(_("Add {field}?").format(field=noun), default=default):
            return None
        while True:
            if item.input in {OBJECT, LIST}:
                value = self.ask(item, required=True)
            else:  # a list of single values: ask by the list's title ("Partners")
                value = self.ask_value(item, required=True, label=field.title)
            items.append(value)
            if not confirm(_("Add another to {field}?").format(field=noun), default=False):
                return items

    # --- single values -----------------------------------------------------------------------

    def ask_value(
        self, field: Field, *, required: bool, default: Any = None, label: str | None = None
    ) -> Any:
        if label is None:
            self._heading(field)
        if field.input == CHOICE:
            self._show_choices(field)
        elif field.input == REFERENCE:
            self._show_ids(field)
        label = label or field.title
        if field.input == DATE:
            label = _("{label} (YYYY, YYYY-MM or YYYY-MM-DD)").format(label=label)
        if not required:
            label = _("{label} (Enter to skip)").format(label=label)
        shown_default = (
            _label(field, default) if default is not None else ("" if not required else None)
        )
        candidates = self.known_ids.get(field.reference or "", ())
        while True:
            if candidates and sys.stdin.isatty():
                answer = _read_completed(label, shown_default, candidates)
            else:
                answer = typer.prompt(label, default=shown_default, show_default=bool(default))
            if not answer.strip() and not required:
                return None
            try:
                value = parse_answer(field, answer, self.known_ids)
            except AnswerError as exc:
                self._refuse(str(exc))
                continue
            reason = self.check(field, value) if self.check else None
            if reason is None:
                return value
            self._refuse(reason)

    def _refuse(self, reason: str) -> None:
        self.console.print(Text(f"  {plain(reason)}", style="red"))

    def _heading(self, field: Field) -> None:
        line = Text(field.title, style="bold")
        if field.description:
            line.append(f" — {plain(field.description)}", style="dim")
        self.console.print(line)

    def _show_choices(self, field: Field) -> None:
        named = any(choice.shown_name for choice in field.choices)
        width = max((len(choice.label) for choice in field.choices), default=0) if named else 0
        for number, choice in enumerate(field.choices, start=1):
            line = Text(f"  {number:>2}) {choice.label:<{width}}")
            if choice.shown_name:  # the label people know it by (Niedersachsen)
                line.append(f"  {plain(choice.shown_name)}")
            elif choice.description and language() == "en":  # x-enum-descriptions: English
                line.append(f"  {plain(choice.description)}", style="dim")
            self.console.print(line)

    def _show_ids(self, field: Field) -> None:
        ids = list(self.known_ids.get(field.reference or "", ()))
        if not ids:
            none_yet = _("(the registry has no {kind} yet)").format(kind=kind_name(field.reference))
            self.console.print(Text(f"  {none_yet}", "yellow"))
            return
        shown = ", ".join(ids[:_SHOWN_IDS]) + (" ..." if len(ids) > _SHOWN_IDS else "")
        known = _("{kind} ids: {ids}").format(kind=kind_name(field.reference), ids=plain(shown))
        self.console.print(Text(f"  {known}", style="dim"))

    def confirm_id(self, suggestion: str, taken: Sequence[str], field: Field | None) -> str:
        """Ask for the id, offering `suggestion`; an id that is taken or that the schema
        refuses is asked again."""
        while True:
            answer = str(typer.prompt(_("Id (file name)"), default=suggestion)).strip()
            if answer in taken:
                self._refuse(_("'{id}' exists already").format(id=answer))
                continue
            reason = self.check(field, answer) if self.check and field else None
            if reason is None:
                return answer
            self._refuse(reason)


def _is_empty(value: Any) -> bool:
    return value is None or value in ("", [])


def _label(field: Field, value: Any) -> str:
    """A value as the editor gives it back: a date as typed in the language of the run."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field.input == DATE and isinstance(value, str):
        return typed_form(value)
    return str(value)


def confirm(question: str, *, default: bool) -> bool:
    """A yes/no question: `[J/n]` in German, `[Y/n]` in English; j/ja/y/yes and n/nein/no are
    understood in either language, Enter takes the default. Ctrl-C or the end of input
    aborts (typer.Abort), as at every other question."""
    if language() == "de":
        hint = "[J/n]" if default else "[j/N]"
    else:
        hint = "[Y/n]" if default else "[y/N]"
    while True:
        answer = str(typer.prompt(f"{question} {hint}", default="", show_default=False))
        if not answer.strip():
            return default
        decided = yes_or_no(answer)
        if decided is not None:
            return decided
        typer.echo(_("  answer y (yes) or n (no)"))


def _read_completed(label: str, default: str | None, candidates: Sequence[str]) -> str:
    """One line from the terminal with Tab completing whole ids. The whole question is
    readline's prompt, so that it is drawn again after a list of candidates (a prompt
    written before reading, as typer.prompt does, would be lost then)."""
    question = f"{label} [{plain(default)}]: " if default else f"{label}: "
    while True:
        with _completion(candidates):
            try:
                answer = input(question)
            except (KeyboardInterrupt, EOFError):
                print(file=sys.stderr)  # the cursor is still on the question's line
                raise typer.Abort from None
        if answer.strip() or default is not None:
            return answer if answer.strip() else default or ""


@contextlib.contextmanager
def _completion(candidates: Sequence[str]) -> Iterator[None]:
    """Tab completion of ids while one question is asked, where the terminal has readline.
    An id is completed whole: hyphens do not split it into words."""
    try:
        import readline
    except ImportError:  # pragma: no cover - every supported platform but Windows has it
        yield
        return
    previous = readline.get_completer()
    previous_delimiters = readline.get_completer_delims()

    def complete(text: str, state: int) -> str | None:
        matches = [c for c in candidates if c.startswith(text)] or [
            c for c in candidates if text and text in c
        ]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete if candidates else None)
    readline.set_completer_delims(" \t\n")
    if "libedit" in (readline.__doc__ or ""):  # pragma: no cover - macOS's readline
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    try:
        yield
    finally:
        readline.set_completer(previous)
        readline.set_completer_delims(previous_delimiters)
