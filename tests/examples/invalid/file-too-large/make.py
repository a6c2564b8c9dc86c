"""Two partner files around the 1 MiB limit.

huge.yaml has one byte more than 1 MiB and must be refused unread (F001 at 1:1);
at-limit.yaml has exactly 1 MiB (a valid partner padded with comment lines) and must be read
without any problem.
"""

from pathlib import Path

LIMIT = 1024 * 1024


def _partner(entity_id: str) -> str:
    return (
        "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
        "kind: partner\n"
        f"id: {entity_id}\n"
        "name: Padded partner\n"
        "type: other\n"
        "sources:\n"
        "  - url: https://example.org\n"
    )


def _padded(entity_id: str, size: int) -> bytes:
    text = _partner(entity_id)
    line = "# " + "x" * 77 + "\n"
    while len(text) + len(line) <= size - 2:
        text += line
    text += "#" * (size - len(text) - 1) + "\n"
    data = text.encode("utf-8")
    assert len(data) == size
    return data


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "huge.yaml").write_bytes(_padded("huge", LIMIT + 1))
    (partners / "at-limit.yaml").write_bytes(_padded("at-limit", LIMIT))
