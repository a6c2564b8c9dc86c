"""Problems in files saved with a UTF-8 BOM and CRLF (or lone CR) line ends (written here, so
that no git setting can normalise the bytes). Positions must be the same as in an LF file
without BOM: the BOM is no column, CR is no column and a lone CR ends a line.

* partners/braunschweig.yaml (BOM + CRLF): 'typ' instead of type on line 5 (S003 at the key,
  5:1, and S002 for the missing type at the first key, 1:1, as there is no modeline), and a
  wrong state on line 6 (S005 at the value, 6:8).
* partners/wolfsburg.yaml (BOM + CRLF): a duplicate name on line 5 (Y002 at 5:1).
* partners/salzgitter.yaml (lone CR): ags unquoted on line 7 (S004 at the value, 7:6).
"""

from pathlib import Path

BOM = b"\xef\xbb\xbf"

BRAUNSCHWEIG = """\
kind: partner
id: braunschweig
name: Stadt Braunschweig
# the next key is misspelt
typ: kreisfreie_stadt
state: NI
ags: '03101000'
ars: '031010000000'
sources:
  - url: https://www.braunschweig.de
"""

WOLFSBURG = """\
kind: partner
id: wolfsburg
name: Stadt Wolfsburg
type: kreisfreie_stadt
name: Wolfsburg
sources:
  - url: https://www.wolfsburg.de
"""

SALZGITTER = """\
# yaml-language-server: $schema=../../schemas/partner.schema.json
kind: partner
id: salzgitter
name: Stadt Salzgitter
type: kreisfreie_stadt
state: DE-NI
ags: 03102000
ars: '031020000000'
sources:
  - url: https://www.salzgitter.de
"""


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "braunschweig.yaml").write_bytes(BOM + BRAUNSCHWEIG.replace("\n", "\r\n").encode())
    (partners / "wolfsburg.yaml").write_bytes(BOM + WOLFSBURG.replace("\n", "\r\n").encode())
    (partners / "salzgitter.yaml").write_bytes(SALZGITTER.replace("\n", "\r").encode())
