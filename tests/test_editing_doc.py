"""docs/editing.md cannot drift: the page is one editing session, run here from top to bottom
on a copy of the bundled registry. Each `$ coopctl ...` line of a console block is run and its
output compared with the page; each diff block is applied to the file it names (its removed
and context lines must be there, exactly once); each YAML block marked `<!-- file: PATH -->`
must be that file's content at that point. A block of any other kind fails the test, so no
command on the page goes unrun."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import REPO, run_cli

PAGE = REPO / "docs" / "editing.md"
_BLOCK = re.compile(
    r"^(?:<!-- (?P<directive>[a-z]+): (?P<argument>\S+) -->\n)?"
    r"```(?P<lang>\w*)\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    directive: str | None
    argument: str | None
    line: int  # where the block starts on the page, for the failure message


def blocks(text: str) -> list[Block]:
    return [
        Block(
            match["lang"],
            match["body"],
            match["directive"],
            match["argument"],
            text.count("\n", 0, match.start()) + 1,
        )
        for match in _BLOCK.finditer(text)
    ]


def console_commands(body: str) -> list[tuple[str, str]]:
    """(command, expected output) for each `$ ` line; a line ending in a backslash continues
    the command on the next line, as in a shell."""
    examples = []
    for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
        lines = chunk.splitlines(keepends=True)
        command = ""
        while lines:
            line = lines.pop(0).rstrip("\n")
            if not line.endswith("\\"):
                command += line
                break
            command += line[:-1]
        examples.append((command, "".join(lines)))
    return examples


def apply_diff(root: Path, body: str) -> None:
    """Apply a diff block: a `--- PATH` and `+++ PATH` header, then hunks that each start with
    `@@`; in a hunk, lines starting with a space stay, `-` lines go, `+` lines come."""
    header, *hunks = re.split(r"^@@.*\n", body, flags=re.MULTILINE)
    old, new = (line.split(maxsplit=1)[1] for line in header.splitlines())
    assert old == new, "a diff block changes one file"
    path = root / new
    text = path.read_text(encoding="utf-8")
    for hunk in hunks:
        before = "".join(line[1:] for line in hunk.splitlines(True) if line[0] in " -")
        after = "".join(line[1:] for line in hunk.splitlines(True) if line[0] in " +")
        assert all(line[0] in " -+" for line in hunk.splitlines()), hunk
        assert text.count(before) == 1, f"{new}: the lines to change are not there once:\n{before}"
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")


def _trimmed(text: str) -> str:
    # Tables pad their last column, and a blank line parts two commands on the page: neither
    # trailing blanks nor blank lines at the end are kept by the page.
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def test_the_page_covers_the_editors_tasks() -> None:
    text = PAGE.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    for task in (
        "Recording a new partner from the Gemeindeverzeichnis",
        "Recording an accession",
        "Correcting a date",
        "Ending an agreement",
        "Fixing a broken file",
    ):
        assert task in headings, task
    found = blocks(text)
    assert sum(len(console_commands(b.body)) for b in found if b.lang == "console") >= 12
    assert {b.lang for b in found} == {"console", "diff", "yaml"}
    assert text.count("```") == 2 * len(found), "every fenced block is one the test reads"
    assert "docs/editing.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_every_block_of_the_page_is_what_coopctl_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "registry-copy"
    for folder in ("registry", "schemas"):
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.chdir(root)
    for block in blocks(PAGE.read_text(encoding="utf-8")):
        where = f"docs/editing.md:{block.line}"
        if block.lang == "diff":
            apply_diff(root, block.body)
        elif block.lang == "yaml":
            assert block.directive == "file", f"{where}: a YAML block shows a file"
            assert block.argument
            written = (root / block.argument).read_text(encoding="utf-8")
            assert written == block.body, where
        else:
            assert block.lang == "console", where
            status = int(block.argument or 0) if block.directive == "exit" else 0
            assert block.directive in (None, "exit"), where
            for command, expected in console_commands(block.body):
                program, *args = shlex.split(command)
                assert program == "coopctl", where
                result = run_cli(*args)
                assert result.exit_code == status, (where, command, result.output)
                assert _trimmed(result.output) == _trimmed(expected), (where, command)
