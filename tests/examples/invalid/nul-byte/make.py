"""Partner files with NUL bytes (written here, so git holds no binary).

* nul.yaml: 'name: Stadt' followed by a NUL on line 4; the NUL is column 12.
* crlf.yaml: CRLF line ends; the NUL ends 'notes: Grüße' on line 8, column 13 (umlauts count
  once, the CRs of earlier lines do not shift the column).
* utf16-without-bom.yaml: the file saved as UTF-16 LE without a byte order mark (with one it
  is F002, see invalid-utf8); its first NUL is the high byte of '#', line 1, column 2.
"""

from pathlib import Path

TEXT = (
    "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
    "kind: partner\n"
    "id: {id}\n"
    "name: Stadt{nul}\n"
    "type: other\n"
    "sources:\n"
    "  - url: https://example.org\n"
)


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "nul.yaml").write_bytes(TEXT.format(id="nul", nul="\0").encode())
    crlf = TEXT.format(id="crlf", nul="") + "notes: Grüße\0\n"
    (partners / "crlf.yaml").write_bytes(crlf.replace("\n", "\r\n").encode())
    utf16 = TEXT.format(id="utf16-without-bom", nul="")
    (partners / "utf16-without-bom.yaml").write_bytes(utf16.encode("utf-16-le"))
