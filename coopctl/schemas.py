"""JSON Schemas: loading, one compiled validator per kind, and errors turned into Problems.

Schemas are read from a registry's `schemas/` folder. `$ref`s resolve only among those files:
no schema is ever fetched from the network. Custom keywords carry what coopctl derives from
the schemas instead of writing it twice: `x-ref` (a field holds the id of another entity),
`x-identity` (what identifies an item of a list), `x-not-future` (a date that cannot lie
ahead), `x-key-order`, `x-enum-descriptions`, `x-question` and `x-asked-when` (for formatting
and prompts).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopctl.codes import new_problem
from coopctl.errors import UsageError
from coopctl.i18n import N_, _, ngettext
from coopctl.model import KINDS, Entity, Problem
from coopctl.reference import DIALECT, UnknownDialect, check_schema, reference_validator
from coopctl.yamlio import join_pointer, quoted, reference_only, split_pointer

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from coopctl.versions import SchemaVersions

DEFS_FILE = "defs.schema.json"
ANY = "*"  # stands for "every item" in a field pattern
Pattern = tuple[str, ...]


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def bundled_schema_dir() -> Path:
    """The schemas shipped with coopctl: inside the wheel, or the repository's schemas/."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_schemas", package.parent / "schemas"):
        if (candidate / DEFS_FILE).is_file():
            return candidate
    raise UsageError(
        _("coopctl's own schemas are missing from this installation"),
        hint=_("reinstall coopctl"),
    )


@functools.cache
def _bundled_texts() -> frozenset[str]:
    from coopctl.schema_texts import TEXTS

    return frozenset(TEXTS)


def schema_text(text: str) -> str:
    """A text for people from a registry's schemas (`description`, `title`, `x-question`, a
    value of `x-enum-descriptions`) in the language of the run: translated where it is one of
    coopctl's own schema texts (`coopctl.schema_texts`), shown as it is otherwise (a registry
    that changed its copy of a schema sees its own words)."""
    return _(text) if text in _bundled_texts() else text


