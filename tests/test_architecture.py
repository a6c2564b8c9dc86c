"""The layering of coopctl, checked from its source.

* The core (every module of coopctl/ outside coopctl/cli/) knows nothing of the terminal: it
  imports neither typer nor rich and never prints; the CLI layer turns its results into output.
* Third-party libraries with a large surface stay behind one module each: ruamel.yaml behind
  coopctl/yamlio.py, GitPython behind coopctl/gitstore.py.
* Every command lives in coopctl/cli/<command>.py and has a short first docstring line, which
  `coopctl --help` shows as its summary.
"""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coopctl.cli.app import app
from tests.helpers import REPO

PACKAGE = REPO / "coopctl"
# coopctl/__main__.py is the `python -m coopctl` entry point: it starts the CLI, so it belongs
# to the CLI layer even though it sits at the top of the package.
CLI_FILES = {PACKAGE / "__main__.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


ALL_FILES = sorted(PACKAGE.rglob("*.py"))
CORE_FILES = [p for p in ALL_FILES if (PACKAGE / "cli") not in p.parents and p not in CLI_FILES]
CORE_MODULES = [_module_name(p) for p in CORE_FILES]


def _imported_modules(path: Path) -> set[str]:
    """Every module an import statement of the file names, anywhere in it (also inside
    functions), with relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = path if path.name == "__init__.py" else path.parent
                base = _module_name(package).split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _top_levels(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imported_modules(path)}


def _relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_the_package_has_a_core_and_a_cli() -> None:
    assert {"coopctl.yamlio", "coopctl.registry", "coopctl.schemas"} <= set(CORE_MODULES)
    assert (PACKAGE / "cli" / "app.py") in ALL_FILES
    assert not any(name.startswith("coopctl.cli") for name in CORE_MODULES)


@pytest.mark.parametrize("path", CORE_FILES, ids=_relative)
def test_core_source_imports_neither_typer_nor_rich(path: Path) -> None:
    assert not _top_levels(path) & {"typer", "rich", "click"}, _relative(path)
    # nor does it reach into the CLI layer, which would bring them in
    assert not {m for m in _imported_modules(path) if m.startswith("coopctl.cli")}


_BLOCKING_SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, json, sys

    BLOCKED = {"typer", "rich"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked import of {name}")
            return None

    sys.meta_path.insert(0, Block())
    failures = {}
    for module in json.loads(sys.argv[1]):
        try:
            importlib.import_module(module)
        except Exception as exc:
            failures[module] = f"{type(exc).__name__}: {exc}"
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(json.dumps({"failures": failures, "leaked": leaked}))
    """
)


def _import_blocking_typer_and_rich(modules: list[str]) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", _BLOCKING_SCRIPT, json.dumps(modules)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report: dict[str, object] = json.loads(completed.stdout)
    return report


def test_core_modules_import_with_typer_and_rich_blocked() -> None:
    """Import every core module in a fresh interpreter in which typer and rich cannot be
    imported: catches what the source scan cannot see (imports through other modules)."""
    assert _import_blocking_typer_and_rich(CORE_MODULES) == {"failures": {}, "leaked": []}


def test_the_blocker_blocks() -> None:
    report = _import_blocking_typer_and_rich(["coopctl.cli.output"])
    failures = report["failures"]
    assert isinstance(failures, dict)
    assert "blocked import of rich" in failures["coopctl.cli.output"]


@pytest.mark.parametrize("path", ALL_FILES, ids=_relative)
def test_only_yamlio_imports_ruamel(path: Path) -> None:
    if path == PACKAGE / "yamlio.py":
        assert "ruamel" in _top_levels(path)
    else:
        assert "ruamel" not in _top_levels(path), _relative(path)


@pytest.mark.parametrize("path", ALL_FILES, ids=_relative)
def test_only_gitstore_imports_gitpython(path: Path) -> None:
    if path != PACKAGE / "gitstore.py":  # gitstore.py may not exist yet
        assert "git" not in _top_levels(path), _relative(path)


def _print_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if (isinstance(function, ast.Name) and function.id == "print") or (
                isinstance(function, ast.Attribute)
                and function.attr == "print"
                and isinstance(function.value, ast.Name)
                and function.value.id == "builtins"
            ):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", CORE_FILES, ids=_relative)
def test_core_never_prints(path: Path) -> None:
    assert _print_calls(path) == [], _relative(path)


def test_the_scans_find_what_they_look_for(tmp_path: Path) -> None:
    """The scans themselves work: a scan that finds nothing anywhere would pass vacuously."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import typer\n"
        "def f():\n"
        "    from rich.console import Console\n"
        "    import git\n"
        "    print('x')\n"
        "    import builtins\n"
        "    builtins.print(1)\n",
        encoding="utf-8",
    )
    assert {"typer", "rich", "git", "builtins"} <= _top_levels(sample)
    assert _print_calls(sample) == [5, 7]


# --- commands --------------------------------------------------------------------------------

COMMANDS = [
    (info.name or info.callback.__name__.replace("_", "-"), info.callback)
    for info in app.registered_commands
    if info.callback is not None
]


def test_the_app_registers_its_commands() -> None:
    names = [name for name, _ in COMMANDS]
    assert {"validate", "explain", "lookup"} <= set(names)
    assert len(names) == len(set(names))
    assert len(COMMANDS) == len(app.registered_commands)


@pytest.mark.parametrize(("name", "callback"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_command_has_short_docstring_and_own_module(name: str, callback: object) -> None:
    doc = inspect.getdoc(callback)
    assert doc, f"{name} has no docstring"
    first = doc.splitlines()[0]
    assert first.strip(), f"the docstring of {name} starts with an empty line"
    assert len(first) <= 60, f"{name}: {first!r} has {len(first)} characters"
    module = name.replace("-", "_")
    assert getattr(callback, "__module__", None) == f"coopctl.cli.{module}"
    source = Path(inspect.getfile(callback)).resolve()  # type: ignore[arg-type]
    assert source == PACKAGE / "cli" / f"{module}.py"
