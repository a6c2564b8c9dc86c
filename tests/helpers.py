"""Helpers shared by the tests: run the real CLI, build real registries in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer.main
import typer.testing
from typer.testing import CliRunner, Result

from coopctl.cli.app import app

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
REGISTRY = REPO / "registry"
EXAMPLES = Path(__file__).resolve().parent / "examples"


_BUILT: dict[str, Any] = {}  # coopctl's click command tree, by the language it speaks


def _command_of(application: typer.Typer) -> Any:
    """The click command CliRunner runs for `application`. typer builds it from every
    command's signature on each CliRunner.invoke, which was two thirds of a short in-process
    run; the console script builds it once per process. So coopctl's app is built once per
    test process and language (its help texts are translated while it is built; nothing
    else in it depends on the run), any other app on every call, as typer does."""
    if application is not app:
        return typer.main.get_command(application)
    from coopctl.i18n import language

    built = _BUILT.get(language())
    if built is None:
        built = _BUILT[language()] = typer.main.get_command(app)
    return built


typer.testing._get_command = _command_of  # CliRunner.invoke looks it up on each call


def run_cli(*args: str, env: Mapping[str, str] | None = None, input: str | None = None) -> Result:
    """Run coopctl in-process, exactly as the console script would (same app, same handler)."""
    from coopctl.cli.language import apply
    from coopctl.i18n import environment

    kept = apply(list(args), {**environment(), **(env or {})})
    runner = CliRunner()
    return runner.invoke(app, kept, env=dict(env or {}), input=input, catch_exceptions=False)


def make_registry(
    root: Path, files: Mapping[str, str | bytes] | None = None, with_real_registry: bool = False
) -> Path:
    """A registry at `root`: the project's schemas, optionally the real registry, plus `files`
    (paths relative to root, str written as UTF-8, bytes as they are)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SCHEMAS, root / "schemas", dirs_exist_ok=True)
    if with_real_registry:
        shutil.copytree(REGISTRY, root / "registry", dirs_exist_ok=True)
    for folder in ("partners", "agreements", "solutions"):
        (root / "registry" / folder).mkdir(parents=True, exist_ok=True)
    for relative, content in (files or {}).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def coopctl_process(
    cwd: Path, *args: str, python: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    """coopctl through its real entry point in a fresh interpreter (`python`: its options)."""
    return subprocess.run(
        [sys.executable, *python, "-m", "coopctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def bundled_counts() -> dict[str, int]:
    """The number of files of each kind in the bundled registry (registry/), for tests whose
    expected summaries follow its contents."""
    folders = {"partner": "partners", "agreement": "agreements", "solution": "solutions"}
    return {
        kind: len(list((REPO / "registry" / folder).glob("*.yaml")))
        for kind, folder in folders.items()
    }


# The system calls a process waits for the terminal in (read, poll, select, pselect6, ppoll),
# by machine; elsewhere only the process state is looked at.
_WAITING_CALLS = {"x86_64": {"0", "7", "23", "270", "271"}, "aarch64": {"63", "72", "73"}}


def interrupt_when_reading(child: Any, timeout: float = 20.0) -> None:
    """Send Ctrl-C to a pexpect child once it waits for the terminal. A prompt is shown a
    moment before the process waits: a SIGINT in that moment is taken note of, but the
    readline wait it arrives before is not interrupted by it, and the process goes on waiting
    for a key (as a person's Ctrl-C never could arrive so soon). So this waits until the
    child sleeps in one of the calls that wait for input, by /proc, where there is one."""
    import platform
    import time

    calls = _WAITING_CALLS.get(platform.machine())
    deadline = time.monotonic() + timeout
    seen = 0
    while seen < 2 and time.monotonic() < deadline:  # twice in a row: not merely passing by
        try:
            state = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            call = Path(f"/proc/{child.pid}/syscall").read_text().split()[0]
        except (OSError, IndexError):
            break  # no /proc: send it now
        waiting = state == "S" and (calls is None or call in calls)
        seen = seen + 1 if waiting else 0
        time.sleep(0.02)
    child.sendintr()
