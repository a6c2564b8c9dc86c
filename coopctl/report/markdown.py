"""The report as Markdown (GitHub-flavoured tables), for pull requests, wikis and mail.

Registry text goes through `coopctl.escaping.markdown`, so that it stays text: markup
characters get a backslash, `<`, `>` and `&` become entities (no HTML gets through),
mentions and issue references stay plain, and line breaks become spaces.
"""

from __future__ import annotations

from coopctl.escaping import markdown as escape
from coopctl.i18n import _
from coopctl.report.blocks import (
    TITLE,
    Items,
    Paragraph,
    Table,
    build_sections,
    left_out,
    meta_parts,
)
from coopctl.report.records import Report


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
        lines += ["", f"*{escape(left_out(block))}*"]
    return [*lines, ""]


def _items(block: Items) -> list[str]:
    lines = [f"### {escape(block.title)}", ""]
    for item in block.items:
        text = f"**{escape(item.label)}**"
        if item.text:
            text += f": {escape(item.text)}"
        lines.append(f"- {text}")
    if block.more:
        lines.append(f"- *{escape(left_out(block))}*")
    return [*lines, ""]


def render_markdown(report: Report, limit: int = 50) -> str:
    lines = [f"# {escape(_(TITLE))}", "", escape(" · ".join(meta_parts(report))), ""]
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


__all__ = ["Paragraph", "render_markdown"]
