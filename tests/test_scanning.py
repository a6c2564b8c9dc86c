"""Code-scanning output of `validate` and `check` (SARIF 2.1.0 and GitLab Code Quality): valid
SARIF with RFC 3986 URIs, fingerprints that stay the same from day to day and from process to
process, help links only where the documentation's address is known."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator

from coopctl.cli.scanning import Links, findings, gitlab_report, relative_uri, sarif_log
from coopctl.escaping import plain
from coopctl.model import Problem, Severity
from tests.gitrepo import commit_all, edit, init_repo, real_registry_repo
from tests.helpers import REPO, make_registry, run_cli
from tests.test_hostile import LIGHT, registry_for

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
PROBLEMS_MD = REPO / "docs" / "problems.md"
WOLFSBURG = "registry/partners/wolfsburg.yaml"
# File names that a raw URI cannot carry: a space, '#', '?', '%', non-ASCII, a colon, a line break.
AWKWARD = ["neue stadt.yaml", "a#b.yaml", "wer?.yaml", "100%.yaml", "münchen-ü.yaml", "c:d.yaml"]
AWKWARD.append("zeile\nzwei.yaml")
# RFC 3986 relative-ref without query or fragment; the first segment takes no ':' (path-noscheme).
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@:]|%[0-9A-F]{2})"
_FIRST = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-F]{2})"
RELATIVE_REF = re.compile(rf"^{_FIRST}+(?:/{_PCHAR}*)*$")
# The future date stays ahead of every "today" these tests use.
FUTURE = "published: '2999-09-29'"


def _partner(entity_id: str) -> str:
    return f"kind: partner\nid: {entity_id}\nname: X\ntype: other\nsources: []\n"


def _awkward_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository whose registry lies in the sub-folder 'data mit #' and holds files
    whose names need percent-encoding."""
    repo = init_repo(tmp_path / "repo")
    files = {f"registry/partners/{name}": _partner("x") for name in AWKWARD}
    root = make_registry(repo / "data mit #", files)
    commit_all(repo, "Awkward names")
    return repo, root


def _sarif(*args: str, env: dict[str, str] | None = None) -> tuple[int, Any]:
    result = run_cli(*args, "--format", "sarif", env=env)
    return result.exit_code, json.loads(result.stdout)


def _schema_errors(document: Any) -> list[str]:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return [e.message for e in Draft4Validator(schema).iter_errors(document)]


def _uris(document: Any) -> list[str]:
    return [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
        for location in result["locations"]
    ]


def test_validate_sarif_is_valid_with_encoded_relative_uris(tmp_path: Path) -> None:
    repo, root = _awkward_repo(tmp_path)
    code, document = _sarif("validate", "--root", str(root))
    assert code == 1
    assert _schema_errors(document) == []
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert "baselineState" not in run["results"][0]
    uris = _uris(document)
    for uri in uris:
        assert RELATIVE_REF.match(uri), uri
        assert (repo / unquote(uri)).is_file(), uri
    for result in run["results"]:
        [location] = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert {unquote(u).rsplit("/", 1)[1] for u in uris} == set(AWKWARD)
    assert "data%20mit%20%23/registry/partners/neue%20stadt.yaml" in uris
    assert "data%20mit%20%23/registry/partners/m%C3%BCnchen-%C3%BC.yaml" in uris
    assert "data%20mit%20%23/registry/partners/c%3Ad.yaml" in uris


def test_columns_are_unicode_code_points(tmp_path: Path) -> None:
    """columnKind says code points: a character outside the BMP before the problem counts as
    one column (two UTF-16 units, four bytes)."""
    line = 'sources: [{url: "https://example.org/😀", title: 5}]'
    text = f"kind: partner\nid: x\nname: X\ntype: other\n{line}\n"
    root = make_registry(tmp_path / "reg", {"registry/partners/x.yaml": text})
    _, document = _sarif("validate", "--root", str(root))
    [result] = document["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert document["runs"][0]["columnKind"] == "unicodeCodePoints"
    assert (region["startLine"], region["startColumn"]) == (5, line.index("5}") + 1)


def test_outside_git_the_registry_root_is_the_base(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/a b.yaml": _partner("x")})
    code, document = _sarif("validate", "--root", str(root))
    assert code == 1
    assert set(_uris(document)) == {"registry/partners/a%20b.yaml"}


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("registry/partners/a b.yaml", "registry/partners/a%20b.yaml"),
        ("x/#?%.yaml", "x/%23%3F%25.yaml"),
        ("x/line\nbreak\t\x7f.yaml", "x/line%0Abreak%09%7F.yaml"),
        ("x/ü€.yaml", "x/%C3%BC%E2%82%AC.yaml"),
        ("a:b/c:d", "a%3Ab/c%3Ad"),
        ("x/\udcff.yaml", "x/%FF.yaml"),  # a name that is not UTF-8 keeps its bytes
        ("x/(1)+[2]@~'.yaml", "x/(1)+%5B2%5D@~'.yaml"),
    ],
)
def test_relative_uri_encodes_every_segment(path: str, uri: str) -> None:
    assert relative_uri(path) == uri
    assert RELATIVE_REF.match(uri)