@dataclass(frozen=True)
class FieldRules:
    """What the schema of one kind says about fields, by field pattern."""

    references: tuple[tuple[Pattern, str], ...]
    dates: tuple[tuple[Pattern, bool], ...]  # (pattern, must not be in the future)
    identities: tuple[tuple[Pattern, tuple[str, ...]], ...]
    key_orders: Mapping[Pattern, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def patterns(self) -> frozenset[Pattern]:
        """Every field pattern the rules name (with the `until` beside each `from`)."""
        named = [p for p, _ in (*self.references, *self.dates, *self.identities)]
        return frozenset((*named, *(_until(p) for p in named)))

    @functools.cached_property
    def _tree(self) -> _PatternNode:
        root = _PatternNode()
        for pattern in sorted(self.patterns):
            node = root
            for part in pattern:
                if part == ANY:
                    node.each = node.each or _PatternNode()
                    node = node.each
                else:
                    node = node.keys.setdefault(part, _PatternNode())
            node.pattern = pattern
        root.settle()
        return root

    def collect(self, data: Any) -> dict[Pattern, list[tuple[tuple[str | int, ...], Any]]]:
        """The values of every field pattern of these rules, in one walk of the document.
        The values of a pattern below which nothing is looked for (a date, a reference: most
        of them) are taken while the node above it is visited."""
        found: dict[Pattern, list[tuple[tuple[str | int, ...], Any]]] = {}
        stack: list[tuple[_PatternNode, tuple[str | int, ...], Any]] = [(self._tree, (), data)]
        while stack:  # depth first, each list in its order: matches come in document order
            node, path, value = stack.pop()
            if node.pattern is not None:
                found.setdefault(node.pattern, []).append((path, value))
            if node.keys and isinstance(value, dict):
                for key, child in node.keys.items():
                    if key not in value:
                        continue
                    if child.leaf:
                        found.setdefault(child.leaf, []).append(((*path, key), value[key]))
                    else:
                        stack.append((child, (*path, key), value[key]))
            each = node.each
            if each is not None and isinstance(value, list) and value:
                if each.leaf:
                    values = found.setdefault(each.leaf, [])
                    for index, item in enumerate(value):
                        values.append(((*path, index), item))
                else:
                    for index in range(len(value) - 1, -1, -1):
                        stack.append((each, (*path, index), value[index]))
        return found


class _PatternNode:
    """A step of the field patterns: the names below it, the node for every item of a list,
    the pattern that ends here, and that pattern again as `leaf` if nothing lies below."""

    __slots__ = ("each", "keys", "leaf", "pattern")

    def __init__(self) -> None:
        self.keys: dict[str, _PatternNode] = {}
        self.each: _PatternNode | None = None
        self.pattern: Pattern | None = None
        self.leaf: Pattern | None = None

    def settle(self) -> None:
        """Set `leaf` throughout, once the tree is built."""
        below = [*self.keys.values(), *([self.each] if self.each is not None else [])]
        self.leaf = None if below else self.pattern
        for node in below:
            node.settle()


def _until(pattern: Pattern) -> Pattern:
    """Periods: where a `from` pattern is, its `until` is looked up too."""
    return (*pattern[:-1], "until") if pattern and pattern[-1] == "from" else pattern


def fields_of(
    entity: Entity, rules: FieldRules
) -> dict[Pattern, list[tuple[tuple[str | int, ...], Any]]]:
    """The values of each field pattern of `rules` in the entity (as `values_at` finds them),
    from one walk of the document, made when first asked for. Patterns without a value are
    missing from the mapping."""
    if not entity.fields:
        entity.fields.update(rules.collect(entity.data))
        entity.fields[()] = [((), entity.data)]  # the walk is done, even if nothing matched
    return entity.fields


@dataclass(frozen=True)
class SchemaSet:
    """The schemas of a registry. jsonschema's validators (the reference, which also writes
    the messages) are built on first use; files are checked first by compiled predicates
    that only say valid or not (`coopctl.compiled`), much faster."""

    directory: Path
    documents: Mapping[str, Mapping[str, Any]]
    rules: Mapping[str, FieldRules]
    digest: str
    versions: SchemaVersions | None = None  # what each file declares (`coopctl.versions`)
    _validators: dict[str, Validator] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    _compiled: dict[str, Callable[[Any], bool] | None] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )
    _reference_only: bool = dataclasses.field(
        default_factory=reference_only, compare=False, repr=False
    )

    @property
    def version(self) -> int | None:
        """The schema version all files declare, None if they do not agree."""
        return self.versions.version if self.versions is not None else None

    def schema(self, kind: str) -> Mapping[str, Any]:
        return self.documents[schema_file(kind)]

    @property
    def validators(self) -> Mapping[str, Validator]:
        """jsonschema's validator of each kind; building them checks the schemas themselves
        (a broken schema is a usage error)."""
        if not self._validators:
            self._validators.update(_validators(self.directory, self.documents))
        return self._validators

    def verify(self) -> None:
        """Check the schemas against the JSON Schema meta-schema (UsageError if broken)."""
        self.validators  # noqa: B018  (building them checks them)

    def is_valid(self, kind: str, instance: Any) -> bool:
        if self._reference_only:
            return bool(self.validators[kind].is_valid(instance))
        from coopctl.compiled import Declined, compile_schema

        if kind not in self._compiled:
            self._compiled[kind] = compile_schema(self.documents, schema_file(kind))
        predicate = self._compiled[kind]
        if predicate is not None:
            try:
                return predicate(instance)
            except Declined:
                pass
        return bool(self.validators[kind].is_valid(instance))


def load_schemas(directory: Path, *, any_version: bool = False) -> SchemaSet:
    """Read the schemas of a registry; a missing or unreadable one is a usage error (exit 2).
    They must be of the schema version this coopctl reads (`coopctl.versions`: VersionProblem
    for an older registry, UsageError for a newer one) unless `any_version` (migrate)."""
    from coopctl.versions import SchemaVersions, require_current

    documents: dict[str, Mapping[str, Any]] = {}
    raws: dict[str, bytes] = {}
    digest = hashlib.sha256()
    for name in (DEFS_FILE, *(schema_file(kind) for kind in KINDS)):
        path = directory / name
        try:
            raw = path.read_bytes()
            documents[name] = json.loads(raw)
        except FileNotFoundError:
            raise UsageError(
                _("{path}: schema file missing").format(path=path),
                hint=_("copy the schemas with 'coopctl init' or restore them from git"),
            ) from None
        except (OSError, ValueError) as exc:
            raise UsageError(
                _("{path}: cannot read schema: {reason}").format(path=path, reason=exc)
            ) from exc
        digest.update(name.encode() + b"\0" + raw + b"\0")
        raws[name] = raw
    versions = SchemaVersions.of(documents, raws)
    if not any_version:
        require_current(versions)
    rules = {kind: _field_rules(documents, schema_file(kind)) for kind in KINDS}
    return SchemaSet(directory, documents, rules, digest.hexdigest(), versions)


