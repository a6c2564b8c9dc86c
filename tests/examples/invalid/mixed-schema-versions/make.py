"""A registry whose partner schema says version 1 while the other three say 2."""

from pathlib import Path


def make(root: Path) -> None:
    path = root / "schemas" / "partner.schema.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"x-version": 2,', '"x-version": 1,', 1), encoding="utf-8")