def test_names_that_are_not_utf8_still_give_utf8_json() -> None:
    """A file name that is not valid UTF-8 reaches coopctl with lone surrogates (PEP 383): the
    URI keeps its bytes, text shows U+FFFD, and the output encodes as UTF-8."""
    path = "registry/partners/\udcff.yaml"
    problem = Problem("I001", Severity.ERROR, "id 'x' differs from '\udcff.yaml'", path, 2, 5)
    found = findings([problem], "")
    sarif = json.dumps(sarif_log(found, Links(None, None)), ensure_ascii=False)
    gitlab = json.dumps(gitlab_report(found), ensure_ascii=False)
    sarif.encode("utf-8")
    gitlab.encode("utf-8")
    assert '"uri": "registry/partners/%FF.yaml"' in sarif
    assert "differs from '\ufffd.yaml'" in sarif
    assert '"path": "registry/partners/\ufffd.yaml"' in gitlab


def test_fingerprints_survive_moving_lines_but_not_other_fields(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    edit(root / WOLFSBURG, "published: '2020-09-29'", FUTURE)

    def by_fingerprint() -> dict[str, tuple[str, int]]:
        _, document = _sarif("validate", "--root", str(root))
        return {
            r["partialFingerprints"]["coopctl/v2"]: (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in document["runs"][0]["results"]
        }

    before = by_fingerprint()
    text = (root / WOLFSBURG).read_text(encoding="utf-8")
    (root / WOLFSBURG).write_text(text.replace("\nkind:", "\n# moved down\nkind:", 1))
    after = by_fingerprint()
    assert [code for code, _ in before.values()] == ["D002"]
    assert after.keys() == before.keys()
    assert [line for _, line in after.values()] == [line + 1 for _, line in before.values()]
    edit(root / WOLFSBURG, FUTURE, "published: '2020-09-29'")
    edit(root / WOLFSBURG, "published: '2021-04-23'", FUTURE)
    other_field = by_fingerprint()
    assert other_field.keys().isdisjoint(before.keys())
    (root / WOLFSBURG).rename(root / "registry/partners/wolfsburg-stadt.yaml")
    renamed = by_fingerprint()
    assert "D002" in [code for code, _ in renamed.values()]
    assert renamed.keys().isdisjoint(other_field.keys())


def _multitool() -> Path:
    """The SARIF multitool from npm (@microsoft/sarif-multitool): on PATH, or installed into
    .ci/tools/ of this checkout (ignored by git) when npm is there; else the test is skipped
    with the reason."""
    found = shutil.which("sarif-multitool")
    if found:
        return Path(found)
    tools = REPO / ".ci" / "tools"
    program = tools / "node_modules" / ".bin" / "sarif-multitool"
    if program.exists():
        return program
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("the SARIF multitool is not installed and npm is not there to install it")
    try:
        subprocess.run(
            [
                *(npm, "install", "--prefix", str(tools), "--no-audit", "--no-fund"),
                *("--silent", "@microsoft/sarif-multitool@5"),
            ],
            capture_output=True,
            timeout=300,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"npm could not install @microsoft/sarif-multitool: {exc}")
    if not program.exists():
        pytest.skip("npm installed @microsoft/sarif-multitool without its program")
    return program


def _multitool_results(program: Path, sarif: Path) -> list[tuple[str, str, list[str]]]:
    """What the multitool's `validate` finds in a SARIF file: (rule, level, arguments)."""
    log = sarif.with_suffix(".validation.sarif")
    completed = subprocess.run(
        [str(program), "validate", str(sarif), "--output", str(log), "--log=ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert log.exists(), completed.stdout + completed.stderr
    results = json.loads(log.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    return [
        (r["ruleId"], r.get("level", "warning"), r["message"].get("arguments", [])) for r in results
    ]


@pytest.mark.slow
def test_the_sarif_multitool_accepts_the_output(tmp_path: Path) -> None:
    program = _multitool()
    _, root = _awkward_repo(tmp_path)
    output = run_cli("validate", "--root", str(root), "--format", "sarif").stdout
    document = json.loads(output)
    # one log with the hostile corpus' runs too: the multitool takes about a second per file
    hostile = [run for _, found in _hostile_sarif(tmp_path / "hostile") for run in found["runs"]]
    good = tmp_path / "coopctl.sarif"
    good.write_text(json.dumps({**document, "runs": document["runs"] + hostile}), "utf-8")
    found = _multitool_results(program, good)
    assert [f for f in found if f[1] == "error"] == []
    # The multitool is a real judge: the raw paths coopctl wrote before (every one here lies
    # in 'data mit #/') are refused.
    for result in document["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        location["uri"] = unquote(location["uri"])
    raw = tmp_path / "raw.sarif"
    raw.write_text(json.dumps(document), encoding="utf-8")
    refused = [f for f in _multitool_results(program, raw) if f[0] == "SARIF1002"]
    assert len(refused) == len(document["runs"][0]["results"]) >= len(AWKWARD)


def _hostile_sarif(folder: Path) -> list[tuple[Path, Any]]:
    """(registry root, SARIF of `validate`) for each case of the hostile corpus."""
    produced = []
    for case in LIGHT:
        root = registry_for(case, folder / case.name)
        code, document = _sarif("validate", "--root", str(root))
        assert code == 1, case.name
        uris = _uris(document)
        # The corpus names paths as coopctl prints them: visibly escaped.
        named = {plain(unquote(uri, errors="surrogateescape")) for uri in uris}
        assert {p["path"] for p in case.problems} <= named, case.name
        produced.append((root, document))
    return produced


@pytest.mark.slow
def test_every_hostile_case_gives_valid_sarif_and_code_quality(tmp_path: Path) -> None:
    """The whole hostile corpus through `validate --format sarif|gitlab`: valid SARIF with
    relative URIs naming each problem's file, and complete Code Quality entries."""
    for root, document in _hostile_sarif(tmp_path):
        assert _schema_errors(document) == [], root
        uris = _uris(document)
        assert all(RELATIVE_REF.match(uri) for uri in uris), uris
        result = run_cli("validate", "--root", str(root), "--format", "gitlab")
        assert result.exit_code == 1, root
        issues = json.loads(result.stdout)
        assert {i["location"]["path"] for i in issues} == {unquote(u) for u in uris}
        _assert_code_quality(issues, root)


def _entry_point(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A run of the installed entry point, without $COOPCTL_DOCS_URL unless `env` sets it."""
    environ = {k: v for k, v in os.environ.items() if k != "COOPCTL_DOCS_URL"}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "coopctl", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        check=False,
    )


# --- stable fingerprints -----------------------------------------------------------------------

_RUN = """
import json, sys
from datetime import date
from pathlib import Path
from coopctl.cli import scanning
from coopctl.gate import CheckOptions, run_check
from coopctl.validation import ValidateOptions, validate

root, day = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
links = scanning.project_links({})
checked = validate(root, ValidateOptions(today=day, cache=False))
gated = run_check(root, CheckOptions(base="HEAD", today=day, cache=False))
out = {}
for name, found in (
    ("validate", scanning.validate_findings(checked)),
    ("check", scanning.check_findings(gated)),
):
    out[name] = {
        "sarif": scanning.sarif_log(found, links),
        "gitlab": scanning.gitlab_report(found),
    }
print(json.dumps(out, indent=1, sort_keys=True))
"""


def _stable_repo(tmp_path: Path) -> Path:
    """A registry with a date ahead of today on the base, and another one, a dangling
    reference and a top-level set brought by the change."""
    repo, root = real_registry_repo(tmp_path)
    edit(root / WOLFSBURG, "published: '2020-09-29'", FUTURE)
    commit_all(repo, "A date ahead")
    edit(root / WOLFSBURG, "published: '2021-04-23'", FUTURE.replace("09-29", "10-01"))
    edit(root / "registry/solutions/ewa.yaml", "partner: salzgitter", "partner: salzgiter")
    (root / "registry/partners/set.yaml").write_text("!!set\n? b\n? a\n? d\n? c\n? e\n")
    return root


def _run_on(root: Path, day: str, seed: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("COOPCTL_DOCS_URL", None)
    completed = subprocess.run(
        [sys.executable, "-c", _RUN, str(root), day],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
        cwd=REPO,
    )
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def _fingerprints(out: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        command: [
            *(r["partialFingerprints"] for r in formats["sarif"]["runs"][0]["results"]),
            *(entry["fingerprint"] for entry in formats["gitlab"]),
        ]
        for command, formats in out.items()
    }


def _without_messages(out: dict[str, Any]) -> dict[str, Any]:
    blank = json.loads(json.dumps(out))
    for formats in blank.values():
        for result in formats["sarif"]["runs"][0]["results"]:
            result["message"]["text"] = ""
        for entry in formats["gitlab"]:
            entry["description"] = entry["description"].split(" ", 1)[0]
    return blank  # type: ignore[no-any-return]


@pytest.mark.slow
def test_fingerprints_do_not_change_with_the_day_or_the_hash_seed(tmp_path: Path) -> None:
    root = _stable_repo(tmp_path)
    first = _run_on(root, "2030-01-01", "0")
    next_day = _run_on(root, "2030-01-02", "0")
    other_seed = _run_on(root, "2030-06-01", "4242")
    codes = [r["ruleId"] for r in first["check"]["sarif"]["runs"][0]["results"]]
    assert codes.count("D002") == 2 and {"R001", "Y005"} <= set(codes)
    # the messages name the day, the fingerprints do not
    assert first["validate"] != next_day["validate"]
    assert _fingerprints(first) == _fingerprints(next_day) == _fingerprints(other_seed)
    assert _without_messages(first) == _without_messages(next_day)
    assert _without_messages(first) == _without_messages(other_seed)
    check = first["check"]["sarif"]["runs"][0]["results"]
    states = {(r["ruleId"], r["baselineState"]) for r in check}
    assert ("D002", "unchanged") in states and ("D002", "new") in states
    gitlab = [entry["fingerprint"] for entry in first["check"]["gitlab"]]
    assert len(set(gitlab)) == len(gitlab)


@pytest.mark.slow
def test_the_cli_output_is_the_same_in_every_process(tmp_path: Path) -> None:
    """Real runs of the installed entry point with different hash seeds give the same bytes
    (--no-cache: no remembered output and no cached facts stand in for the run)."""
    _, root = real_registry_repo(tmp_path)
    edit(root / WOLFSBURG, "published: '2020-09-29'", FUTURE)
    edit(root / "registry/solutions/ewa.yaml", "partner: salzgitter", "partner: salzgiter")
    outputs: dict[tuple[str, ...], set[str]] = {}
    for seed in ("0", "987654"):
        for command in (("validate",), ("check", "--base", "HEAD")):
            for output_format in ("sarif", "gitlab"):
                args = (*command, "--root", str(root), "--no-cache", "--format", output_format)
                completed = _entry_point(*args, PYTHONHASHSEED=seed)
                assert completed.returncode == 1, completed.stderr
                outputs.setdefault(args, set()).add(completed.stdout)
    assert len(outputs) == 4
    assert all(len(texts) == 1 for texts in outputs.values())


# --- GitLab Code Quality ----------------------------------------------------------------------


def _assert_code_quality(issues: Any, repo: Path) -> None:
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
        assert os.path.lexists(repo / issue["location"]["path"]), issue["location"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_validate_gitlab_code_quality(tmp_path: Path) -> None:
    repo, root = _awkward_repo(tmp_path)
    result = run_cli("validate", "--root", str(root), "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    _assert_code_quality(issues, repo)
    paths = {i["location"]["path"] for i in issues}
    assert paths == {f"data mit #/registry/partners/{name}" for name in AWKWARD}


def test_check_gitlab_code_quality(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path, sub="data")
    edit(root / "registry/solutions/ewa.yaml", "partner: salzgitter", "partner: salzgiter")
    commit_all(repo, "A typo lands on main")
    (root / "registry/partners/neue stadt.yaml").write_text(_partner("neue-stadt"))
    result = run_cli("check", "--root", str(root), "--base", "HEAD", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    _assert_code_quality(issues, repo)
    paths = {i["location"]["path"] for i in issues}
    assert {"data/registry/solutions/ewa.yaml", "data/registry/partners/neue stadt.yaml"} <= paths


# --- help links ------------------------------------------------------------------------------


def _github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return anchors


def test_help_links_come_from_coopctl_docs_url(tmp_path: Path) -> None:
    _, root = _awkward_repo(tmp_path)
    base = "https://registry.example.org/coopctl/docs/"
    code, document = _sarif("validate", "--root", str(root), env={"COOPCTL_DOCS_URL": base})
    assert code == 1
    assert _schema_errors(document) == []
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == base
    anchors = _github_anchors(PROBLEMS_MD.read_text(encoding="utf-8"))
    assert len(driver["rules"]) >= 2
    for rule in driver["rules"]:
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == base + "problems.md"
        assert anchor in anchors, rule["helpUri"]
        assert anchor.startswith(rule["id"].lower() + "-" + rule["name"])


def test_without_a_known_address_the_links_are_left_out(tmp_path: Path) -> None:
    from importlib.metadata import metadata

    labels = {
        str(u).split(",")[0].lower() for u in metadata("coopctl").get_all("Project-URL") or []
    }
    if labels & {"documentation", "homepage"}:
        pytest.skip("this installation of coopctl declares its address")
    _, root = _awkward_repo(tmp_path)
    _, document = _sarif("validate", "--root", str(root))
    driver = document["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])


@pytest.mark.parametrize("value", ["docs/", "ftp://example.org/", "https://exa mple.org/"])
def test_a_bad_docs_url_is_a_usage_error(tmp_path: Path, value: str) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/a b.yaml": _partner("x")})
    result = run_cli(
        "validate", "--root", str(root), "--format", "sarif", env={"COOPCTL_DOCS_URL": value}
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "COOPCTL_DOCS_URL is not an absolute http(s) URL" in result.stderr


@pytest.mark.slow
def test_links_from_the_package_metadata(tmp_path: Path) -> None:
    """An installed coopctl whose metadata declares its home and documentation (as a wheel
    built with [project.urls] would) links to them."""
    from importlib.metadata import version

    site = tmp_path / "site"
    info = site / f"coopctl-{version('coopctl')}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: coopctl\nVersion: " + version("coopctl") + "\n"
        "Project-URL: Home page, https://coopctl.example.org/\n"
        "Project-URL: Documentation, https://coopctl.example.org/docs\n",
        encoding="utf-8",
    )
    root = make_registry(tmp_path / "reg", {"registry/partners/a b.yaml": _partner("x")})
    completed = _entry_point(
        *("validate", "--root", str(root), "--no-cache", "--format", "sarif"),
        PYTHONPATH=os.pathsep.join([str(site), str(REPO)]),
    )
    assert completed.returncode == 1, completed.stderr
    driver = json.loads(completed.stdout)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://coopctl.example.org/"
    assert {r["helpUri"].split("#")[0] for r in driver["rules"]} == {
        "https://coopctl.example.org/docs/problems.md"
    }


@pytest.mark.slow
def test_remembered_output_follows_the_docs_url_and_the_git_top(tmp_path: Path) -> None:
    """A repeated `validate` may be answered from memory; never with links or paths of
    another setting."""
    root = make_registry(tmp_path / "top" / "reg", {"registry/partners/a b.yaml": _partner("x")})

    def sarif(docs: str | None) -> Any:
        completed = _entry_point(
            "validate",
            "--root",
            str(root),
            "-f",
            "sarif",
            **({"COOPCTL_DOCS_URL": docs} if docs else {}),
        )
        assert completed.returncode == 1, completed.stderr
        return json.loads(completed.stdout)

    def help_uris(document: Any) -> list[str]:
        return [r.get("helpUri", "") for r in document["runs"][0]["tool"]["driver"]["rules"]]

    assert sarif(None) == sarif(None)
    assert not any(help_uris(sarif(None)))
    assert all(
        u.startswith("https://x.example.org/") for u in help_uris(sarif("https://x.example.org/"))
    )
    assert set(_uris(sarif(None))) == {"registry/partners/a%20b.yaml"}
    init_repo(tmp_path / "top")
    assert set(_uris(sarif(None))) == {"reg/registry/partners/a%20b.yaml"}
