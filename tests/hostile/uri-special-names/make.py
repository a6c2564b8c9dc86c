"""File names that a URI must percent-encode ('#', '?', '%', a space, non-ASCII, a colon):
made here, since a checkout on some systems cannot hold them."""

from pathlib import Path

PARTNER = (
    "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
    "kind: partner\nid: {id}\nname: Sonderzeichen\ntype: other\n"
    "sources:\n  - url: https://example.org\n"
)
NAMES = {"a b#c?d%e.yaml": "a-b", "münchen-ü.yaml": "muenchen", "c:d.yaml": "c-d"}


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    for name, entity_id in NAMES.items():
        (partners / name).write_text(PARTNER.format(id=entity_id), encoding="utf-8")
