"""Names and values that would forge workflow commands or drive a terminal if printed raw.
File names with line breaks and escape characters do not belong in the project's own git
tree, so they are made here."""

from pathlib import Path

SOURCE = "sources:\n  - url: https://example.org/\n"


def _partner(identifier: str, extra: str = "") -> str:
    return f"kind: partner\nid: {identifier}\nname: X\ntype: other\n{extra}{SOURCE}"


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "x\n::error file=README.md,line=1::forged\n.yaml").write_text(
        _partner("x"), encoding="utf-8"
    )
    (partners / "y\x1b]0;title\x07\x1b[2J.yaml").write_text(_partner("y"), encoding="utf-8")
    (partners / "forged-id.yaml").write_text(
        _partner('"augsburg\\n::error::forged"'), encoding="utf-8"
    )
    (partners / "forged-key.yaml").write_text(
        _partner(
            "forged-key",
            '"bad\\n::error::key": 1\nparent: "nobody\\n::error file=c::x"\n'
            'notes: "##[error]legacy \\u202e\\u2066\\u200d @admin #1"\n',
        ),
        encoding="utf-8",
    )
