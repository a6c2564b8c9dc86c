"""Line ends git might rewrite: written here."""

from pathlib import Path


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "crlf.yaml").write_bytes(
        b"\xef\xbb\xbfkind: partner\r\nid: crlf\r\nname: A\r\ntype: other\r\nname: B\r\n"
    )
    (partners / "cr.yaml").write_bytes(b"kind: partner\rid: cr\rname: A\rsources:\r\t- url: x\r")
