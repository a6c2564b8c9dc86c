"""A valid registry whose files are saved the Windows way (written here, so that no git
setting can normalise the bytes):

* partners/braunschweig.yaml: UTF-8 BOM and CRLF line ends, umlauts in a folded scalar.
* partners/wolfsburg.yaml: CRLF line ends, no BOM.
* agreements/braunschweig-wolfsburg.yaml: UTF-8 BOM and CRLF, with a literal block scalar.
* solutions/ewa.yaml: lone CR line ends (classic Mac), no BOM.
"""

from pathlib import Path

BOM = b"\xef\xbb\xbf"

BRAUNSCHWEIG = """\
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
    title: Stadt Braunschweig
notes: >-
  Größte Stadt der Region; die Kooperation begann
  im September 2020.
"""

WOLFSBURG = """\
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

AGREEMENT = """\
# yaml-language-server: $schema=../../schemas/agreement.schema.json
kind: agreement
id: braunschweig-wolfsburg
title: Kooperation Braunschweig und Wolfsburg
instrument: letter_of_intent
legal_form: none
status: signed
events:
  - date: '2020-09-23'
    type: signed
    partners:
      - braunschweig
      - wolfsburg
    note: |
      Unterzeichnet im Rathaus.
      Zweite Zeile.
sources:
  - url: https://www.kommune21.de
"""

SOLUTION = """\
# yaml-language-server: $schema=../../schemas/solution.schema.json
kind: solution
id: ewa
name: eWA
category: online_dienst
users:
  - partner: wolfsburg
    status: production
sources:
  - url: https://dataport.de
"""


def _write(path: Path, text: str, newline: str, bom: bool) -> None:
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes((BOM if bom else b"") + data)


def make(root: Path) -> None:
    registry = root / "registry"
    _write(registry / "partners" / "braunschweig.yaml", BRAUNSCHWEIG, "\r\n", bom=True)
    _write(registry / "partners" / "wolfsburg.yaml", WOLFSBURG, "\r\n", bom=False)
    _write(registry / "agreements" / "braunschweig-wolfsburg.yaml", AGREEMENT, "\r\n", bom=True)
    _write(registry / "solutions" / "ewa.yaml", SOLUTION, "\r", bom=False)
