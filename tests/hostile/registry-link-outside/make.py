"""registry/ replaced by a link to a folder beside the root: nothing in it may be read."""

import shutil
from pathlib import Path

PARTNER = """\
kind: partner
id: secret
name: Read from outside
type: other
sources:
  - url: https://example.org
"""


def make(root: Path) -> None:
    outside = root.parent / "outside"
    (outside / "partners").mkdir(parents=True)
    (outside / "partners" / "secret.yaml").write_text(PARTNER, encoding="utf-8")
    shutil.rmtree(root / "registry")
    (root / "registry").symlink_to(Path("..", "outside"), target_is_directory=True)