def _validators(
    directory: Path, documents: Mapping[str, Mapping[str, Any]]
) -> dict[str, Validator]:
    validators = {}
    for kind in KINDS:
        document = documents[schema_file(kind)]
        try:
            check_schema(document)
        except Exception as exc:  # SchemaError: message names the broken keyword
            raise UsageError(
                _("{path}: invalid schema: {reason}").format(
                    path=directory / schema_file(kind), reason=getattr(exc, "message", exc)
                )
            ) from exc
    try:
        for kind in KINDS:
            validators[kind] = reference_validator(documents, schema_file(kind))
    except UnknownDialect as exc:
        raise UsageError(
            f"{directory / exc.document}: {exc}",
            hint=_(
                "coopctl reads JSON Schema draft 2020-12: write '$schema': '{dialect}' or "
                "leave it out"
            ).format(dialect=DIALECT),
        ) from exc
    return validators


def _resolve(
    documents: Mapping[str, Mapping[str, Any]], current: str, ref: str
) -> tuple[str, Mapping[str, Any]]:
    target, _hash, fragment = ref.partition("#")
    name = target or current
    node: Any = documents.get(name)
    if node is None:
        raise UsageError(
            _("schema reference '{ref}' in {schema} names no schema file").format(
                ref=ref, schema=current
            )
        )
    for part in (p for p in fragment.split("/") if p):
        node = node[part]
    return name, node


