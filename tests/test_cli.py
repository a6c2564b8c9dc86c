"""The commands through the real CLI, on real registries in tmp_path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coopctl.cli.explain import problems_markdown
from coopctl.codes import all_codes
from coopctl.i18n import speaking
from tests.helpers import REPO, bundled_counts, make_registry, run_cli

BAD_PARTNER = """\
# yaml-language-server: $schema=../../schemas/partner.schema.json
kind: partner
id: braunschweig
name: Stadt Braunschweig
type: kreisfreie_stadt
state: DE-NI
ags: 03101000
ars: '031010000000'
"""


def _json(result_stdout: str) -> dict[str, object]:
    document = json.loads(result_stdout)
    assert isinstance(document, dict)
    return document


def test_help_lists_every_command_with_a_summary() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("validate", "explain", "lookup", "set", "edit"):
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.MULTILINE), command


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"coopctl \d+\.\d+\.\d+\n", result.stdout)


def test_validate_reports_line_column_code_and_summary(registry_root: Path) -> None:
    (registry_root / "registry/partners/braunschweig.yaml").write_text(BAD_PARTNER)
    result = run_cli("validate", "--root", str(registry_root))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [  # sorted by line; the rewritten file has no sources
        "registry/partners/braunschweig.yaml:3:5: warning[Q001] partner 'braunschweig' names "
        "no source",
        "registry/partners/braunschweig.yaml:7:6: error[S004] ags: expected text, found a "
        "number 3101000",
    ]
    files = sum(bundled_counts().values())
    assert lines[-1] == f"Found 1 error and 1 warning in 1 file ({files} files checked)."


def test_validate_show_source_prints_the_line_and_a_caret(registry_root: Path) -> None:
    (registry_root / "registry/partners/braunschweig.yaml").write_text(BAD_PARTNER)
    result = run_cli("validate", "--root", str(registry_root), "--show-source", "--select", "S004")
    assert "    7 | ags: 03101000\n" in result.stdout
    assert "\n             ^\n" in result.stdout
    assert "hint: quote the value" in result.stdout


def test_validate_json_shape(registry_root: Path) -> None:
    (registry_root / "registry/partners/braunschweig.yaml").write_text(BAD_PARTNER)
    result = run_cli("validate", "--root", str(registry_root), "--format", "json")
    document = _json(result.stdout)
    assert document["format_version"] == 1
    assert document["summary"] == {
        "by_kind": bundled_counts(),
        "files": sum(bundled_counts().values()),
        "entities": sum(bundled_counts().values()),
        "errors": 1,
        "warnings": 1,
    }
    problems = document["problems"]
    assert isinstance(problems, list)
    assert problems[1] == {
        "code": "S004",
        "name": "wrong-type",
        "severity": "error",
        "message": "ags: expected text, found a number 3101000",
        "path": "registry/partners/braunschweig.yaml",
        "line": 7,
        "column": 6,
        "pointer": "/ags",
        "entity": "partner:braunschweig",
        "hint": "quote the value so it stays text with its leading zeros: ags: '03101000'",
    }


def test_select_ignore_and_warnings_as_errors(registry_root: Path) -> None:
    (registry_root / "registry/partners/braunschweig.yaml").write_text(BAD_PARTNER)
    root = str(registry_root)
    only_warning = run_cli("validate", "--root", root, "--ignore", "S")
    assert only_warning.exit_code == 0
    assert "[Q001]" in only_warning.stdout and "[S004]" not in only_warning.stdout
    strict = run_cli("validate", "--root", root, "--ignore", "wrong-type", "--warnings-as-errors")
    assert strict.exit_code == 1
    assert "error[Q001]" in strict.stdout
    selected = run_cli("validate", "--root", root, "--select", "S004,K")
    assert "[Q001]" not in selected.stdout and "[S004]" in selected.stdout
    unknown = run_cli("validate", "--root", root, "--select", "X999")
    assert unknown.exit_code == 2
    assert "unknown problem code 'X999'" in unknown.stderr


def test_paths_limit_the_report_but_references_use_the_whole_registry(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreement = registry_root / "registry/agreements/braunschweig-salzgitter-wolfsburg.yaml"
    agreement.write_text(agreement.read_text().replace("- salzgitter\n", "- salzgiter\n", 1))
    (registry_root / "registry/partners/braunschweig.yaml").write_text(BAD_PARTNER)
    monkeypatch.chdir(registry_root)
    only_agreements = run_cli("validate", "registry/agreements")
    assert only_agreements.exit_code == 1
    assert "did you mean 'salzgitter'?" in only_agreements.stdout
    assert "braunschweig.yaml" not in only_agreements.stdout
    only_partner = run_cli("validate", "registry/partners/muenchen.yaml")
    assert only_partner.exit_code == 0
    missing = run_cli("validate", "registry/nothing-here")
    assert missing.exit_code == 2
    assert "no such file or folder" in missing.stderr


def test_root_is_found_upwards_from_the_working_directory(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(registry_root / "registry" / "partners")
    result = run_cli("validate")
    assert result.exit_code == 0
    counts = bundled_counts()
    assert result.stdout.startswith(
        f"No problems: {counts['partner']} partners, {counts['agreement']} agreements, "
        f"{counts['solution']} solutions"
    )


def test_root_from_the_environment(
    registry_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", env={"COOPCTL_ROOT": str(registry_root)})
    assert result.exit_code == 0


def test_no_registry_is_a_usage_error_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate")
    assert result.exit_code == 2
    assert "error: no registry found in" in result.stderr
    assert "hint: run coopctl inside a registry" in result.stderr
    not_a_registry = run_cli("validate", "--root", str(tmp_path))
    assert not_a_registry.exit_code == 2
    assert "not a registry (it needs registry/ and schemas/)" in not_a_registry.stderr


def test_a_broken_schema_file_is_a_usage_error(registry_root: Path) -> None:
    (registry_root / "schemas/partner.schema.json").write_text("{not json")
    result = run_cli("validate", "--root", str(registry_root))
    assert result.exit_code == 2
    assert "partner.schema.json: cannot read schema" in result.stderr
    (registry_root / "schemas/partner.schema.json").unlink()
    missing = run_cli("validate", "--root", str(registry_root))
    assert missing.exit_code == 2
    assert "schema file missing" in missing.stderr


def test_github_format_escapes_and_keeps_plain_lines(registry_root: Path) -> None:
    partner = registry_root / "registry/partners/muenchen.yaml"
    partner.write_text(
        partner.read_text().replace(
            "\ntype: kreisfreie_stadt", '\ntype: "city%0A::error file=x::forged\\nnext"', 1
        )
    )
    result = run_cli("validate", "--root", str(registry_root), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 1
    command = commands[0]
    assert command.startswith("::error file=registry/partners/muenchen.yaml,line=")
    assert ",title=S005::" in command
    assert "%250A%3A%3Aerror" not in command  # data part: ":" is not percent-encoded
    # repr: no raw newline; `::` written so that no part of the text can start a command
    assert "city%250A:\\x3aerror file=x:\\x3aforged\\nnext" in command
    assert "registry/partners/muenchen.yaml:" in result.stdout  # the plain line for the log


def test_github_paths_are_relative_to_the_workspace(registry_root: Path) -> None:
    partner = registry_root / "registry/partners/muenchen.yaml"
    partner.write_text(partner.read_text().replace("\ntype: kreisfreie_stadt", "\ntype: x", 1))
    result = run_cli(
        "validate",
        "--root",
        str(registry_root),
        "--format",
        "github",
        env={"GITHUB_WORKSPACE": str(registry_root.parent)},
    )
    assert "::error file=reg/registry/partners/muenchen.yaml,line=" in result.stdout


def test_terminal_output_neutralises_control_characters(registry_root: Path) -> None:
    partner = registry_root / "registry/partners/muenchen.yaml"
    partner.write_text(
        partner.read_text().replace("\ntype: kreisfreie_stadt", '\ntype: "\\e[2J\\e]0;pwned\\a"', 1)
    )
    result = run_cli("validate", "--root", str(registry_root))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2J" in result.stdout


def test_no_color_and_pipes_get_plain_text(registry_root: Path) -> None:
    (registry_root / "registry/partners/braunschweig.yaml").write_text(BAD_PARTNER)
    result = run_cli("validate", "--root", str(registry_root), env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def test_explain_by_code_and_by_name() -> None:
    by_code = run_cli("explain", "k003")
    by_name = run_cli("explain", "ags-ars-mismatch")
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.stdout == by_name.stdout
    assert by_code.stdout.startswith("K003 ags-ars-mismatch (error)\n")
    assert "Fix:" in by_code.stdout and "Example:" in by_code.stdout


def test_explain_unknown_code_is_a_usage_error() -> None:
    result = run_cli("explain", "Z999")
    assert result.exit_code == 2
    assert "unknown problem code 'Z999'" in result.stderr


def test_explain_lists_every_code() -> None:
    result = run_cli("explain")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [info.code for info in all_codes()]


def test_docs_problems_md_is_generated_from_the_code_table() -> None:
    result = run_cli("explain", "--format", "markdown")
    with speaking("en"):  # whatever language a test before this one left
        english = problems_markdown()
    assert (REPO / "docs" / "problems.md").read_text(encoding="utf-8") == english
    assert result.stdout == english
    for info in all_codes():
        assert f"### {info.code} `{info.name}`" in result.stdout


def test_lookup_by_name_is_umlaut_insensitive() -> None:
    for query in ("Nürnberg", "Nuernberg", "nurnberg"):
        result = run_cli("lookup", query, "--limit", "1")
        assert result.exit_code == 0
        row = result.stdout.splitlines()[1].split()
        assert row == [
            "Nürnberg",
            "kreisfreie_stadt",
            "DE-BY",
            "09564000",
            "095640000000",
            "61",  # gv_type, the Textkennzeichen a partner file records
            "Kreisfreie",
            "Stadt",
            "529,508",
        ]
        assert "Quelle: Statistisches Bundesamt (Destatis)" in result.stdout
    german = run_cli("--lang", "de", "lookup", "Nürnberg", "--limit", "1")
    assert german.stdout.splitlines()[0].split()[:3] == ["Name", "Art", "Land"]
    assert german.stdout.splitlines()[1].split()[-1] == "529.508"  # German separators


def test_lookup_by_key_and_as_json() -> None:
    result = run_cli("lookup", "031510000000", "--format", "json")
    document = _json(result.stdout)
    results = document["results"]
    assert isinstance(results, list)
    assert results[0]["name"] == "Gifhorn"
    assert results[0]["partner_types"] == ["landkreis"]
    assert results[0]["ags"] is None
    assert "dl-de/by-2-0" in str(document["attribution"])


def test_lookup_nothing_found_exits_1() -> None:
    result = run_cli("lookup", "Atlantis am Meer")
    assert result.exit_code == 1
    assert "nothing found" in result.stdout


def test_make_registry_helper_builds_an_empty_valid_registry(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "empty")
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 0
    assert result.stdout.startswith("No problems: 0 partners, 0 agreements, 0 solutions")
