"""coopctl as users get it: the wheel built from this repository, installed on its own, and
the console script of the development environment.

The wheel is built without network access (`--no-build-isolation`: hatchling comes from the
test extras) and installed with `pip install --target` into a folder that is put on
PYTHONPATH; every run happens outside the repository, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from coopctl import __version__
from tests.helpers import REGISTRY, REPO, SCHEMAS, make_registry

SCHEMA_FILES = ("defs", "partner", "agreement", "solution")
GV_FILE = "coopctl/data/gemeindeverzeichnis.tsv.gz"
HEAVY = ("jsonschema", "ruamel", "git", "referencing")
CONSOLE_SCRIPT = Path(sys.executable).parent / "coopctl"


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a subprocess: no PYTHONPATH or COOPCTL_ROOT from outside, a
    private HOME, pip without network, cache or version check."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "COOPCTL_ROOT", "GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR"}
        and not key.startswith("PIP_")
    }
    env.update(
        HOME=str(home),
        PIP_NO_INDEX="1",
        PIP_NO_CACHE_DIR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def _run(
    args: list[str], cwd: Path, env: Mapping[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


@dataclass(frozen=True)
class Installed:
    wheel: Path
    site: Path
    workdir: Path  # outside the repository; holds a copy of the registry in registry-copy/
    env: dict[str, str]

    def python(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run([sys.executable, *args], self.workdir, self.env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("packaging")
    home = base / "home"
    home.mkdir()
    env = _clean_env(home)
    dist = base / "dist"
    built = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(REPO),
        ],
        base,
        env,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = sorted(dist.glob("coopctl-*.whl"))
    assert len(wheels) == 1, wheels
    site = base / "site"
    install = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--target",
            str(site),
            str(wheels[0]),
        ],
        base,
        env,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    workdir = base / "work"
    workdir.mkdir()
    copy = workdir / "registry-copy"
    shutil.copytree(REGISTRY, copy / "registry")
    shutil.copytree(SCHEMAS, copy / "schemas")
    return Installed(wheels[0], site, workdir, _clean_env(home, PYTHONPATH=str(site)))


# --- the wheel -------------------------------------------------------------------------------


@pytest.mark.slow
def test_wheel_carries_the_schemas_and_the_gemeindeverzeichnis(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        for kind in SCHEMA_FILES:
            member = f"coopctl/_schemas/{kind}.schema.json"
            assert member in names
            assert wheel.read(member) == (SCHEMAS / f"{kind}.schema.json").read_bytes(), member
        shipped = {n for n in names if n.startswith("coopctl/_schemas/")}
        assert shipped == {f"coopctl/_schemas/{p.name}" for p in SCHEMAS.glob("*.schema.json")}
        assert GV_FILE in names
        assert wheel.read(GV_FILE) == (REPO / GV_FILE).read_bytes()
        assert "coopctl/__init__.py" in names
        assert "coopctl/cli/app.py" in names
        for lang in ("de", "en"):  # compiled by the build hook (hatch_build.py)
            assert f"coopctl/locale/{lang}/LC_MESSAGES/coopctl.mo" in names
            assert f"coopctl/locale/{lang}/LC_MESSAGES/coopctl.po" in names
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "coopctl = coopctl.cli.entry:main" in wheel.read(entry_points).decode()
        # the wheel is the package, not the repository
        assert not any(n.startswith(("tests/", "registry/", "schemas/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_from_its_own_files(installed: Installed) -> None:
    probe = installed.python(
        "-c",
        "import json, coopctl, coopctl.schemas as s; "
        "print(json.dumps([coopctl.__file__, str(s.bundled_schema_dir())]))",
    )
    assert probe.returncode == 0, probe.stderr
    package_file, schema_dir = (Path(p) for p in json.loads(probe.stdout))
    assert package_file == installed.site / "coopctl" / "__init__.py"
    assert schema_dir == installed.site / "coopctl" / "_schemas"
    assert REPO not in schema_dir.parents


@pytest.mark.slow
def test_installed_wheel_speaks_german(installed: Installed) -> None:
    result = installed.python("-m", "coopctl", "--lang", "de", "--help")
    assert result.returncode == 0, result.stderr
    assert "Die Sprache der Meldungen" in result.stdout


@pytest.mark.slow
def test_installed_wheel_version(installed: Installed) -> None:
    result = installed.python("-m", "coopctl", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"coopctl {__version__}"


@pytest.mark.slow
def test_installed_wheel_validates_a_registry(installed: Installed) -> None:
    root = installed.workdir / "registry-copy"
    result = installed.python("-m", "coopctl", "validate", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems" in result.stdout
    assert "Traceback" not in result.stderr

    as_json = installed.python("-m", "coopctl", "validate", "--root", str(root), "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    assert document["problems"] == []
    assert document["summary"]["entities"] == len(list(REGISTRY.glob("*/*.yaml")))


@pytest.mark.slow
def test_installed_wheel_reports_problems_and_usage_errors(installed: Installed) -> None:
    broken = installed.workdir / "broken"
    shutil.copytree(installed.workdir / "registry-copy", broken)
    (broken / "registry" / "partners" / "x.yaml").write_text(
        "kind: partner\nid: y\n", encoding="utf-8"
    )
    result = installed.python("-m", "coopctl", "validate", "--root", str(broken))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "registry/partners/x.yaml" in result.stdout

    empty = installed.workdir / "empty"
    empty.mkdir()
    result = _run([sys.executable, "-m", "coopctl", "validate"], empty, installed.env)
    assert result.returncode == 2
    assert "no registry found" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
def test_installed_wheel_looks_up_the_gemeindeverzeichnis(installed: Installed) -> None:
    result = installed.python("-m", "coopctl", "lookup", "Gifhorn")
    assert result.returncode == 0, result.stderr
    assert "Gifhorn" in result.stdout
    assert "031510000000" in result.stdout  # Landkreis Gifhorn
    assert "03151009" in result.stdout  # Stadt Gifhorn
    assert "Destatis" in result.stdout

    missing = installed.python("-m", "coopctl", "lookup", "Nirgendwo an der Nichts")
    assert missing.returncode == 1


# --- the console script of the development environment -------------------------------------


def _script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([str(CONSOLE_SCRIPT), *args], cwd, os.environ, timeout=120)


def _first_doc_line(command: str) -> str:
    from coopctl.cli.app import app

    for info in app.registered_commands:
        if info.name == command and info.callback and info.callback.__doc__:
            return info.callback.__doc__.strip().splitlines()[0]
    raise AssertionError(f"no command {command}")


@pytest.mark.slow
def test_console_script_help_lists_the_commands(tmp_path: Path) -> None:
    assert CONSOLE_SCRIPT.is_file()
    result = _script("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: coopctl ")
    for command in ("validate", "explain", "lookup"):
        summary = _first_doc_line(command)
        assert re.search(rf"^  {command} +{re.escape(summary)}$", result.stdout, re.M), (
            command,
            result.stdout,
        )


@pytest.mark.slow
def test_console_script_validates_the_repository() -> None:
    result = _script("validate", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems" in result.stdout


@pytest.mark.slow
def test_console_script_outside_a_registry(tmp_path: Path) -> None:
    result = _script("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "no registry found" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
def test_python_m_coopctl_version(tmp_path: Path) -> None:
    for args in (
        [sys.executable, "-m", "coopctl", "--version"],
        [str(CONSOLE_SCRIPT), "--version"],
    ):
        result = _run(args, tmp_path, os.environ, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"coopctl {__version__}"


# --- start-up cost -------------------------------------------------------------------------

_IMPORTS_AFTER = """
import json, sys
from coopctl.cli.app import app
try:
    code = app(json.loads(sys.argv[1]), standalone_mode=False, prog_name="coopctl")
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in set(json.loads(sys.argv[2])))
sys.stdout.write("\\n" + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["validate", "--help"],
        ["explain", "--help"],
        ["lookup", "--help"],
    ],
    ids=" ".join,
)
def test_help_does_not_import_heavy_modules(args: list[str], tmp_path: Path) -> None:
    result = _run(
        [sys.executable, "-c", _IMPORTS_AFTER, json.dumps(args), json.dumps(HEAVY)],
        tmp_path,
        os.environ,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None)
    assert report["heavy"] == []


