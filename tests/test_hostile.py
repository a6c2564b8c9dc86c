"""Hostile input: every case under tests/hostile/<case>/ goes through every command that reads
registry files, and each must answer with a message naming the file and a stable code, the
expected exit code (never 3), no traceback, in seconds, and without changing any file.

A case folder holds `expected.json` and either a `registry/` folder, a `make.py` with
`make(root: Path) -> None` (for what git cannot or should not hold: links, binary bytes, files
of many megabytes), or `"example": "<name>"` naming a golden case under tests/examples/invalid/
whose files and expected problems it reuses. `expected.json` keys:

* `problems`: `{path, line?, code}` validate and check must name (taken from the example if
  absent); the file and YAML refusals among them (F…, Y…) every command must name, since the
  file does not load;
* `fmt_exit`: the exit code of `fmt --check` where no file is refused (default 0);
* `base`: "empty" to start from a registry without the real entities;
* `heavy`: run in a subprocess with a time and memory limit instead of in-process;
* `git`: false when git cannot hold the case (FIFOs, links that must stay links);
* `show_id`: the id `coopctl show` is asked for (default: an entity of the real registry);
* `marker`: a path that must not exist afterwards (a tag that would run a command);
* `exits`: exit codes that differ from the default per command (`{"show": 1}` where no
  entity can load).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopctl.diff import diff_registries, identities_of
from coopctl.formatting import format_file
from coopctl.model import SourceFile
from coopctl.registry import build_registry
from coopctl.schemas import load_schemas
from coopctl.yamlio import YamlReader, dump_plain
from tests.gitrepo import commit_all, init_repo
from tests.helpers import EXAMPLES, REPO, SCHEMAS, make_registry, run_cli
from tests.test_forging import assert_no_forged_commands

HOSTILE = Path(__file__).resolve().parent / "hostile"
SHOW_ID = "augsburg"
# CPU seconds per command (this process and the processes it waited for), not wall time, so
# that a loaded machine cannot fail the test; the slowest case takes about one second.
SECONDS = 20.0
HEAVY_SECONDS = 60
WALL_SECONDS = 600  # only a stop for a process that hangs
MEMORY_BYTES = 2 * 1024**3

# command name -> (arguments, exit code for a registry with a file that does not load)
COMMANDS: dict[str, tuple[tuple[str, ...], int]] = {
    "validate": (("validate",), 1),
    "fmt": (("fmt", "--check"), 1),
    "fmt-fix": (("fmt", "--fix", "--check"), 1),
    "list": (("list", "partners"), 0),
    "show": (("show", "{show_id}"), 0),
    "report": (("report", "--lang", "en", "--format", "json"), 0),
    "export": (("export", "csv", "{out}"), 0),
    "export-xlsx": (("export", "xlsx", "{out}.xlsx"), 0),
}
# Read commands carry on without the file and name it on stderr; they find no schema problems.
READ_COMMANDS = frozenset({"list", "show", "report", "export", "export-xlsx"})


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    expected: dict[str, Any]

    @property
    def example(self) -> Path | None:
        name = self.expected.get("example")
        return EXAMPLES / "invalid" / name if name else None

    @property
    def problems(self) -> list[dict[str, Any]]:
        if self.expected.get("problems") is not None:
            return list(self.expected["problems"])
        assert self.example is not None, f"{self.name}: neither problems nor an example"
        found = []
        for line in (self.example / "expected.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                where, code = line.rsplit(" ", 1)
                path, row, _ = where.rsplit(":", 2)
                found.append({"path": path, "line": int(row), "code": code})
        return found

    @property
    def heavy(self) -> bool:
        return bool(self.expected.get("heavy"))


def _cases() -> list[Case]:
    return [
        Case(folder.name, folder, json.loads((folder / "expected.json").read_text("utf-8")))
        for folder in sorted(HOSTILE.iterdir())
        if (folder / "expected.json").is_file()
    ]


CASES = _cases()
LIGHT = [c for c in CASES if not c.heavy]
HEAVY = [c for c in CASES if c.heavy]
IN_GIT = [c for c in LIGHT if c.expected.get("git", True)]


def _run_maker(folder: Path, root: Path) -> None:
    maker = folder / "make.py"
    if not maker.exists():
        return
    spec = importlib.util.spec_from_file_location(f"hostile_{folder.name}", maker)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(root)


def apply_case(case: Case, root: Path) -> None:
    """Put the case's files into the registry at `root`."""
    for folder in (case.example, case.folder):
        if folder is None:
            continue
        if (folder / "registry").is_dir():
            shutil.copytree(folder / "registry", root / "registry", dirs_exist_ok=True)
        _run_maker(folder, root)


