"""One 10 MB line, written in the test's temporary folder."""

from pathlib import Path


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "line.yaml").write_bytes(b"kind: partner\nid: line\nname: " + b"x" * 10_000_000)
