"""Bytes git should not hold as text: written here."""

from pathlib import Path

HEAD = b"# yaml-language-server: $schema=../../schemas/partner.schema.json\nkind: partner\n"
TAIL = b"type: other\nsources:\n  - url: https://example.org\n"


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "overlong.yaml").write_bytes(HEAD + b"id: overlong\nname: a\xc0\xafb\n" + TAIL)
    (partners / "encoded-surrogate.yaml").write_bytes(
        HEAD + b"id: encoded-surrogate\nname: a\xed\xa0\x80\n" + TAIL
    )
