"""coopctl add."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coopctl.cli.options import RootOption
from coopctl.cli.recovery import Correction, Recovery
from coopctl.escaping import plain
from coopctl.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from coopctl.cli.prompts import Prompter
    from coopctl.drafts import Draft
    from coopctl.errors import CoopctlError
    from coopctl.forms import Field
    from coopctl.gv import GvEntry
    from coopctl.registry import Registry
    from coopctl.schemas import SchemaSet

EXIT_CANCELLED = 130


class AddKind(StrEnum):
    partner = "partner"
    agreement = "agreement"
    solution = "solution"
    event = "event"


HELP = _(
    "Add a partner, agreement, solution or event.\n"
    "\n"
    "Asks for what the schema requires (then, if wanted, for optional fields), shows "
    "the file and writes it. Each answer is checked when it is given. The new "
    "registry state is validated first; if it has errors nothing is written (unless "
    "--force); in a terminal the editor can correct the fields named, write anyway, "
    "or keep a draft (resumed with --resume). An existing file is never overwritten. "
    "Without a terminal nothing is asked: missing required fields are a usage error "
    "(exit 2) that names them.\n"
    "\n"
    "An entity like an existing one (a partner of the same type with the same name, "
    "or the same ARS or AGS; an agreement with the same title; a solution with the "
    "same name) is shown first: in a terminal you can stop (the default) or go on; "
    "without one it is an error unless --allow-similar.\n"
    "\n"
    "Dates may be typed as 2022-04-23, 2022-04 or 2022, or as 23.04.2022 and 04.2022; "
    "the file gets ISO dates.\n"
    "\n"
    "Exit status: 0 written, 1 the new state has errors, the id exists or a similar "
    "entity exists, 2 usage error, 130 cancelled (nothing written).\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl add partner --ars 031510000000\n"
    "\n"
    "  coopctl add partner --lookup Gifhorn --set sources+='{url: "
    "https://example.org/a}' --yes\n"
    "\n"
    "  coopctl add event braunschweig-salzgitter-wolfsburg --set date=2021-04 \\\n"
    "    --set type=accession --set partners+=landkreis-gifhorn --yes\n"
    "\n"
    "  coopctl add event muenchen-augsburg-nuernberg --set date=2026-06-30 \\\n"
    "    --set type=termination --yes   # also sets status: terminated\n"
    "\n"
    "  coopctl add agreement --from agreement.json --yes\n"
    "\n"
    "  coopctl add --resume"
)


def add(
    what: Annotated[
        str | None,
        typer.Argument(
            help=_(
                "What to add: partner, agreement, solution, or an event (with --resume: "
                "the draft to go on with)."
            ),
            metavar="KIND",
            show_default=False,
        ),
    ] = None,
    agreement: Annotated[
        str | None,
        typer.Argument(
            help=_("For 'event': the id of the agreement the event belongs to."),
            metavar="[AGREEMENT_ID]",
            show_default=False,
        ),
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="PATH=VALUE",
            help=_(
                "Set a field (dotted path: sources.0.url=...); PATH+=VALUE appends to a list. "
                "Repeatable."
            ),
            show_default=False,
        ),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help=_("Start from the fields in a YAML or JSON file ('-' reads stdin)."),
            show_default=False,
        ),
    ] = None,
    ars: Annotated[
        str | None,
        typer.Option(
            "--ars",
            metavar="KEY",
            help=_(
                "Partners: fill name, type, Land, ARS and AGS from the Gemeindeverzeichnis "
                "entry with this ARS (12 digits) or AGS (8 digits)."
            ),
            show_default=False,
        ),
    ] = None,
    lookup: Annotated[
        str | None,
        typer.Option(
            "--lookup",
            metavar="NAME",
            help=_(
                "Partners: like --ars, finding the entry by name (several matches: a "
                "numbered choice in a terminal, else a usage error listing them)."
            ),
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help=_(
                "Events: the agreement's new status, set in the same write (a termination, "
                "dissolution or supersession sets terminated, dissolved or superseded unless "
                "given)."
            ),
            show_default=False,
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("Write without asking for confirmation."))
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help=_("Write even if the new state has errors (never overwrites).")
        ),
    ] = False,
    allow_similar: Annotated[
        bool,
        typer.Option(
            "--allow-similar",
            help=_(
                "Write even if an entity with the same name, title, ARS or AGS exists "
                "(--force implies it)."
            ),
        ),
    ] = False,
    commit: Annotated[
        bool,
        typer.Option("--commit", help=_("Make a git commit of exactly the written file.")),
    ] = False,
    interactive: Annotated[
        bool | None,
        typer.Option(
            "--interactive/--no-interactive",
            help=_("Ask for missing fields (default: only when stdin is a terminal)."),
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help=_(
                "Go on with a kept draft: coopctl add --resume [DRAFT] (without a name: the "
                "only one, or the list of them)."
            ),
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Add a partner, agreement, solution or event."""
    from coopctl.cli.output import make_console
    from coopctl.registry import find_root, load_working_tree
    from coopctl.schemas import load_schemas

    registry_root = find_root(root)
    schemas = load_schemas(registry_root / "schemas")
    registry = load_working_tree(registry_root)
    asking = sys.stdin.isatty() if interactive is None else interactive
    console = make_console(stderr=True)
    session = _Session(registry_root, schemas, registry, console, asking, yes, force)
    session.allow_similar = allow_similar or force
    try:
        if resume:
            written = session.resume(what or "")
        elif what == AddKind.event:
            written = session.add_event(agreement, assignments or [], from_file, status)
        else:
            from coopctl.errors import UsageError

            kind = _kind(what)
            if agreement is not None:
                raise UsageError(
                    _("unexpected argument '{argument}' for 'add {kind}'").format(
                        argument=plain(agreement), kind=kind
                    )
                )
            if status is not None:
                raise UsageError(_("--status is for events; use --set status=... here"))
            written = session.add_entity(kind, assignments or [], from_file, ars, lookup)
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C at a question, or while one is shown
        session.offer_draft()
        console.print(_("cancelled; nothing was written"))
        raise typer.Exit(EXIT_CANCELLED) from None
    if commit:
        from coopctl.cli.saving import commit as commit_written

        commit_written(registry_root, written.path, written.message, console)


