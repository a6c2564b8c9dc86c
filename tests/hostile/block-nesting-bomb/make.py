"""Block nesting far beyond the limit, written in the test's temporary folder."""

from pathlib import Path

DEPTH = 1_200


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    lines = ["kind: partner", "id: stairs"] + [" " * level + f"k{level}:" for level in range(DEPTH)]
    (partners / "stairs.yaml").write_text("\n".join(lines) + " x\n")
