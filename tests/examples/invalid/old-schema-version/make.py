"""A registry whose schemas are the project's without `x-version`: schema version 1."""

from pathlib import Path


def make(root: Path) -> None:
    for path in sorted((root / "schemas").glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('  "x-version": 2,\n', "", 1), encoding="utf-8")
