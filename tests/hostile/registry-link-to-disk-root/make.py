"""registry/ replaced by a link to the root of the file system."""

import shutil
from pathlib import Path


def make(root: Path) -> None:
    shutil.rmtree(root / "registry")
    (root / "registry").symlink_to("/", target_is_directory=True)
