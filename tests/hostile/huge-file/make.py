"""A 50 MB partner file, written in the test's temporary folder."""

from pathlib import Path

HEAD = b"kind: partner\nid: huge\nnotes: |\n"


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    with (partners / "huge.yaml").open("wb") as handle:
        handle.write(HEAD)
        for _ in range(50):
            handle.write(b"  " + b"x" * (1024 * 1024 - 3) + b"\n")
