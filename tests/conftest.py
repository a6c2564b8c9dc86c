from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may read or write the real home directory or global git configuration, and
    none may depend on the CI environment it runs in, nor on the language an earlier test's
    in-process run left behind."""
    from coopctl.i18n import set_language

    set_language("en")  # it also sets $LANGUAGE, which is removed again below
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("LANG", "C.UTF-8")  # a locale that names no language
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Editor")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "editor@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Editor")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "editor@example.org")
    for name in (
        "COOPCTL_ROOT",
        "COOPCTL_CACHE_DIR",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "COOPCTL_DRAFT_DIR",
        "VISUAL",
        "EDITOR",
        "GITHUB_ACTIONS",
        "GITHUB_WORKSPACE",
        "GITHUB_STEP_SUMMARY",
        "NO_COLOR",
        "FORCE_COLOR",
        "COOPCTL_LANG",
        "LANGUAGE",
        "LC_ALL",
        "LC_MESSAGES",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def registry_root(tmp_path: Path) -> Path:
    """A copy of the real registry with its schemas, safe to modify."""
    from tests.helpers import make_registry

    return make_registry(tmp_path / "reg", with_real_registry=True)


def hatch_build() -> ModuleType:
    """The project's catalog script (hatch_build.py at the top of the repository), loaded once."""
    import importlib.util
    import sys

    if "hatch_build" not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "hatch_build.py"
        spec = importlib.util.spec_from_file_location("hatch_build", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["hatch_build"] = module
        spec.loader.exec_module(module)
    return sys.modules["hatch_build"]


def compile_bytecode() -> None:
    """Compile coopctl's modules to .pyc beside them, as installing a wheel does. The tests
    start coopctl in fresh interpreters many hundred times; where PYTHONDONTWRITEBYTECODE is
    set, Python never writes the .pyc of the editable source tree itself, and every one of
    those processes would compile all of coopctl again (a third of a second each on a busy
    two-core machine). A .pyc is used only while its source is unchanged, so an edit during a
    run is still what the next process sees."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("coopctl")
    if spec is None or spec.origin is None:
        return
    compileall.compile_dir(Path(spec.origin).parent, quiet=2, workers=1)


def pytest_sessionstart(session: pytest.Session) -> None:
    """The tests run coopctl from the source tree: compile its message catalogs first, so a
    changed .po file is what they see (an installed wheel compiles them when it is built),
    and its modules. Under pytest-xdist the controller does both before it starts the
    workers."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    hatch_build().compile_catalogs()
    compile_bytecode()
