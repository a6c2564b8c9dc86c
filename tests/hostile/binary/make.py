"""Binary content under a .yaml name (written here, so git holds no binary)."""

import random
from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "image.yaml").write_bytes(PNG)
    noise = bytes(random.Random(8).randrange(0x80, 0x100) for _ in range(4096))
    (partners / "noise.yaml").write_bytes(noise)
