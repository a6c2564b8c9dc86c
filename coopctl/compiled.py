"""Pass/fail validators compiled from the JSON Schemas: jsonschema's `is_valid`, only faster.

`compile_schema` turns a schema, and everything it reaches through `$ref`, into a predicate
made of plain closures. For any instance built from dict, list, str, int, float, bool and None
it answers exactly what the reference validator's `is_valid` answers (`coopctl.schemas`:
jsonschema's draft 2020-12 validator with ECMA-262 regular expressions, `coopctl.ecma`), with
jsonschema's semantics where they differ from Python's: True is not 1 in `enum`, `const` and
`uniqueItems`, 1.0 is an integer, and `format` fails only for formats with an installed checker.

The predicate answers or raises `Declined`, and then the caller asks the reference. It declines
every instance on which the reference could raise instead of answering: jsonschema's
`multipleOf` raises on infinity, NaN and integers beyond the range of floats, and since it
stops at the first failing keyword, in the order the schema lists them, whether it gets there
depends on an order the predicate does not keep. So where the schemas use `multipleOf`, an
instance holding such a number anywhere is declined as a whole (the one exception left: an
instance so deep under a recursive schema that only jsonschema exceeds Python's recursion limit).

The predicate only says valid or not: jsonschema stays the reference and words the problems of
a failing file. A schema that uses anything the compiler does not know (another dialect, a
`$schema` below a document's root, `$dynamicRef`, `unevaluatedProperties`, a keyword of
another draft) compiles to None, and the caller keeps using jsonschema for it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from numbers import Number
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from coopctl import ecma
from coopctl.reference import DIALECTS

Predicate = Callable[[Any], bool]

# Keywords that never make an instance invalid: annotations, and the containers of subschemas
# that are only reached through `$ref`.
IGNORED = frozenset(
    {
        "title",
        "description",
        "$schema",
        "$id",
        "$defs",
        "definitions",
        "$comment",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
# Keywords read together with another one (`then`/`else` only count under `if`,
# `minContains`/`maxContains` only under `contains`).
COMPANIONS = frozenset({"then", "else", "minContains", "maxContains"})
OBJECT_KEYWORDS = frozenset(
    {
        "required",
        "properties",
        "patternProperties",
        "additionalProperties",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "dependentRequired",
    }
)
ARRAY_KEYWORDS = frozenset(
    {"items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"}
)
STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern"})
NUMBER_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
OTHER_KEYWORDS = frozenset(
    {"type", "enum", "const", "format", "$ref", "allOf", "anyOf", "oneOf", "not", "if"}
)
SUPPORTED = OBJECT_KEYWORDS | ARRAY_KEYWORDS | STRING_KEYWORDS | NUMBER_KEYWORDS | OTHER_KEYWORDS


class Unsupported(Exception):
    """The schema uses something the compiler leaves to jsonschema."""


class Declined(Exception):
    """The predicate leaves this instance to the reference validator."""


def compile_schema(documents: Mapping[str, Mapping[str, Any]], name: str) -> Predicate | None:
    """A predicate equal to the reference validator's `is_valid` for `documents[name]`, `$ref`s
    resolved among `documents` by name; None if the schema needs jsonschema itself."""
    try:
        return _Compiler(documents, name).compile_root()
    except Unsupported:
        return None


# --- jsonschema's semantics -------------------------------------------------------------------


def _accept(instance: Any) -> bool:
    return True


def _reject(instance: Any) -> bool:
    return False


def _is_number(instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int | float | Number)


def _is_integer(instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


TYPE_TESTS: Mapping[str, Predicate] = {
    "object": lambda instance: isinstance(instance, dict),
    "array": lambda instance: isinstance(instance, list),
    "string": lambda instance: isinstance(instance, str),
    "null": lambda instance: instance is None,
    "boolean": lambda instance: isinstance(instance, bool),
    "number": _is_number,
    "integer": _is_integer,
}

_TRUE, _FALSE = object(), object()


def _unbool(value: Any) -> Any:
    """True and False as values distinct from 1 and 0 (jsonschema's `unbool`)."""
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's `equal`: == except that booleans never equal numbers, at any depth."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and _equal(value, two[key]) for key, value in one.items()
        )
    return bool(_unbool(one) == _unbool(two))