def fingerprint(root: Path) -> dict[str, str]:
    """Every entry below root (git's own folder aside): a hash of each regular file, the
    target of each link."""
    entries: dict[str, str] = {}
    for folder, folders, files in os.walk(root, followlinks=False):
        folders[:] = [f for f in folders if f != ".git"]
        for name in [*folders, *files]:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[relative] = f"link:{path.readlink()}"
            elif path.is_file() and not path.is_fifo():
                entries[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                entries[relative] = "folder"
            else:
                entries[relative] = "special"
    return entries


def arguments(name: str, case: Case, root: Path, out: Path) -> list[str]:
    args, _ = COMMANDS[name]
    show_id = case.expected.get("show_id", SHOW_ID)
    filled = [a.format(show_id=show_id, out=out) for a in args]
    return [*filled, "--root", str(root)]


def refusals(case: Case) -> list[dict[str, Any]]:
    """The problems that keep a file from loading (files and YAML); read commands name these."""
    return [p for p in case.problems if p["code"][0] in "FY"]


def expected_exit(name: str, case: Case) -> int:
    if name in case.expected.get("exits", {}):
        return int(case.expected["exits"][name])
    if name in {"fmt", "fmt-fix"} and not refusals(case):
        return int(case.expected.get("fmt_exit", 0))
    return COMMANDS[name][1]


def assert_names_problems(
    output: str, case: Case, command: str, problems: list[dict[str, Any]] | None = None
) -> None:
    lines = output.splitlines()
    for found in case.problems if problems is None else problems:
        where = f"{found['path']}:{found['line']}:" if "line" in found else f"{found['path']}:"
        assert any(where in line and f"[{found['code']}]" in line for line in lines), (
            f"{command}: no line names {where} with [{found['code']}]:\n{output}"
        )


def assert_answer(name: str, case: Case, exit_code: int, output: str, seconds: float) -> None:
    assert "Traceback" not in output, output
    assert exit_code != 3, output
    assert exit_code == expected_exit(name, case), f"{name}: exit {exit_code}\n{output}"
    assert_names_problems(output, case, name, None if name == "validate" else refusals(case))
    if name in READ_COMMANDS and refusals(case):
        assert "left out" in output
    assert_inert_log(output)
    assert seconds < (HEAVY_SECONDS if case.heavy else SECONDS), f"{name} took {seconds:.1f} s CPU"


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def assert_inert_log(output: str) -> None:
    """Nothing a CI log would run as a workflow command, no terminal escape sequence."""
    assert_no_forged_commands(output)
    assert "\x1b" not in output and "\x07" not in output, output


@pytest.fixture
def hostile_root(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "reg", with_real_registry=True)


def registry_for(case: Case, tmp_path: Path) -> Path:
    """The real registry with the case's files; `"base": "empty"` for cases that replace
    whole kind folders."""
    empty = case.expected.get("base") == "empty"
    root = make_registry(tmp_path / "reg", with_real_registry=not empty)
    apply_case(case, root)
    return root


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", LIGHT, ids=[c.name for c in LIGHT])
def test_each_command_answers_hostile_input(case: Case, command: str, tmp_path: Path) -> None:
    marker = Path(case.expected["marker"]) if "marker" in case.expected else None
    if marker is not None:
        marker.unlink(missing_ok=True)
    hostile_root = registry_for(case, tmp_path)
    before = fingerprint(hostile_root)
    started = cpu_seconds()
    result = run_cli(*arguments(command, case, hostile_root, tmp_path / "out"))
    seconds = cpu_seconds() - started
    assert_answer(command, case, result.exit_code, result.stdout + result.stderr, seconds)
    assert fingerprint(hostile_root) == before
    if marker is not None:
        assert not marker.exists(), "a YAML tag ran a command"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_bounded(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """coopctl as a separate process with a time and an address-space limit."""
    completed = subprocess.run(
        [sys.executable, "-m", "coopctl", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=WALL_SECONDS,
        preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    return completed.returncode, completed.stdout + completed.stderr


@pytest.mark.parametrize("case", HEAVY, ids=[c.name for c in HEAVY])
def test_heavy_input_in_bounded_processes(case: Case, tmp_path: Path) -> None:
    hostile_root = registry_for(case, tmp_path)
    before = fingerprint(hostile_root)
    for command in sorted(COMMANDS):
        started = cpu_seconds()
        exit_code, output = run_bounded(
            arguments(command, case, hostile_root, tmp_path / "out"), tmp_path
        )
        assert_answer(command, case, exit_code, output, cpu_seconds() - started)
    assert fingerprint(hostile_root) == before


# --- git: diff and check ------------------------------------------------------------------------


@pytest.mark.parametrize("case", IN_GIT, ids=[c.name for c in IN_GIT])
def test_diff_and_check_answer_hostile_commits(case: Case, tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    base = commit_all(repo, "Import the registry")
    apply_case(case, repo)
    before = fingerprint(repo)

    working = run_cli("diff", "HEAD", "--root", str(repo))
    assert working.exit_code == 0, working.output
    commit_all(repo, "A hostile change")
    gate = run_cli("check", "--base", base, "--root", str(repo))
    committed = run_cli("diff", base, "HEAD", "--root", str(repo))
    assert fingerprint(repo) == before
    for result in (working, gate, committed):
        assert "Traceback" not in result.output
        assert_inert_log(result.stdout + result.stderr)
    assert gate.exit_code == 1, gate.output
    assert_names_problems(gate.stdout + gate.stderr, case, "check")
    assert committed.exit_code == 0, committed.output
    assert_names_problems(working.stdout + working.stderr, case, "diff", refusals(case))
    assert_names_problems(committed.stdout + committed.stderr, case, "diff", refusals(case))


# --- the file system ----------------------------------------------------------------------------


def test_read_commands_work_on_a_read_only_registry(hostile_root: Path, tmp_path: Path) -> None:
    """The registry as a CI checkout mounted read-only would be: no folder or file writable.
    (Running as root ignores the modes; the fingerprint still proves nothing was written.)"""
    folders = [hostile_root, *(p for p in hostile_root.rglob("*") if p.is_dir())]
    files = [p for p in hostile_root.rglob("*") if p.is_file()]
    before = fingerprint(hostile_root)
    for path in files:
        path.chmod(0o444)
    for folder in folders:
        folder.chmod(0o555)
    try:
        for command in sorted(COMMANDS):
            case = Case("read-only", HOSTILE, {"problems": []})
            result = run_cli(*arguments(command, case, hostile_root, tmp_path / "out"))
            assert result.exit_code == 0, f"{command}: {result.output}"
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert fingerprint(hostile_root) == before


# --- the network --------------------------------------------------------------------------------

_NO_NETWORK = """
import runpy, socket, sys

def refuse(*args, **kwargs):
    with open(sys.argv[1], "a", encoding="utf-8") as log:
        log.write(repr(args[:2]) + "\\n")
    raise OSError("networking is blocked in this test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
log_path = sys.argv[1]
sys.argv = ["coopctl", *sys.argv[2:]]
runpy.run_module("coopctl", run_name="__main__", alter_sys=True)
"""


def test_no_command_touches_the_network(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    base = commit_all(repo, "Import the registry")
    (repo / "registry/partners/x.yaml").write_text(
        "kind: partner\nid: x\nname: X\ntype: other\nsources:\n  - url: https://example.org/x\n",
        encoding="utf-8",
    )
    commit_all(repo, "Add x")
    log = tmp_path / "connections.log"
    out = tmp_path / "out"
    commands = [
        ["validate"],
        ["fmt", "--check"],
        ["list", "partners"],
        ["show", SHOW_ID],
        ["report", "--format", "json"],
        ["report", "--format", "html", "--output", str(out / "report.html")],
        ["export", "csv", str(out / "csv")],
        ["export", "sqlite", str(out / "registry.sqlite")],
        ["export", "xlsx", str(out / "registry.xlsx")],
        ["diff", base, "HEAD"],
        ["check", "--base", base],
        ["history", SHOW_ID],
        ["lookup", "Wolfsburg"],
        ["explain", "F001"],
        ["add", "partner", "--ars", "031540000000", "--no-interactive"],
        [
            "add",
            "event",
            "braunschweig-salzgitter-wolfsburg",
            "--set",
            "date=2022",
            "--set",
            "type=meeting",
            "--no-interactive",
        ],
        ["set", SHOW_ID, "website=https://www.augsburg.de"],
        ["edit", SHOW_ID],  # EDITOR=true saves it unchanged
        ["fmt"],
        ["init", str(out / "new-registry")],
    ]
    out.mkdir()
    for args in commands:
        completed = subprocess.run(
            [sys.executable, "-c", _NO_NETWORK, str(log), *args, "--root", str(repo)]
            if args[0] not in {"explain", "lookup", "init"}
            else [sys.executable, "-c", _NO_NETWORK, str(log), *args],
            check=False,
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=WALL_SECONDS,
            env={**os.environ, "PYTHONPATH": str(REPO), "EDITOR": "true", "VISUAL": ""},
        )
        assert completed.returncode in {0, 1}, (args, completed.stdout + completed.stderr)
        assert "Traceback" not in completed.stderr, completed.stderr
        assert not log.exists(), f"{args} tried to connect: {log.read_text()}"


# --- output safety ------------------------------------------------------------------------------

_HOSTILE_NAME = 'name: "Evil\\e[2J\\e]0;pwned\\a Stadt"\n'


def test_list_table_escapes_control_sequences(hostile_root: Path) -> None:
    augsburg = hostile_root / "registry/partners/augsburg.yaml"
    text = augsburg.read_text(encoding="utf-8")
    augsburg.write_text(text.replace("name: Stadt Augsburg\n", _HOSTILE_NAME, 1), encoding="utf-8")
    result = run_cli("list", "partners", "--root", str(hostile_root))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Evil\\x1b[2J" in result.stdout


def test_report_terminal_escapes_control_sequences(hostile_root: Path) -> None:
    for path in (hostile_root / "registry").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        hostile = text.replace("\nname: ", '\nname: "\\e[2J\\e]0;pwned\\a" # ', 1)
        hostile = hostile.replace("\ntitle: ", '\ntitle: "\\e[2J\\e]0;pwned\\a" # ', 1)
        path.write_text(hostile, encoding="utf-8")
    result = run_cli("report", "--root", str(hostile_root), env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2J" in result.stdout


def test_list_csv_neutralises_formulas(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path / "reg",
        {
            "registry/partners/evil.yaml": "kind: partner\nid: evil\n"
            "name: '=HYPERLINK(\"http://x\",\"click\")'\nshort_name: '@SUM(A1)'\n"
        },
    )
    result = run_cli(
        "list", "partners", "-c", "id,name,short_name", "--format", "csv", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    assert "'=HYPERLINK" in result.stdout and "'@SUM(A1)" in result.stdout
    assert ",=" not in result.stdout and ",@" not in result.stdout


# --- properties: the formatter and the diff -----------------------------------------------------

_SCHEMAS = load_schemas(SCHEMAS)
_READER = YamlReader()
_slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
# Free text includes NEL, LINE and PARAGRAPH SEPARATOR: the formatter writes them as escapes.
_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\x85"),
    max_size=40,
)
_date = st.from_regex(
    r"(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?", fullmatch=True
)
_source = st.fixed_dictionaries(
    {"url": st.just("https://example.org/") | st.builds(lambda s: f"https://{s}.de", _slug)},
    optional={"title": _text, "published": _date},
)
_contact = st.fixed_dictionaries(
    {"name": _text, "role": _text}, optional={"from": _date, "until": _date}
)


@st.composite
def partner_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Partner documents in a random key order, with free text where text is free."""
    fields: dict[str, Any] = {
        "kind": "partner",
        "id": draw(_slug),
        "name": draw(_text),
        "notes": draw(st.none() | _text),
        "last_reviewed": draw(st.none() | _date),
        "sources": draw(st.lists(_source, max_size=3)),
        "contacts": draw(st.lists(_contact, max_size=2)),
    }
    keys = draw(st.permutations(list(fields)))
    return {key: fields[key] for key in keys if fields[key] is not None}


def test_links_into_git_are_never_shown(tmp_path: Path) -> None:
    """`validate --show-source` used to print the code frame of a link to .git/HEAD."""
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    commit_all(repo, "Import the registry")
    (repo / "registry/partners/head.yaml").symlink_to(Path("..", "..", ".git", "HEAD"))
    result = run_cli("validate", "--show-source", "--root", str(repo))
    assert result.exit_code == 1, result.output
    assert "registry/partners/head.yaml:1:1: error[F004] symbolic link that leads into git's" in (
        result.stdout
    )
    assert "refs/heads" not in result.output
    shown = run_cli("show", "head", "--root", str(repo))
    assert shown.exit_code == 1 and "refs/heads" not in shown.output


def _loaded(raw: bytes, path: str) -> Any:
    return _READER.load(raw, path).data


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partner_documents())
def test_formatting_keeps_the_data_and_is_idempotent(document: dict[str, Any]) -> None:
    path = f"registry/partners/{document['id']}.yaml"
    raw = dump_plain(document).encode("utf-8")
    original = _loaded(raw, path)
    assert original == document
    once = format_file(raw, path, _SCHEMAS)
    assert once.text is not None, once.problems
    assert _loaded(once.text.encode("utf-8"), path) == original
    twice = format_file(once.text.encode("utf-8"), path, _SCHEMAS)
    assert twice.text == once.text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(partner_documents(), max_size=5, unique_by=lambda d: d["id"]), st.randoms())
def test_diff_of_a_registry_against_itself_is_empty(
    documents: list[dict[str, Any]], shuffle: Any
) -> None:
    sources = [
        SourceFile(f"registry/partners/{d['id']}.yaml", dump_plain(d).encode("utf-8"))
        for d in documents
    ]
    again = list(sources)
    shuffle.shuffle(again)
    old = build_registry(REPO, sources)
    new = build_registry(REPO, again)
    assert diff_registries(old, new, identities_of(_SCHEMAS)) == []
