"""A link to a folder inside the registry (git cannot hold it portably): it is not followed
and is reported as misplaced (F005), unlike a link leaving the root (F004)."""

from pathlib import Path


def make(root: Path) -> None:
    link = root / "registry" / "partners" / "more"
    link.symlink_to(Path("..", "agreements"), target_is_directory=True)