def _unique(items: list[Any]) -> bool:
    """jsonschema's `uniq`, with a shortcut for lists of strings (where it amounts to a set)."""
    if all(isinstance(item, str) for item in items):
        return len(set(items)) == len(items)
    # jsonschema sorts and compares neighbours, and compares every pair only when the items
    # cannot be sorted. Sorting puts [1] and [True] side by side as equals, so a list like
    # [[1], [True], [1]] counts as unique there: the same algorithm keeps the same answers.
    try:
        ordered = sorted(_unbool(item) for item in items)
        return not any(
            _equal(i, j) for i, j in zip(ordered, itertools.islice(ordered, 1, None), strict=False)
        )
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in map(_unbool, items):
            if any(_equal(other, item) for other in seen):
                return False
            seen.append(item)
        return True


def _is_multiple(instance: Any, divisor: Any) -> bool:
    """jsonschema's `multipleOf`, including where it raises (NaN or infinity under a float)."""
    if isinstance(divisor, float):
        quotient = instance / divisor
        try:
            return bool(int(quotient) == quotient)
        except OverflowError:
            return (Fraction(instance) / Fraction(divisor)).denominator == 1
    return not instance % divisor


# --- combining predicates ---------------------------------------------------------------------


def _all_of(checks: Sequence[Predicate]) -> Predicate:
    checks = [check for check in checks if check is not _accept]
    if any(check is _reject for check in checks):
        return _reject
    if not checks:
        return _accept
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks

        def both(instance: Any) -> bool:
            return first(instance) and second(instance)

        return both
    frozen = tuple(checks)

    def every(instance: Any) -> bool:
        for check in frozen:  # noqa: SIM110 (a loop is faster than all() over a generator)
            if not check(instance):
                return False
        return True

    return every


def _any_of(checks: Sequence[Predicate]) -> Predicate:
    frozen = tuple(checks)

    def some(instance: Any) -> bool:
        for check in frozen:  # noqa: SIM110 (a loop is faster than any() over a generator)
            if check(instance):
                return True
        return False

    return some


def _one_of(checks: Sequence[Predicate]) -> Predicate:
    frozen = tuple(checks)

    def exactly_one(instance: Any) -> bool:
        found = False
        for check in frozen:
            if check(instance):
                if found:
                    return False
                found = True
        return found

    return exactly_one


# --- reading keyword values -------------------------------------------------------------------


