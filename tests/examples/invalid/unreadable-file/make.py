"""Entries in a kind folder that cannot be read as files (git cannot hold them).

* partners/pipe.yaml: a FIFO; opening it would block, so it must be refused unopened.
* partners/dangling.yaml: a link to a file inside the registry that does not exist.
* partners/loop.yaml: a link to itself (a loop, not a link leaving the registry).

(The tests run as root, so chmod 000 would not make a file unreadable.)
"""

import os
from pathlib import Path


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    os.mkfifo(partners / "pipe.yaml")
    (partners / "dangling.yaml").symlink_to("missing.yaml")
    (partners / "loop.yaml").symlink_to("loop.yaml")