class _Written:
    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message


class _Session(Recovery):
    """One run of `coopctl add`: the registry as loaded, how to ask, and the safety rules."""

    def __init__(
        self,
        root: Path,
        schemas: SchemaSet,
        registry: Registry,
        console: Console,
        asking: bool,
        yes: bool,
        force: bool,
    ) -> None:
        self.root = root
        self.schemas = schemas
        self.registry = registry
        self.console = console
        self.asking = asking
        self.yes = yes
        self.force = force
        self.known_ids = {kind: registry.ids(kind) for kind in registry.by_kind}
        self.allow_similar = False
        self.offered: set[str] = set()  # paths of similar entities the editor has seen
        self.draft: Draft | None = None  # the answers so far, kept if the editor wants
        self.resumed: str | None = None
        # the partner types a Gemeindeverzeichnis entry allows when it allows several
        self.type_choices: tuple[str, ...] = ()

    def _prompter(self, kind: str, answers: dict[str, Any]) -> Prompter:
        from datetime import date

        from coopctl.answers import AnswerCheck
        from coopctl.cli.prompts import Prompter

        check = AnswerCheck(self.schemas, kind, date.today(), answers)
        return Prompter(self.console, self.known_ids, check)

    def _start(self, form: Field, assignments: list[str], from_file: str | None) -> dict[str, Any]:
        from coopctl.authoring import Assignment, apply_assignments, read_input_file

        data: dict[str, Any] = {}
        if from_file is not None:
            data.update(read_input_file(_read_input(from_file), from_file))
        apply_assignments(data, form, [Assignment.parse(a) for a in assignments], self.known_ids)
        return data

    # --- entities ----------------------------------------------------------------------------

    def add_entity(
        self,
        kind: str,
        assignments: list[str],
        from_file: str | None,
        ars: str | None,
        lookup: str | None,
        resumed: dict[str, Any] | None = None,
    ) -> _Written:
        from coopctl.authoring import PREFIXED_TYPES, entity_path, entity_text, missing_required
        from coopctl.drafts import Draft
        from coopctl.errors import UsageError
        from coopctl.forms import entity_form, slug, unique_id
        from coopctl.fsio import WriteError

        form = entity_form(self.schemas, kind)
        data: dict[str, Any] = {} if resumed is None else resumed
        self.draft = Draft(kind, data)
        if ars is not None or lookup is not None:
            if kind != "partner":
                raise UsageError(_("--ars and --lookup fill partners only"))
            data.update(self._from_directory(ars, lookup))
        data.update(self._start(form, assignments, from_file))
        data["kind"] = kind
        taken = self.known_ids.get(kind, [])
        name_field = "name" if form.field("name") else "title"

        def suggestion() -> str:
            # A municipality is known by its place name (nuernberg), a Kreis or a
            # Gemeindeverband with its prefix (samtgemeinde-meinersen beside meinersen).
            named = data.get("short_name") if data.get("type") not in PREFIXED_TYPES else None
            return unique_id(slug(str(named or data.get(name_field) or kind)), taken)

        def derived_id() -> str:
            # Without questions the id follows from the name alone, never with -2 appended:
            # a second run with the same name is a duplicate, however the runs interleave.
            named = data.get("short_name") if data.get("type") not in PREFIXED_TYPES else None
            return slug(str(named or data.get(name_field) or kind))

        if self.asking and resumed is None:
            self._ask_entity(form, data, name_field, suggestion, derived_id)
        if "id" not in data and isinstance(data.get(name_field), str):
            data["id"] = derived_id()
        missing = missing_required(form, data)
        if missing:
            hint = _(
                "give them with --set FIELD=VALUE or --from FILE, or run in a terminal to be asked"
            )
            if "type" in missing and self.type_choices:
                hint = _(
                    "the Gemeindeverzeichnis entry fits several types ({types}): choose one "
                    "with --set type=TYPE"
                ).format(types=", ".join(self.type_choices))
            raise UsageError(_missing(missing), hint=hint)
        if kind == "partner":
            from coopctl.authoring import fill_gv_type
            from coopctl.gv import load

            fill_gv_type(data, load())
        entity_id = str(data["id"])
        if entity_id in taken:
            raise _duplicate(kind, entity_id, self.registry.by_kind[kind][entity_id].path)
        self._refuse_similar(kind, data)
        if not _is_slug(entity_id):
            raise UsageError(
                _(
                    "'{id}' is not a valid id: lower-case letters a-z, digits and single "
                    "hyphens, at most 64 characters"
                ).format(id=plain(entity_id)),
                hint=_("for example --set id={id}").format(id=slug(entity_id) or "name-of-" + kind),
            )
        path = entity_path(kind, entity_id)
        if (self.root / path).exists() or (self.root / path).is_symlink():
            raise _duplicate(kind, entity_id, path)  # written since the registry was read
        correction = Correction(kind, form, data, ())
        try:
            self._check_and_write(
                path, lambda _: entity_text(data, kind, self.schemas), correction, create=True
            )
        except WriteError as exc:
            if (self.root / path).exists() or (self.root / path).is_symlink():
                raise _duplicate(kind, entity_id, path) from exc
            raise
        return _Written(path, f"Add {kind} {entity_id}")

    def _ask_id(
        self,
        prompter: Prompter,
        kind: str,
        data: dict[str, Any],
        ids: tuple[str, str],
        id_field: Field | None,
    ) -> str:
        """The id, asked once the editor has seen the entities like the new one (and the one
        with the id `base`, so that `base`-2 is never offered without it); `ids`: (base,
        suggestion)."""
        base, suggestion = ids
        self._refuse_similar(kind, data, also=base)
        return prompter.confirm_id(suggestion, self.known_ids.get(kind, []), id_field)

    def _refuse_similar(self, kind: str, data: dict[str, Any], also: str | None = None) -> None:
        """Stop before a new entity that resembles an existing one (`coopctl.similar`), or
        whose suggested id `also` is taken: in a terminal the editor may go on; without one
        it is an error unless --allow-similar. An entity once shown is not shown again."""
        from coopctl.errors import CoopctlError
        from coopctl.similar import NAME_FIELD, Resemblance, resembling

        if self.allow_similar:
            return
        found = resembling(self.registry.of_kind(kind), kind, data)
        same_id = self.registry.get(kind, also) if also else None
        if same_id is not None and all(r.path != same_id.path for r in found):
            label = same_id.data.get(NAME_FIELD[kind])
            label = label if isinstance(label, str) else same_id.id
            found.append(Resemblance(kind, same_id.id, same_id.path, label, _("the id")))
        found = [r for r in found if r.path not in self.offered]
        if not found:
            return
        from coopctl.cli.prompts import confirm

        lines = [
            _("{path} ('{id}', {label}) has {shared}").format(
                path=r.path, id=r.id, label=r.label, shared=r.shared
            )
            for r in found
        ]
        if not self.asking:
            raise CoopctlError(
                _("a similar {kind} exists already: {entries}; nothing was written").format(
                    kind=_kind_name(kind), entries="; ".join(lines)
                ),
                hint=_("use the existing entry, or add --allow-similar if the new one is another"),
            )
        self.console.print(_("A similar {kind} exists already:").format(kind=_kind_name(kind)))
        for line in lines:
            self.console.print(plain(f"  {line}"))
        if not confirm(
            _("Add a new {kind} all the same?").format(kind=_kind_name(kind)), default=False
        ):
            self.console.print(
                plain(
                    _("nothing was written; the existing entry: {path}").format(path=found[0].path)
                )
            )
            raise typer.Exit(1)
        self.offered.update(r.path for r in found)

    def _ask_entity(
        self,
        form: Field,
        data: dict[str, Any],
        name_field: str,
        suggestion: Callable[[], str],
        derived_id: Callable[[], str],
    ) -> None:
        kind = str(data["kind"])
        prompter = self._prompter(kind, data)
        id_field = form.field("id")
        self.console.print(
            _("New {kind}. Required fields first; Ctrl-C cancels.").format(kind=_kind_name(kind))
        )
        for field in form.required_fields:
            if field.name in {"kind", "id"} or data.get(field.name) not in (None, "", []):
                continue
            data[field.name] = prompter.ask(field, required=True)
            if field.name == name_field and "id" not in data:
                ids = (derived_id(), suggestion())
                data["id"] = self._ask_id(prompter, kind, data, ids, id_field)
        if "id" not in data:
            data["id"] = self._ask_id(prompter, kind, data, (derived_id(), suggestion()), id_field)
        prompter.fill(form, data, skip=frozenset({"kind", "id"}))

    def _from_directory(self, ars: str | None, lookup: str | None) -> dict[str, Any]:
        from coopctl.authoring import (
            partner_from_entries,
            partner_type_choices,
            territorial_entries,
        )
        from coopctl.errors import UsageError
        from coopctl.gv import load

        directory = load()
        if ars is not None:
            entries = territorial_entries(directory, ars)
            if not entries:
                raise UsageError(
                    _("no Gemeindeverzeichnis entry has the key {key}").format(key=plain(ars))
                )
        else:
            assert lookup is not None
            found = [e for e in directory.search(lookup) if e.partner_types]
            exact = [e for e in found if e.base_name.casefold() == lookup.strip().casefold()]
            candidates = exact or found
            if not candidates:
                raise UsageError(
                    _("no Gemeindeverzeichnis entry matches '{name}'").format(name=plain(lookup))
                )
            keys = {e.ars for e in candidates}
            if len(keys) > 1 and self.asking:
                keys = {self._choose_entry(lookup, candidates)}
            if len(keys) > 1:
                listing = "; ".join(f"{e.name} ({e.type_label}, {e.ars})" for e in candidates[:6])
                raise UsageError(
                    _("'{name}' matches {count} entries: {entries}").format(
                        name=plain(lookup), count=len(keys), entries=listing
                    ),
                    hint=_("choose one with --ars KEY ('coopctl lookup NAME' lists them)"),
                )
            entries = directory.entries_for_ars(next(iter(keys)))
        fields = partner_from_entries(entries)
        if "type" not in fields:
            self.type_choices = partner_type_choices(entries)
        self.console.print(
            plain(
                _("From the Gemeindeverzeichnis: {name} ({type}), ARS {ars}").format(
                    name=entries[0].name, type=entries[0].type_label, ars=entries[0].ars
                )
            )
        )
        return fields

    def _choose_entry(self, lookup: str, candidates: list[GvEntry]) -> str:
        """The ARS of the entry the editor picks from a numbered list, one line per key."""
        by_key: dict[str, GvEntry] = {}
        for entry in candidates:
            by_key.setdefault(entry.ars, entry)
        choices = list(by_key.values())
        self.console.print(
            plain(_("'{name}' matches {count} entries:").format(name=lookup, count=len(choices)))
        )
        for number, entry in enumerate(choices, start=1):
            self.console.print(
                plain(f"  {number:>2}) {entry.name} ({entry.type_label}, ARS {entry.ars})")
            )
        while True:
            answer = str(typer.prompt(_("Which one? (1-{last})").format(last=len(choices))))
            answer = answer.strip()
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                return choices[int(answer) - 1].ars
            self.console.print(
                "  " + _("answer a number from 1 to {last}").format(last=len(choices))
            )

    # --- events ------------------------------------------------------------------------------

    def add_event(
        self,
        agreement: str | None,
        assignments: list[str],
        from_file: str | None,
        status: str | None = None,
        resumed: dict[str, Any] | None = None,
    ) -> _Written:
        from coopctl.authoring import missing_required, with_event
        from coopctl.drafts import Draft
        from coopctl.errors import UsageError
        from coopctl.forms import did_you_mean, item_form

        if agreement is None:
            raise UsageError(
                _("which agreement? usage: coopctl add event AGREEMENT_ID"),
                hint=_("agreements: {ids}").format(
                    ids=", ".join(self.known_ids.get("agreement", [])) or _("none yet")
                ),
            )
        entity = self.registry.get("agreement", agreement)
        if entity is None:
            ids = self.known_ids.get("agreement", [])
            raise UsageError(
                _("no agreement with id '{id}'").format(id=plain(agreement))
                + did_you_mean(agreement, ids)
            )
        form = item_form(self.schemas, "agreement", ("events", "*"))
        event = self._start(form, assignments, from_file) if resumed is None else resumed
        self.draft = Draft("event", event, agreement)
        if self.asking and resumed is None:
            self.console.print(
                plain(_("New event of {agreement}. Ctrl-C cancels.").format(agreement=agreement))
            )
            self._prompter("agreement", event).fill(form, event)
        missing = missing_required(form, event)
        if missing:
            raise UsageError(
                _missing(missing),
                hint=_("give them with --set FIELD=VALUE, or run in a terminal to be asked"),
            )
        from coopctl.membership import ENDING_STATUS

        # An ending moves the status in the same write: apart, either order fails E003.
        status = status or ENDING_STATUS.get(str(event.get("type")))
        self._check_and_write(
            entity.path,
            lambda raw: with_event(raw, entity.path, event, form, self.schemas, status),
            Correction("agreement", form, event, ("events",)),
            create=False,
        )
        parties = ", ".join(str(p) for p in event.get("partners") or [])
        detail = f" ({parties})" if parties else ""
        moved = f"; status {status}" if status else ""
        message = f"Add {event['type']} {event['date']}{detail} to {agreement}{moved}"
        return _Written(entity.path, message)

    # --- checking and writing ----------------------------------------------------------------

    def _check_and_write(
        self,
        path: str,
        compose: Callable[[bytes], str],
        correction: Correction,
        *,
        create: bool,
    ) -> None:
        """Write the text `compose` makes from the file's current bytes (b'' for a new file),
        after checking the registry it would make (and asking, in a terminal). An existing
        file is read, changed and written under its lock, so concurrent writers queue up and
        none loses another's change; a new file is created only if its name is free."""
        from coopctl.cli.saving import refusing_links
        from coopctl.fsio import write_atomic, write_locked

        target = self.root / path
        with refusing_links(path, self.console):
            if create:
                write_atomic(
                    target, self._checked(path, lambda: compose(b""), correction), overwrite=False
                )
            else:
                write_locked(
                    target, path, lambda raw: self._checked(path, lambda: compose(raw), correction)
                )
        make_console().print(plain(_("wrote {path}").format(path=path)))
        if self.resumed is not None:
            from coopctl.drafts import remove

            remove(self.root, self.resumed)

    def _checked(self, path: str, compose: Callable[[], str], correction: Correction) -> bytes:
        """The text `compose` makes, as bytes, once the registry with it has no new errors
        (or --force) and, in a terminal, the editor has said yes. In a terminal the editor
        may first correct the fields the problems name, write anyway, or keep a draft."""
        from datetime import date

        from coopctl.authoring import has_errors, problems_after
        from coopctl.cli.reporters import problem_line
        from coopctl.errors import CoopctlError

        force = self.force
        while True:
            text = compose()
            data = text.encode("utf-8")
            problems = problems_after(self.root, self.schemas, path, data, date.today())
            for problem in problems:
                self.console.print(problem_line(problem))
            if not has_errors(problems) or force:
                break
            if not self.asking:
                raise CoopctlError(
                    _("{path}: the new state has errors; nothing was written").format(path=path),
                    hint=_("correct the values (or use --force to write it anyway)"),
                )
            force = self._after_problems(path, problems, text, correction)
        if self.asking and not self.yes:
            self.console.rule(path)
            self.console.out(text, end="")
            self.console.rule()
            from coopctl.cli.prompts import confirm

            if not confirm(_("Write {path}?").format(path=path), default=True):
                raise typer.Abort
        return data