def _count(value: Any) -> int | float:
    """A non-negative integer, as the metaschema allows it (2.0 included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unsupported(f"not a count: {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise Unsupported(f"not a count: {value!r}")
    if value < 0:
        raise Unsupported(f"not a count: {value!r}")
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unsupported(f"not a number: {value!r}")
    return value


def _regex(pattern: Any) -> Any:
    """The ECMA-262 regex of a `pattern` (a `regress.Regex`)."""
    if not isinstance(pattern, str):
        raise Unsupported(f"not a pattern: {pattern!r}")
    try:
        return ecma.compile_pattern(pattern)
    except (ecma.RegexError, UnicodeEncodeError) as exc:
        raise Unsupported(f"pattern {pattern!r}: {exc}") from exc


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Unsupported(f"not a list of strings: {value!r}")
    return tuple(value)


def _schema_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Unsupported(f"not a list of schemas: {value!r}")
    return value


def _schema_map(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Unsupported(f"not a mapping of schemas: {value!r}")
    return value


# --- the compiler -----------------------------------------------------------------------------


class _Compiler:
    """Compiles the schemas reachable from one root; a `$ref` target is compiled once."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]], name: str) -> None:
        if name not in documents:
            raise Unsupported(f"no schema named {name}")
        for document_name, document in documents.items():
            _check_document(document_name, document)
        root = documents[name]
        # As jsonschema does: the root is known by its $id, or by "" when it has none; the
        # other documents by the names they were registered under.
        self.root_uri: str = root.get("$id", "") if isinstance(root, Mapping) else ""
        self.resources: dict[str, Any] = {**documents, self.root_uri: root}
        self.compiled: dict[tuple[str, str], Predicate] = {}
        self.in_progress: dict[tuple[str, str], list[Predicate]] = {}
        self.uses_multiple_of = False

    def compile_root(self) -> Predicate:
        predicate = self.target(self.root_uri, "")
        if not self.uses_multiple_of:
            return predicate

        def guarded(instance: Any) -> bool:
            if _holds_inexact_number(instance):
                raise Declined("a number on which multipleOf may raise in the reference")
            return predicate(instance)

        return guarded

    # references

    def reference(self, base: str, ref: Any) -> Predicate:
        """What `referencing` would resolve `ref` to, from a subschema whose base URI is
        `base`."""
        if not isinstance(ref, str):
            raise Unsupported(f"$ref is not a string: {ref!r}")
        if ref.startswith("#"):
            uri, fragment = base, ref[1:]
        else:
            uri, fragment = urldefrag(urljoin(base, ref))
        if uri not in self.resources:
            raise Unsupported(f"$ref {ref!r} names no known schema")
        if fragment and not fragment.startswith("/"):
            raise Unsupported(f"$ref {ref!r} names an anchor")
        return self.target(uri, fragment)

    def target(self, uri: str, pointer: str) -> Predicate:
        key = (uri, pointer)
        done = self.compiled.get(key)
        if done is not None:
            return done
        pending = self.in_progress.get(key)
        if pending is not None:
            # A reference back into a schema still being compiled: call it through a slot
            # that is filled once it is done.
            def forward(instance: Any) -> bool:
                return pending[0](instance)

            return forward
        slot: list[Predicate] = []
        self.in_progress[key] = slot
        predicate = self.schema(_follow(self.resources[uri], pointer), uri)
        slot.append(predicate)
        del self.in_progress[key]
        self.compiled[key] = predicate
        return predicate

    # subschemas

    def schema(self, schema: Any, base: str) -> Predicate:
        if schema is True:
            return _accept
        if schema is False:
            return _reject
        if not isinstance(schema, Mapping):
            raise Unsupported(f"not a schema: {schema!r}")
        for keyword in schema:
            if not isinstance(keyword, str):
                raise Unsupported(f"keyword {keyword!r}")
            if not (
                keyword in SUPPORTED
                or keyword in IGNORED
                or keyword in COMPANIONS
                or keyword.startswith("x-")
            ):
                raise Unsupported(f"keyword {keyword!r}")

        strict, type_check = self.type_of(schema.get("type"), "type" in schema)
        checks: list[Predicate] = []
        groups = (
            (OBJECT_KEYWORDS, "object", self.object_keywords),
            (ARRAY_KEYWORDS, "array", self.array_keywords),
            (STRING_KEYWORDS, "string", self.string_keywords),
            (NUMBER_KEYWORDS, "number", self.number_keywords),
        )
        for keywords, kind, build in groups:
            if not keywords.isdisjoint(schema):
                own = strict == kind or (kind == "number" and strict == "integer")
                checks.append(build(schema, base, strict if own else None))
                if own:
                    type_check = None  # the group checks the type itself
        if type_check is not None:
            checks.insert(0, type_check)
        if "enum" in schema:
            checks.append(_enum(schema["enum"]))
        if "const" in schema:
            checks.append(_const(schema["const"]))
        if "format" in schema:
            checks.append(_format(schema["format"]))
        if "$ref" in schema:
            checks.append(self.reference(base, schema["$ref"]))
        if "allOf" in schema:
            checks.extend(self.schema(sub, base) for sub in _schema_list(schema["allOf"]))
        if "anyOf" in schema:
            checks.append(
                _any_of([self.schema(sub, base) for sub in _schema_list(schema["anyOf"])])
            )
        if "oneOf" in schema:
            checks.append(
                _one_of([self.schema(sub, base) for sub in _schema_list(schema["oneOf"])])
            )
        if "not" in schema:
            checks.append(_negation(self.schema(schema["not"], base)))
        if "if" in schema:
            checks.append(
                _condition(
                    self.schema(schema["if"], base),
                    self.schema(schema.get("then", True), base),
                    self.schema(schema.get("else", True), base),
                )
            )
        return _all_of(checks)

    @staticmethod
    def type_of(value: Any, present: bool) -> tuple[str | None, Predicate | None]:
        """The single type a schema requires, if it names one, and the test of its `type`."""
        if not present:
            return None, None
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(
            isinstance(name, str) and name in TYPE_TESTS for name in names
        ):
            raise Unsupported(f"type {value!r}")
        if len(names) == 1:
            return names[0], TYPE_TESTS[names[0]]
        return None, _any_of([TYPE_TESTS[name] for name in names])

    def object_keywords(
        self, schema: Mapping[str, Any], base: str, strict: str | None
    ) -> Predicate:
        required = frozenset(_strings(schema.get("required", [])))
        properties = {
            key: self.schema(sub, base)
            for key, sub in _schema_map(schema.get("properties", {})).items()
        }
        pattern_map = _schema_map(schema.get("patternProperties", {}))
        patterns = tuple(
            (_regex(pattern), self.schema(sub, base)) for pattern, sub in pattern_map.items()
        )
        extra: Predicate | None = None
        if "additionalProperties" in schema:
            extra = self.schema(schema["additionalProperties"], base)
            if extra is _accept:
                extra = None
        any_pattern = tuple(regex for regex, _ in patterns)
        fewest = _count(schema.get("minProperties", 0))
        most = _count(schema["maxProperties"]) if "maxProperties" in schema else math.inf
        names = self.schema(schema["propertyNames"], base) if "propertyNames" in schema else None
        dependent = {
            key: _strings(value)
            for key, value in _schema_map(schema.get("dependentRequired", {})).items()
        }
        must_be_object = strict is not None
        if not patterns and names is None and not dependent and fewest == 0 and most == math.inf:
            return _plain_object(required, properties, extra, must_be_object)

        def check_object(instance: Any) -> bool:
            if not isinstance(instance, dict):
                return not must_be_object
            if required and not instance.keys() >= required:
                return False
            size = len(instance)
            if size < fewest or size > most:
                return False
            for key, value in instance.items():
                check = properties.get(key)
                if check is not None:
                    if not check(value):
                        return False
                elif (
                    extra is not None
                    and not any(ecma.search(regex, key) for regex in any_pattern)
                    and not extra(value)
                ):
                    return False
                for regex, sub in patterns:
                    if ecma.search(regex, key) and not sub(value):
                        return False
            if names is not None and not all(names(key) for key in instance):
                return False
            for key, needed in dependent.items():
                if key in instance and not all(name in instance for name in needed):
                    return False
            return True

        return check_object

    def array_keywords(self, schema: Mapping[str, Any], base: str, strict: str | None) -> Predicate:
        prefix = tuple(
            self.schema(sub, base) for sub in _schema_list(schema.get("prefixItems", []))
        )
        rest = self.schema(schema["items"], base) if "items" in schema else _accept
        fewest = _count(schema.get("minItems", 0))
        most = _count(schema["maxItems"]) if "maxItems" in schema else math.inf
        unique = schema.get("uniqueItems", False)
        if not isinstance(unique, bool):
            raise Unsupported(f"uniqueItems {unique!r}")
        contains = self.schema(schema["contains"], base) if "contains" in schema else None
        least_matches = _count(schema.get("minContains", 1))
        most_matches = _count(schema["maxContains"]) if "maxContains" in schema else math.inf
        skip = len(prefix)
        must_be_array = strict is not None
        if not prefix and not unique and contains is None and fewest == 0 and most == math.inf:
            return _plain_array(rest, must_be_array)

        def check_array(instance: Any) -> bool:
            if not isinstance(instance, list):
                return not must_be_array
            size = len(instance)
            if size < fewest or size > most:
                return False
            for item, check in zip(instance, prefix, strict=False):
                if not check(item):
                    return False
            if rest is not _accept:
                for index in range(skip, size):
                    if not rest(instance[index]):
                        return False
            if unique and not _unique(instance):
                return False
            if contains is not None:
                matches = 0
                for item in instance:
                    if contains(item):
                        matches += 1
                        if matches > most_matches:
                            return False
                if matches < least_matches:
                    return False
            return True

        return check_array

    @staticmethod
    def string_keywords(schema: Mapping[str, Any], base: str, strict: str | None) -> Predicate:
        shortest = _count(schema.get("minLength", 0))
        longest = _count(schema["maxLength"]) if "maxLength" in schema else math.inf
        find = _regex(schema["pattern"]).find if "pattern" in schema else None
        must_be_string = strict is not None

        def check_string(instance: Any) -> bool:
            if not isinstance(instance, str):
                return not must_be_string
            size = len(instance)
            if size < shortest or size > longest:
                return False
            if find is None:
                return True
            try:  # ecma.search, inlined: this runs for every text of every file
                return find(instance) is not None
            except UnicodeEncodeError:
                return False

        return check_string

    def number_keywords(
        self, schema: Mapping[str, Any], base: str, strict: str | None
    ) -> Predicate:
        def bound(keyword: str) -> int | float | None:
            return _number(schema[keyword]) if keyword in schema else None

        low, high = bound("minimum"), bound("maximum")
        above, below = bound("exclusiveMinimum"), bound("exclusiveMaximum")
        divisor = bound("multipleOf")
        if divisor is not None:
            if not divisor > 0 or not _fits_a_float(divisor):
                raise Unsupported(f"multipleOf {divisor!r}")
            self.uses_multiple_of = True
        is_right_type = _is_integer if strict == "integer" else _is_number
        must_be_number = strict is not None

        def check_number(instance: Any) -> bool:
            if not is_right_type(instance):
                return not must_be_number
            # The comparisons as jsonschema writes them, so that NaN passes as it does there.
            if low is not None and instance < low:
                return False
            if high is not None and instance > high:
                return False
            if above is not None and instance <= above:
                return False
            if below is not None and instance >= below:
                return False
            return divisor is None or _is_multiple(instance, divisor)

        return check_number


