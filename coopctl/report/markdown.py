"""The report as Markdown (GitHub-flavoured tables), for pull requests, wikis and mail.

Registry text is escaped so that it stays text: characters that Markdown reads as markup
get a backslash, `<`, `>` and `&` become entities (so no HTML gets through), and line
breaks inside a table cell become spaces.
"""

from __future__ import annotations

import re

from coopctl.report.blocks import Items, Paragraph, Table, build_sections, left_out, number
from coopctl.report.records import Report

_MARKUP = re.compile(r"([\\`*_\[\]|~])")
# What only means something at the start of a block: headings, list items, numbered items.
_BLOCK_START = re.compile(r"^(\s*(?=[#+\-=])|\s*[0-9]+(?=[.)]))(.)")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x85]+\s*")


def escape(text: str) -> str:
    """Registry text made inert for Markdown: shown exactly, interpreted as nothing."""
    text = _LINE_BREAKS.sub(" ", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKUP.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def _table(block: Table) -> list[str]:
    lines = [f"### {escape(block.title)}", ""]
    lines.append("| " + " | ".join(escape(h) for h in block.headers) + " |")
    lines.append(
        "|"
        + "|".join(" ---: " if i in block.numeric else " --- " for i in range(len(block.headers)))
        + "|"
    )
    lines.extend("| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows)
    if block.more:
        lines += ["", f"*{escape(left_out(block.more))}*"]
    return [*lines, ""]


def _items(block: Items) -> list[str]:
    lines = [f"### {escape(block.title)}", ""]
    for item in block.items:
        text = f"**{escape(item.label)}**"
        if item.text:
            text += f": {escape(item.text)}"
        lines.append(f"- {text}")
    if block.more:
        lines.append(f"- *{escape(left_out(block.more))}*")
    return [*lines, ""]


def render_markdown(report: Report, limit: int = 50) -> str:
    lines = ["# Kooperationsbericht", "", _stand(report), ""]
    for section in build_sections(report, limit):
        lines += [f"## {escape(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Items):
                lines += _items(block)
            else:
                lines += [escape(block.text), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _stand(report: Report) -> str:
    parts = [f"Stand: {report.as_of}", f"{number(report.files)} Dateien"]
    if report.rev:
        parts.append(f"Revision {report.rev}")
    return escape(" · ".join(parts))


__all__ = ["Paragraph", "escape", "render_markdown"]
