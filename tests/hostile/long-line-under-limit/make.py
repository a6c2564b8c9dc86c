"""Lines of half a megabyte each, under the size limit, so they are parsed."""

from pathlib import Path


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    text = "kind: partner\nname: " + "n" * 500_000 + "\nid: " + "i" * 500_000 + "\n"
    (partners / "wide.yaml").write_text(text, encoding="utf-8")