def resolve_refs(
    documents: Mapping[str, Mapping[str, Any]], document: str, node: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """A subschema with its `$ref`s merged in, and the schema file the last one led to."""
    merged = dict(node)
    while "$ref" in merged:
        document, target = _resolve(documents, document, merged.pop("$ref"))
        merged = {**target, **merged}
    return document, merged


def walk_schema(
    documents: Mapping[str, Mapping[str, Any]], name: str
) -> Iterator[tuple[Pattern, Mapping[str, Any]]]:
    """Every field pattern of a kind's schema with the (merged) subschema found there."""

    def visit(
        document: str, node: Mapping[str, Any], pattern: Pattern, depth: int
    ) -> Iterator[tuple[Pattern, Mapping[str, Any]]]:
        if depth > 32:
            return
        document, merged = resolve_refs(documents, document, node)
        yield pattern, merged
        for key, sub in (merged.get("properties") or {}).items():
            yield from visit(document, sub, (*pattern, key), depth + 1)
        if isinstance(merged.get("items"), Mapping):
            yield from visit(document, merged["items"], (*pattern, ANY), depth + 1)

    yield from visit(name, documents[name], (), 0)


def _field_rules(documents: Mapping[str, Mapping[str, Any]], name: str) -> FieldRules:
    references, dates, identities = [], [], []
    key_orders: dict[Pattern, tuple[str, ...]] = {}
    for pattern, node in walk_schema(documents, name):
        order = node.get("x-key-order") or list(node.get("properties") or ())
        if order:
            key_orders[pattern] = tuple(order)
        if "x-ref" in node:
            references.append((pattern, str(node["x-ref"])))
        if node.get("title") == "Date" or node.get("pattern", "").startswith("^[0-9]{4}(-"):
            dates.append((pattern, bool(node.get("x-not-future"))))
        if "x-identity" in node:
            identity = node["x-identity"]
            identities.append(
                (pattern, (identity,) if isinstance(identity, str) else tuple(identity))
            )
    return FieldRules(tuple(references), tuple(dates), tuple(identities), key_orders)


def values_at(
    data: Any, pattern: Pattern, prefix: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """The values a field pattern matches in a document, with their paths (in document
    order). One level of the pattern at a time: this runs for every pattern of every file."""
    if pattern and pattern[0] != ANY and not (isinstance(data, dict) and pattern[0] in data):
        return iter(())
    found: list[tuple[tuple[str | int, ...], Any]] = [(prefix, data)]
    for head in pattern:
        deeper: list[tuple[tuple[str | int, ...], Any]] = []
        if head == ANY:
            for path, value in found:
                if isinstance(value, list):
                    deeper.extend(((*path, index), item) for index, item in enumerate(value))
        else:
            for path, value in found:
                if isinstance(value, dict) and head in value:
                    deeper.append(((*path, head), value[head]))
        if not deeper:
            return iter(())
        found = deeper
    return iter(found)


# --- validation errors → Problems ------------------------------------------------------------

_CODE_OF_KEYWORD = {
    "required": "S002",
    "additionalProperties": "S003",
    "unevaluatedProperties": "S003",
    "type": "S004",
    "enum": "S005",
    "const": "S005",
    "pattern": "S006",
    "format": "S006",
}
_JSON_TYPE = {
    str: N_("text"),
    int: N_("a number"),
    float: N_("a number"),
    bool: N_("true/false"),
    list: N_("a list"),
    dict: N_("a mapping"),
    type(None): N_("empty (null)"),
}


def readable_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """events[2].date — the way editors think of a field."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("the document")


def pointer_path(pointer: str) -> str:
    """readable_path of a JSON pointer: /events/2/date -> events[2].date."""
    return readable_path([int(p) if p.isdigit() else p for p in split_pointer(pointer)])


def _short(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it, shortened: text quoted (control characters escaped),
    everything else as YAML would show it."""
    if isinstance(value, str):
        text = quoted(value)
    elif value is None or isinstance(value, bool):
        text = "null" if value is None else str(value).lower()
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return _(" (did you mean '{word}'?)").format(word=close[0]) if close else ""


def schema_problems(
    schemas: SchemaSet, entity: Entity, kind: str, *, streamed: bool = False
) -> Iterator[Problem]:
    """Problems of one document against the schema of `kind` (the kind of its folder), the
    most relevant first; `streamed`: in the order jsonschema finds them, none kept in memory
    (for a caller that shows only the first so many of thousands)."""
    if schemas.is_valid(kind, entity.data):
        return
    from jsonschema.exceptions import best_match, relevance
    from referencing.exceptions import Unresolvable

    validator = schemas.validators[kind]
    try:
        errors: Iterable[ValidationError] = validator.iter_errors(entity.data)
        if not streamed:
            errors = sorted(errors, key=relevance, reverse=True)
        for error in errors:
            best = best_match(error.context) if error.context else error
            yield from _problems_of(best, entity, kind)
    except Unresolvable as exc:
        raise UsageError(
            _("{path}: a schema reference cannot be resolved: {reason}").format(
                path=schemas.directory, reason=exc
            )
        ) from exc
    except UsageError:
        raise
    except Exception as exc:  # the boundary around jsonschema: the file, not the run, fails
        yield _make(
            "S001",
            _("the schema validator failed on this document (with {error})").format(
                error=type(exc).__name__
            ),
            entity,
            "",
        )


def _problems_of(error: ValidationError, entity: Entity, kind: str) -> Iterator[Problem]:
    path = list(error.absolute_path)
    where = readable_path(path)
    keyword = str(error.validator)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    code = _CODE_OF_KEYWORD.get(keyword, "S001")
    hint = None
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        message = _("{where}: required field '{field}' is missing").format(
            where=where, field=missing
        )
        described = (schema.get("properties", {}).get(missing, {}) or {}).get("description")
        hint = schema_text(str(described)) if described else None
    elif keyword in {"additionalProperties", "unevaluatedProperties"}:
        known = sorted((schema.get("properties") or {}).keys())
        extras = [key for key in instance if key not in known] if isinstance(instance, dict) else []
        for extra in extras:
            yield _make(
                "S003",
                _("{where}: unknown field '{field}'{suggestion}").format(
                    where=readable_path([*path, extra]),
                    field=extra,
                    suggestion=_suggest(extra, known),
                ),
                entity,
                join_pointer([*path, extra]),
                hint=_("known fields: {fields}").format(fields=", ".join(known)),
            )
        return
    elif keyword == "const" and path == ["kind"]:
        yield _make(
            "I004",
            _(
                "kind is {found} but the file is in the folder of {kind}s (expected '{kind}')"
            ).format(found=_short(instance), kind=kind),
            entity,
            "/kind",
        )
        return
    elif keyword == "type":
        yield type_problem(entity, path, schema.get("type"), instance, schema)
        return
    elif keyword in {"enum", "const"}:
        allowed = list(schema.get("enum", [schema.get("const")]))
        names = [
            str(a).lower() if isinstance(a, bool) else str(a) for a in allowed if a is not None
        ]
        message = _("{where}: {value} is not allowed; choose one of: {choices}").format(
            where=where, value=_short(instance), choices=", ".join(names)
        )
        if isinstance(instance, str) and instance in names:
            hint = _("write {value} without quotes").format(value=instance)
        elif isinstance(instance, int | float) and not isinstance(instance, bool):
            if str(instance) in {a for a in allowed if isinstance(a, str)}:  # model: 1.1
                hint = quoting_hint(path, instance, schema)
        elif isinstance(instance, str):
            message += _suggest(instance, names)
    elif keyword in {"pattern", "format"}:
        described = schema.get("description") or schema.get("title")
        what = schema_text(str(described)) if described else _("the required format")
        message = _("{where}: {value} has the wrong format: {rule}").format(
            where=where, value=_short(instance), rule=what
        )
    elif keyword in {"not", "oneOf", "anyOf"} and schema.get("description"):
        # A combination of rules says in its own description what it asks for ("a partner
        # belongs to one Land or to several, not both"); the validator's text would dump the
        # value and the subschemas.
        rule = schema_text(str(schema["description"]))
        message = _("{where}: {rule}").format(where=where, rule=rule)
    else:
        message = _("{where}: {rule}").format(where=where, rule=_rule_message(keyword, error))
        if "then" in error.relative_schema_path and schema.get("description"):
            # a rule that holds only under a condition (if/then) says which in its description
            hint = schema_text(str(schema["description"]))
    yield _make(code, message, entity, join_pointer(path), hint=hint)


def type_problem(
    entity: Entity,
    path: list[str | int],
    expected: Any,
    instance: Any,
    schema: Mapping[str, Any] | None = None,
) -> Problem:
    """S004: the value at `path` is not of the `expected` JSON type(s); `schema` (the field's
    rules) lets the hint give a key back its leading zeros."""
    found = (
        "null"
        if instance is None
        else _("{type} {value}").format(
            type=_(_JSON_TYPE[type(instance)])
            if type(instance) in _JSON_TYPE
            else type(instance).__name__,
            value=_short(instance),
        )
    )
    if isinstance(expected, list) and len(expected) == 1:
        expected = expected[0]
    hint = None
    if (
        expected == "string"
        and isinstance(instance, int | float)
        and not isinstance(instance, bool)
    ):
        hint = quoting_hint(path, instance, schema or {})
    return _make(
        "S004",
        _("{where}: expected {expected}, found {found}").format(
            where=readable_path(path), expected=_type_words(expected), found=found
        ),
        entity,
        join_pointer(path),
        hint=hint,
    )


_DIGITS_PATTERN = re.compile(r"\^\[0-9\]\{([0-9]+)\}\$")


def digits_length(schema: Mapping[str, Any]) -> int | None:
    """N for a field whose pattern is exactly N digits (`^[0-9]{8}$`: an AGS), else None."""
    found = _DIGITS_PATTERN.fullmatch(str(schema.get("pattern", "")))
    return int(found.group(1)) if found else None


def quoted_number(instance: int | float, schema: Mapping[str, Any]) -> str:
    """The text a number read from an unquoted key or code was meant to be: its digits,
    zero-padded to the field's length where the field is a fixed number of digits."""
    digits = str(instance)
    length = digits_length(schema)
    if length is not None and digits.isdigit() and len(digits) < length:
        return digits.zfill(length)
    return digits


def quoting_hint(path: list[str | int], instance: int | float, schema: Mapping[str, Any]) -> str:
    """S004's hint for a number where text is expected, built from the value itself."""
    text = quoted_number(instance, schema)
    field = f"{path[-1]}: " if path and isinstance(path[-1], str) else ""
    message = (
        _("quote the value so it stays text with its leading zeros: {fixed}")
        if text != str(instance)
        else _("quote the value so it stays text: {fixed}")
    )
    return message.format(fixed=f"{field}'{text}'")


def _rule_message(keyword: str, error: ValidationError) -> str:
    limit = error.validator_value
    instance = error.instance
    size = len(instance) if isinstance(instance, str | list) else 0
    if keyword == "minLength":
        if limit == 1:
            return _("must not be empty")
        return _("needs at least {limit} characters").format(limit=limit)
    if keyword == "maxLength":
        return _("has {size} characters; at most {limit} are allowed").format(
            size=size, limit=limit
        )
    if keyword == "minItems":
        return ngettext(
            "needs at least {limit} item", "needs at least {limit} items", int(str(limit))
        ).format(limit=limit)
    if keyword == "maxItems":
        return _("has {size} items; at most {limit} are allowed").format(size=size, limit=limit)
    if keyword == "uniqueItems":
        return _("lists the same item more than once")
    text = error.message
    return text if len(text) <= 200 else text[:197] + "..."


def _type_words(expected: Any) -> str:
    names = {
        "string": N_("text"),
        "array": N_("a list"),
        "object": N_("a mapping"),
        "integer": N_("a whole number"),
        "number": N_("a number"),
        "boolean": N_("true or false"),
        "null": "null",
    }

    def word(name: Any) -> str:
        return _(names[str(name)]) if str(name) in names else str(name)

    if isinstance(expected, list):
        text = word(expected[0]) if expected else ""
        for other in expected[1:]:
            text = _("{first} or {second}").format(first=text, second=word(other))
        return text
    return word(expected)


def _make(
    code: str, message: str, entity: Entity, pointer: str, hint: str | None = None
) -> Problem:
    return new_problem(
        code, message, entity.path, pointer=pointer, entity=f"{entity.kind}:{entity.id}", hint=hint
    )


def subschema_at(
    documents: Mapping[str, Mapping[str, Any]], name: str, pattern: Pattern
) -> tuple[str, dict[str, Any]] | None:
    """The subschema a field pattern leads to in the schema `name` (its `$ref`s merged in),
    with the schema file its own references are relative to; None if the schema has no such
    field."""
    document, node = resolve_refs(documents, name, documents[name])
    for part in pattern:
        child = node.get("items") if part == ANY else (node.get("properties") or {}).get(part)
        if not isinstance(child, Mapping):
            return None
        document, node = resolve_refs(documents, document, child)
        # The rule's own description (an http or https address) says more about a wrong
        # value than the field's (the partner's website).
        if "$ref" in child:
            target = resolve_refs(documents, document, {"$ref": child["$ref"]})[1]
            if "description" in target:
                node["description"] = target["description"]
    return document, node


def value_messages(schemas: SchemaSet, kind: str, pattern: Pattern, value: Any) -> list[str]:
    """What the schema of `kind` says against `value` alone at the field `pattern`, through
    the reference validator (formats checked, patterns ECMA-262), most relevant first; the
    messages are those validate gives, without the field's name."""
    found = subschema_at(schemas.documents, schema_file(kind), pattern)
    if found is None:
        return []
    document, node = found
    kinds = {schema_file(k): k for k in KINDS}
    owner = kinds.get(document)
    base = (
        schemas.validators[owner]
        if owner is not None
        else reference_validator(schemas.documents, document)
    )
    validator = base.evolve(schema=node)
    from jsonschema.exceptions import best_match, relevance

    entity = Entity(kind, "", "", {})
    messages: list[str] = []
    for error in sorted(validator.iter_errors(value), key=relevance, reverse=True):
        best = best_match(error.context) if error.context else error
        for problem in _problems_of(best, entity, kind):
            text = problem.message
            messages.append(text.removeprefix(_("the document") + ": "))
    return messages