def _kind(what: str | None) -> str:
    from coopctl.errors import UsageError
    from coopctl.forms import did_you_mean

    kinds = [k.value for k in AddKind]
    if what is None:
        raise UsageError(
            _("what to add? usage: coopctl add KIND ({kinds})").format(kinds=", ".join(kinds)),
            hint=_("or coopctl add --resume to go on with a kept draft"),
        )
    if what not in kinds:
        raise UsageError(
            _("'{text}' is not one of {choices}").format(text=plain(what), choices=", ".join(kinds))
            + did_you_mean(what, kinds)
        )
    return what


def _duplicate(kind: str, entity_id: str, path: str) -> CoopctlError:
    from coopctl.errors import CoopctlError

    return CoopctlError(
        _("a {kind} with id '{id}' exists already ({path}); nothing was written").format(
            kind=_kind_name(kind), id=entity_id, path=path
        ),
        hint=_("choose another id with --set id=..."),
    )


def _kind_name(kind: str) -> str:
    from coopctl.forms import kind_name

    return kind_name(kind)


def _missing(names: list[str]) -> str:
    return ngettext(
        "missing required field: {fields}", "missing required fields: {fields}", len(names)
    ).format(fields=", ".join(names))


def make_console() -> Console:
    from coopctl.cli.output import make_console as console

    return console()


def _read_input(name: str) -> bytes:
    from coopctl.errors import UsageError

    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise UsageError(
            _("--from {file}: cannot read: {reason}").format(file=plain(name), reason=exc.strerror)
        ) from None


def _is_slug(text: str) -> bool:
    import re

    return len(text) <= 64 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text) is not None
