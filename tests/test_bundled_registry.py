"""The real registry of the project validates clean: no errors, no warnings."""

from __future__ import annotations

import json

from tests.helpers import REPO, run_cli


def test_bundled_registry_is_clean() -> None:
    result = run_cli("validate", "--root", str(REPO), "--format", "json")
    document = json.loads(result.stdout)
    assert document["problems"] == []
    assert result.exit_code == 0
    assert document["summary"]["entities"] >= 20
