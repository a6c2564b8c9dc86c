"""The common YAML mistakes on lines of a quarter MiB, and a bad indentation after 10,000 lines:
the message and hint show at most 120 characters of the user's text, and finding the key a
line could stand beside reads the lines above once."""

from pathlib import Path

HEAD = "kind: partner\ntype: other\n"


def make(root: Path) -> None:
    partners = root / "registry" / "partners"
    long = "a: " * 80_000
    (partners / "colon.yaml").write_text(HEAD + f"id: colon\nname: x {long}\n")
    (partners / "quote.yaml").write_text(HEAD + f"id: quote\nname: \"{'b' * 250_000}\n")
    (partners / "space.yaml").write_text(HEAD + f"id: space\nname:{'c' * 250_000}\nx: y\n")
    nested = "".join(f"{'  ' * (i % 20)}k{i}:\n" for i in range(10_000))
    (partners / "indent.yaml").write_text(HEAD + "id: indent\nnotes:\n" + nested + " name: late\n")
