"""Partner files that are not valid UTF-8 (the bytes are written here, so git holds no binary).

* latin1.yaml: 'name: N\\xfcrnberg' saved as Latin-1; the bad byte is line 4, column 8.
* after-umlauts.yaml: valid umlauts precede the bad byte on its line, and columns count
  characters, not bytes: 'name: Stadt Münster-Süd \\xe4' puts 0xE4 at column 25.
* bom.yaml: starts with a UTF-8 BOM, which is accepted and not counted; a lone continuation
  byte 0x80 follows 'name: ' on line 3 (column 7).
* truncated.yaml: ends in the first byte of a two-byte sequence (0xC3) after 'notes: Grüße '
  on line 7 (column 14).
* utf16-le.yaml, utf16-be.yaml: saved as UTF-16 with a byte order mark (FF FE, FE FF); the
  whole file is in the wrong encoding, so the problem sits at 1:1.
"""

from pathlib import Path

HEAD = b"# yaml-language-server: $schema=../../schemas/partner.schema.json\nkind: partner\n"
TAIL = b"type: other\nsources:\n  - url: https://example.org\n"


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "latin1.yaml").write_bytes(HEAD + b"id: latin1\nname: N\xfcrnberg\n" + TAIL)
    (partners / "after-umlauts.yaml").write_bytes(
        HEAD + b"id: after-umlauts\n" + "name: Stadt Münster-Süd ".encode() + b"\xe4\n" + TAIL
    )
    (partners / "bom.yaml").write_bytes(
        b"\xef\xbb\xbfkind: partner\nid: bom\nname: \x80bc\n" + TAIL
    )
    for name, bom, codec in (
        ("utf16-le", b"\xff\xfe", "utf-16-le"),
        ("utf16-be", b"\xfe\xff", "utf-16-be"),
    ):
        text = (HEAD + f"id: {name}\nname: Nürnberg\n".encode() + TAIL).decode()
        (partners / f"{name}.yaml").write_bytes(bom + text.encode(codec))
    (partners / "truncated.yaml").write_bytes(
        HEAD + b"id: truncated\n" + TAIL + "notes: Gr\u00fc\u00dfe ".encode() + b"\xc3"
    )
