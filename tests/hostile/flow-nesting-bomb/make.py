"""Nesting far beyond any limit, written in the test's temporary folder."""

from pathlib import Path

DEPTH = 100_000


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "brackets.yaml").write_text("kind: partner\nid: brackets\nnotes: " + "[" * DEPTH + "]" * DEPTH + "\n")
    (partners / "braces.yaml").write_text("kind: partner\nid: braces\nnotes: " + "{a: " * DEPTH + "}" * DEPTH + "\n")
