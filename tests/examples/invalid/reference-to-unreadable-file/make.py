"""A partner file saved as Latin-1 (the byte is written here, so git holds no binary):
'name: Stadt N\\xfcrnberg' on line 4, the bad byte at column 14."""

from pathlib import Path


def make(root: Path) -> None:
    (root / "registry" / "partners" / "nuernberg.yaml").write_bytes(
        b"# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
        b"kind: partner\nid: nuernberg\nname: Stadt N\xfcrnberg\ntype: kreisfreie_stadt\n"
        b"sources:\n  - url: https://www.nuernberg.de\n"
    )
