"""A cold validate (`--no-cache`) reads every file and writes nothing: no facts, no whole-run
outcome, no remembered output, with one process or with workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import coopctl_process, make_registry


@pytest.mark.parametrize("workers", ["1", "2"])
def test_no_cache_leaves_the_cache_folder_empty(tmp_path: Path, workers: str) -> None:
    root = make_registry(tmp_path / "r", with_real_registry=True)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    cold = coopctl_process(
        root, "validate", "--no-cache", "--workers", workers, COOPCTL_CACHE_DIR=str(folder)
    )
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert list(folder.iterdir()) == []
    warm = coopctl_process(root, "validate", "--workers", workers, COOPCTL_CACHE_DIR=str(folder))
    assert warm.stdout == cold.stdout
    assert list(folder.iterdir()) != []  # the same run with the cache does write it
