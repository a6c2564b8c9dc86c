"""Editor leftovers, made here because many global gitignores would keep them out of git:
a backup 'braunschweig.yaml~' (F006) and a hidden swap file '.braunschweig.yaml.swp'
(skipped silently, like every hidden file)."""

from pathlib import Path

PARTNER = """\
# yaml-language-server: $schema=../../schemas/partner.schema.json
kind: partner
id: braunschweig
name: Stadt Braunschweig
type: kreisfreie_stadt
state: DE-NI
ags: '03101000'
ars: '031010000000'
sources:
  - url: https://www.braunschweig.de
"""


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "braunschweig.yaml~").write_text(PARTNER, encoding="utf-8")
    (partners / ".braunschweig.yaml.swp").write_bytes(b"b0VIM 9.0\x00\x00")