def _plain_object(
    required: frozenset[str],
    properties: Mapping[str, Predicate],
    extra: Predicate | None,
    must_be_object: bool,
) -> Predicate:
    """`check_object` for the schemas most objects meet: named properties, perhaps required
    ones and a rule for the others, no patterns, counts or dependencies. The same answers,
    fewer steps per key: this runs for every mapping of every file."""

    def check_plain_object(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return not must_be_object
        if required and not instance.keys() >= required:
            return False
        for key, value in instance.items():
            check = properties.get(key)
            if check is not None:
                if not check(value):
                    return False
            elif extra is not None and not extra(value):
                return False
        return True

    return check_plain_object


def _plain_array(items: Predicate, must_be_array: bool) -> Predicate:
    """`check_array` for a list with only a rule for its items."""

    def check_plain_array(instance: Any) -> bool:
        if not isinstance(instance, list):
            return not must_be_array
        if items is not _accept:
            for item in instance:
                if not items(item):
                    return False
        return True

    return check_plain_array


def _fits_a_float(number: int | float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an integer beyond the range of floats
        return False


def _holds_inexact_number(instance: Any) -> bool:
    """Whether a non-finite float or an integer beyond the range of floats is anywhere in
    `instance` (the numbers jsonschema's `multipleOf` arithmetic may raise on)."""
    stack = [instance]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int | float) and not _fits_a_float(value):
            return True
    return False


def _check_document(name: str, document: Any) -> None:
    """Declines what changes how references resolve: another dialect, or an `$id` other than
    a root's own name (embedded resources)."""
    if isinstance(document, bool):
        return
    if not isinstance(document, Mapping):
        raise Unsupported(f"{name} is not a schema")
    if "$schema" in document and document["$schema"] not in DIALECTS:
        raise Unsupported(f"{name}: dialect {document['$schema']!r}")
    if "$id" in document and document["$id"] != name:
        raise Unsupported(f"{name}: $id {document['$id']!r}")

    def visit(node: Any) -> None:
        if isinstance(node, Mapping):
            if "$id" in node:
                raise Unsupported(f"{name}: $id below the root")
            if "$schema" in node:  # jsonschema switches to the dialect it names
                raise Unsupported(f"{name}: $schema below the root")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for key, value in document.items():
        if key != "$id":
            visit(value)


def _follow(document: Any, pointer: str) -> Any:
    """The subschema a JSON pointer fragment names, read as `referencing` reads it."""
    if not pointer:
        return document
    node = document
    for segment in unquote(pointer[1:]).split("/"):
        try:
            if isinstance(node, list):
                node = node[int(segment)]
            elif isinstance(node, Mapping):
                node = node[segment.replace("~1", "/").replace("~0", "~")]
            else:
                raise Unsupported(f"pointer {pointer!r} leads into a value")
        except (LookupError, ValueError) as exc:
            raise Unsupported(f"pointer {pointer!r} leads nowhere") from exc
    return node


def _enum(values: Any) -> Predicate:
    if not isinstance(values, list):
        raise Unsupported(f"enum {values!r}")
    if all(isinstance(value, str) for value in values):
        choices = frozenset(values)
        return lambda instance: isinstance(instance, str) and instance in choices
    frozen = tuple(values)
    return lambda instance: any(_equal(value, instance) for value in frozen)


def _const(value: Any) -> Predicate:
    if isinstance(value, str):
        return lambda instance: bool(instance == value)
    return lambda instance: _equal(instance, value)


def _format(name: Any) -> Predicate:
    if not isinstance(name, str):
        raise Unsupported(f"format {name!r}")
    resolved: list[Predicate] = []

    def check(instance: Any) -> bool:
        # jsonschema (and the optional packages behind its format checkers) is imported only
        # when a value first meets the keyword; `coopctl --help` and cached runs never do.
        if not resolved:
            checker = ecma.format_checker()
            if name in checker.checkers:
                resolved.append(lambda value: checker.conforms(value, name))
            else:
                resolved.append(_accept)  # without a checker, a format is an annotation
        return resolved[0](instance)

    return check


def _negation(check: Predicate) -> Predicate:
    return lambda instance: not check(instance)


def _condition(test: Predicate, then: Predicate, otherwise: Predicate) -> Predicate:
    return lambda instance: then(instance) if test(instance) else otherwise(instance)
