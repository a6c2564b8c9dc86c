"""The JSON-Schema-Test-Suite, draft 2020-12, through both validation paths.

Each test of the suite runs through coopctl's reference validator (`coopctl.reference.
reference_validator`: jsonschema with ECMA-262 patterns) and through the compiled fast path
(`coopctl.compiled`), where the schema compiles. The two must have the same outcome for every
test (the fast path may only decline an instance that holds a number the reference's
`multipleOf` may raise on), and the reference must give the suite's expected answer, except for
the cases listed in DEVIATIONS with their reason.

The suite is vendored as data under tests/data/json-schema-test-suite/ (its README names the
jsonschema sdist it came from, with its hash): fetching the sdist at test time with `pip
download` builds its metadata in an isolated environment, which costs tens of seconds. Remote
references (http://localhost:1234/...) are served from the suite's own `remotes/` folder as
documents of the schema set, never from the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coopctl.compiled import compile_schema
from coopctl.ecma import format_checker
from coopctl.reference import DIALECT, DIALECTS, UnknownDialect, reference_validator
from tests.test_compiled import holds_inexact_number, outcome

SUITE = Path(__file__).parent / "data" / "json-schema-test-suite"
DRAFT = "draft2020-12"
REMOTE = "http://localhost:1234/"
ROOT = "schema.json"

# (file, group description, test description or "*") -> why the reference's answer is not the
# suite's. Everything else must agree with the suite.
ASSERTED_FORMATS = ("date", "email", "idn-email", "idn-hostname", "ipv4", "ipv6", "regex", "uuid")
DEVIATIONS: dict[tuple[str, str, str], str] = {
    **{
        (
            "format.json",
            f"{name} format",
            f"invalid {name} string is only an annotation by default",
        ): ("coopctl asserts every format it has a checker for (format checking on)")
        for name in ASSERTED_FORMATS
    },
    ("optional/format/email.json", "validation of e-mail addresses", "*"): (
        "jsonschema's email checker only asks for an @"
    ),
}
# Whole files whose expected answers coopctl does not promise.
OPTIONAL_FILES: dict[str, str] = {
    "optional/cross-draft.json": (
        "references into documents of other drafts: coopctl reads draft 2020-12 only, and the "
        "suite's remotes of other drafts are not served"
    ),
    "optional/dependencies-compatibility.json": (
        "`dependencies` is a keyword of draft 7 and earlier; draft 2020-12 ignores it"
    ),
}


@dataclass(frozen=True)
class SuiteTest:
    file: str
    group: str
    description: str
    schema: Any
    data: Any
    valid: bool

    @property
    def id(self) -> str:
        return f"{self.file}: {self.group}: {self.description}"


@pytest.fixture(scope="session")
def suite() -> Mapping[str, bytes]:
    """The suite's files (path below the suite's folder -> content)."""
    files = {
        path.relative_to(SUITE).as_posix(): path.read_bytes()
        for path in sorted(SUITE.rglob("*.json"))
    }
    assert (SUITE / "LICENSE").is_file() and f"tests/{DRAFT}/type.json" in files
    return files


def remote_documents(suite: Mapping[str, bytes]) -> dict[str, Any]:
    """The suite's remotes for this draft (and the draft-neutral ones), by their URL."""
    documents = {}
    for path, content in suite.items():
        if not path.startswith("remotes/") or not path.endswith(".json"):
            continue
        relative = path.removeprefix("remotes/")
        if relative.startswith("draft") and not relative.startswith(f"{DRAFT}/"):
            continue
        document = json.loads(content)
        if isinstance(document, dict) and document.get("$schema", DIALECT) not in DIALECTS:
            continue
        documents[REMOTE + relative] = document
    return documents


def suite_tests(suite: Mapping[str, bytes]) -> Iterator[SuiteTest]:
    prefix = f"tests/{DRAFT}/"
    for path in sorted(p for p in suite if p.startswith(prefix) and p.endswith(".json")):
        for group in json.loads(suite[path]):
            for test in group["tests"]:
                yield SuiteTest(
                    path.removeprefix(prefix),
                    group["description"],
                    test["description"],
                    group["schema"],
                    test["data"],
                    test["valid"],
                )


def deviation(test: SuiteTest) -> str | None:
    for key in ((test.file, test.group, test.description), (test.file, test.group, "*")):
        if key in DEVIATIONS:
            return DEVIATIONS[key]
    if test.file in OPTIONAL_FILES:
        return OPTIONAL_FILES[test.file]
    if test.file.startswith("optional/format/"):
        name = test.file.removeprefix("optional/format/").removesuffix(".json")
        if name not in format_checker().checkers:
            return f"no format checker for {name!r} is installed: the format is an annotation"
    return None


def test_both_paths_give_the_suites_answers(suite: Mapping[str, bytes]) -> None:
    remotes = remote_documents(suite)
    tests = list(suite_tests(suite))
    compiled = 0
    wrong: list[str] = []
    refused: list[str] = []
    cache: dict[str, tuple[Any, Any]] = {}
    for test in tests:
        key = json.dumps(test.schema, sort_keys=True)
        if key not in cache:
            # The remotes only where the schema may reach them: the fast path declines a set of
            # documents that holds any it cannot read.
            documents = {**(remotes if "localhost:1234" in key else {}), ROOT: test.schema}
            try:
                validator = reference_validator(documents, ROOT)
            except UnknownDialect:
                validator = None
            cache[key] = (validator, compile_schema(documents, ROOT) if validator else None)
        validator, predicate = cache[key]
        if validator is None:
            refused.append(test.id)
            continue
        expected = outcome(validator.is_valid, test.data)
        if predicate is not None:
            compiled += 1
            found = outcome(predicate, test.data)
            if found != expected and not (found == "Declined" and holds_inexact_number(test.data)):
                wrong.append(f"{test.id}: fast path {found}, reference {expected}")
        if expected != test.valid and deviation(test) is None:
            wrong.append(f"{test.id}: reference {expected}, the suite {test.valid}")
    assert not wrong, "\n".join(wrong)
    # The figures docs/performance.md gives: the fast path answers most of the suite, and
    # only the schemas that name another dialect are refused.
    assert (len(tests), compiled, len(refused)) == (1906, 1481, 9), refused


def test_the_suite_tells_ecma_262_from_pythons_re(suite: Mapping[str, bytes]) -> None:
    """Its regex tests fail under stock jsonschema (Python's `re`) and pass under coopctl's
    reference: the differential test above can see the difference it is there for."""
    from jsonschema import Draft202012Validator

    tests = [t for t in suite_tests(suite) if t.file == "optional/ecmascript-regex.json"]
    assert len(tests) > 50
    stock = [
        t
        for t in tests
        if outcome(Draft202012Validator(t.schema, format_checker=format_checker()).is_valid, t.data)
        != t.valid
    ]
    ours = [
        t for t in tests if reference_validator({ROOT: t.schema}, ROOT).is_valid(t.data) != t.valid
    ]
    assert len(stock) > 10, [t.id for t in stock]
    assert ours == []