@pytest.mark.slow
def test_heavy_module_check_sees_imports(tmp_path: Path) -> None:
    """The check above would notice heavy imports: validating a registry whose files need the
    reference parser (a duplicate key) and jsonschema's messages (a wrong type) imports them.
    Valid files need neither: the fast parser and the compiled validator answer for them."""
    root = make_registry(
        tmp_path / "reg",
        {
            "registry/partners/twice.yaml": "kind: partner\nid: twice\nid: twice\n",
            "registry/partners/typed.yaml": "kind: partner\nid: typed\nname: 5\ntype: other\n",
        },
        with_real_registry=True,
    )
    command = ["validate", "--root", str(root), "--format", "json", "--no-cache"]
    result = _run(
        [sys.executable, "-c", _IMPORTS_AFTER, json.dumps(command), json.dumps(HEAVY)],
        tmp_path,
        os.environ,
        timeout=120,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 1
    assert {"jsonschema", "ruamel.yaml"} <= set(report["heavy"])


@pytest.mark.slow
def test_valid_files_need_neither_ruamel_nor_git(tmp_path: Path) -> None:
    """Every file of the bundled registry takes the fast YAML path: validating it imports
    neither ruamel.yaml nor GitPython."""
    command = ["validate", "--root", str(REPO), "--no-cache"]
    result = _run(
        [sys.executable, "-c", _IMPORTS_AFTER, json.dumps(command), json.dumps(HEAVY)],
        tmp_path,
        os.environ,
        timeout=120,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    assert not {"ruamel", "git"} & {name.split(".")[0] for name in report["heavy"]}
