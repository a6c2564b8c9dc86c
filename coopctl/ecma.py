"""Regular expressions as JSON Schema defines them: ECMA-262, not Python's `re`.

jsonschema runs `pattern`, `patternProperties` and the `regex` format under `re`, where `$`
also matches before a final newline and `\\d`, `\\w` and `\\s` follow Unicode. ECMA-262 (with
the `u` flag, as JSON Schema validators use it) has `$` only at the end of the text, ASCII-only
`\\d` and `\\w`, and its own list of spaces for `\\s`. Both validation paths, jsonschema (the
reference, built by `reference_class`) and `coopctl.compiled`, search with `search` here, which
runs the regress engine (a Rust implementation of ECMA-262 regular expressions), so they cannot
disagree about a pattern.

One deviation, the same on both paths: a string holding a lone surrogate (which regress cannot
take, and which coopctl's YAML reader refuses before validation) matches no pattern.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import regress

if TYPE_CHECKING:
    from jsonschema import FormatChecker
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

FLAGS = "u"
RegexError = regress.RegressError


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regress.Regex:
    """The ECMA-262 regex of `pattern` (RegexError if it is not one)."""
    return regress.Regex(pattern, flags=FLAGS)


def search(pattern: str | regress.Regex, text: str) -> bool:
    """Whether `pattern` matches somewhere in `text`, as ECMA-262 `RegExp.prototype.test`."""
    regex = compile_pattern(pattern) if isinstance(pattern, str) else pattern
    try:
        return regex.find(text) is not None
    except UnicodeEncodeError:  # a lone surrogate: see the module's docstring
        return False


def is_regex(instance: object) -> bool:
    """The `regex` format: an ECMA-262 regular expression."""
    if not isinstance(instance, str):
        return True
    try:
        compile_pattern(instance)
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def format_checker() -> FormatChecker:
    """jsonschema's draft 2020-12 format checkers, with `regex` read as ECMA-262."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=())
    checker.checkers.update(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("regex", raises=RegexError)(is_regex)
    return checker


@functools.cache
def reference_class() -> type[Validator]:
    """jsonschema's draft 2020-12 validator with ECMA-262 patterns in every keyword that reads
    one. It is used on schemas without `$schema` (see `coopctl.schemas`): jsonschema switches to
    its own classes where a subschema names a dialect."""
    from jsonschema import Draft202012Validator, validators

    extend: Any = validators.extend  # untyped in jsonschema
    extended: type[Validator] = extend(
        Draft202012Validator,
        {
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
            "unevaluatedProperties": _unevaluated_properties,
        },
        format_checker=format_checker(),
    )
    return extended


# --- keywords, as jsonschema writes them, with ECMA-262 searches -------------------------------


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def additional_keys(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """The keys neither `properties` nor a pattern of `patternProperties` covers. Each pattern
    is tried on its own, as the specification says (jsonschema joins them with "|", which
    renumbers their groups)."""
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in properties and not any(search(pattern, key) for pattern in patterns)
    ]


def _additional_properties(
    validator: Any, allowed: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = additional_keys(instance, schema)
    if validator.is_type(allowed, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        listed = ", ".join(repr(extra) for extra in sorted(extras))
        verb = "was" if len(extras) == 1 else "were"
        yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


def _unevaluated_properties(
    validator: Any, unevaluated: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    evaluated = set(_evaluated_keys(validator, instance, schema))
    failed = [
        key
        for key in instance
        if key not in evaluated
        and not _no_errors(validator.descend(instance[key], unevaluated, path=key, schema_path=key))
    ]
    if failed:
        listed = ", ".join(repr(key) for key in sorted(failed))
        verb = "was" if len(failed) == 1 else "were"
        if unevaluated is False:
            yield ValidationError(
                f"Unevaluated properties are not allowed ({listed} {verb} unexpected)"
            )
        else:
            yield ValidationError(
                f"Unevaluated properties are not valid under the given schema ({listed} {verb} "
                "unevaluated and invalid)"
            )


def _no_errors(errors: Iterator[ValidationError]) -> bool:
    return next(errors, None) is None


def _evaluated_keys(validator: Any, instance: Mapping[str, Any], schema: Any) -> list[str]:
    """The keys of `instance` that `schema` evaluates, in the walk jsonschema makes for
    `unevaluatedProperties` (its `find_evaluated_property_keys_by_schema`), with the patterns
    of `patternProperties` searched as ECMA-262."""
    if validator.is_type(schema, "boolean"):
        return []
    keys: list[str] = []
    for keyword in ("$ref", "$dynamicRef"):
        reference = schema.get(keyword)
        if reference is not None:
            # jsonschema's own walk resolves through the validator's resolver the same way.
            resolved = validator._resolver.lookup(reference)
            keys += _evaluated_keys(
                validator.evolve(schema=resolved.contents, _resolver=resolved.resolver),
                instance,
                resolved.contents,
            )
    properties = schema.get("properties")
    if validator.is_type(properties, "object"):
        keys += properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        subschema = schema.get(keyword)
        if subschema is not None:
            keys += (
                key
                for key, value in instance.items()
                if _no_errors(validator.descend(value, subschema))
            )
    for key in instance:
        keys += (key for pattern in schema.get("patternProperties", {}) if search(pattern, key))
    for key, subschema in schema.get("dependentSchemas", {}).items():
        if key in instance:
            keys += _evaluated_keys(validator, instance, subschema)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword, []):
            if _no_errors(validator.descend(instance, subschema)):
                keys += _evaluated_keys(validator, instance, subschema)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys += _evaluated_keys(validator, instance, schema["if"])
            if "then" in schema:
                keys += _evaluated_keys(validator, instance, schema["then"])
        elif "else" in schema:
            keys += _evaluated_keys(validator, instance, schema["else"])
    return keys
