"""Symbolic links that leave the registry root (git cannot hold them portably).

Outside the root (in its parent folder) lie a valid partner file and a folder of partner files.
Inside the registry:

* partners/absolute.yaml -> <outside>/wolfsburg.yaml (absolute target)
* partners/relative.yaml -> ../../../outside/wolfsburg.yaml (relative target climbing out)
* partners/passwd.yaml -> /etc/passwd
* partners/gone.yaml -> <outside>/missing.yaml (dangling, and outside)
* agreements/shared -> <outside> (a link to a folder outside)
* solutions -> <outside> (a whole kind folder replaced by a link to a folder outside)

None of them may be read; each is reported at 1:1 of the link's own path. The real partner
file inside the registry stays valid.
"""

from pathlib import Path

PARTNER = """\
# yaml-language-server: $schema=../../schemas/partner.schema.json
kind: partner
id: wolfsburg
name: Stadt Wolfsburg
type: kreisfreie_stadt
state: DE-NI
ags: '03103000'
ars: '031030000000'
sources:
  - url: https://www.wolfsburg.de
"""


def make(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "wolfsburg.yaml").write_text(PARTNER, encoding="utf-8")
    registry = root / "registry"
    partners = registry / "partners"
    (partners / "absolute.yaml").symlink_to(outside / "wolfsburg.yaml")
    (partners / "relative.yaml").symlink_to(Path("..", "..", "..", "outside", "wolfsburg.yaml"))
    (partners / "passwd.yaml").symlink_to("/etc/passwd")
    (partners / "gone.yaml").symlink_to(outside / "missing.yaml")
    (registry / "agreements" / "shared").symlink_to(outside, target_is_directory=True)
    (registry / "solutions").rmdir()
    (registry / "solutions").symlink_to(outside, target_is_directory=True)
