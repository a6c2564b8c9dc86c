"""The terminal report: its blocks laid out in a given number of columns.

Lines are wrapped here, not by rich, so that a word is never broken: a line breaks at a space
or after the hyphen of a compound (`Vorpommern-` / `Greifswald`, never inside `2019-07-16`).
Only a piece of text that is wider than the whole space it can have (a long path or URL) is
cut, as a last resort. A table takes the widths its cells need; when the terminal is too
narrow for that, its columns share the space, those that need least more first; when even the
longest words do not fit side by side, each row is shown as a record of `header  value` lines.
A bar chart's bar shrinks to the space its column leaves, so a bar and its number stay on one
line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

from coopctl.escaping import one_line, plain
from coopctl.localformat import month_name

if TYPE_CHECKING:
    from rich.console import Console

    from coopctl.report.blocks import Items, Paragraph, Section, Table
    from coopctl.report.records import Report

# The width of the longest bar; a bar is shorter where its column has less room, and other
# columns get room before a bar shrinks below BAR_COMFORT.
BAR_WIDTH = 20
BAR_COMFORT = 10
BAR = "█"
# Columns are separated by this many spaces.
GAP = 2
# Rows a table or list shows before it says how many it leaves out.
TERMINAL_ROWS = 15

# A line may break after the hyphen of a compound: between words of three letters or more, so
# that neither `2019-07-16` nor `DE-NI` nor `IT-Betrieb` is split.
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_]{3}-)(?=[^\W\d_]{3})")
_WORD = re.compile(r"\S+")
_YEAR = re.compile(r"\d{4}\b")


def _pieces(text: str) -> Iterator[tuple[int, int, bool]]:
    """The unbreakable pieces of `text` as (start, end, joined): `joined` when the piece
    follows the one before it without a space (the part after a compound's hyphen). A month
    and its year (`September 2020`) are one piece."""
    months = {month_name(m) for m in range(1, 13)}
    held: tuple[int, int, bool] | None = None
    for piece in _split(text):
        start, end, joined = piece
        if held and not joined and text[held[0] : held[1]] in months and _YEAR.match(text, start):
            held = (held[0], end, held[2])
            continue
        if held:
            yield held
        held = piece
    if held:
        yield held


def _split(text: str) -> Iterator[tuple[int, int, bool]]:
    for word in _WORD.finditer(text):
        start = word.start()
        for cut in _HYPHEN_BREAK.finditer(word.group()):
            end = word.start() + cut.start()
            yield start, end, start != word.start()
            start = end
        yield start, word.end(), start != word.start()


def longest_piece(text: str) -> int:
    """The width of the widest piece of `text` no line break may split."""
    return max((cell_len(text[s:e]) for s, e, _joined in _pieces(text)), default=0)


def _fold(text: str, start: int, end: int, width: int) -> int:
    """Where a line that starts at `start` is cut when the piece up to `end` is wider than
    `width`: after its last `/` that fits (a path or URL), else at the last character that
    fits (at least one character, so that every line makes progress)."""
    used = 0
    for index in range(start, end):
        used += get_character_cell_size(text[index])
        if used > width:
            slash = text.rfind("/", start, index)
            return slash + 1 if slash >= start else max(index, start + 1)
    return end


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """`text` (on one line) wrapped to `width` cells: the (start, end) of each line."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = used = 0
    for piece_start, piece_end, joined in _pieces(text):
        size = cell_len(text[piece_start:piece_end])
        if start is not None:
            added = size + (0 if joined else cell_len(text[end:piece_start]))
            if used + added <= width:
                end, used = piece_end, used + added
                continue
            spans.append((start, end))
        start, end, used = piece_start, piece_end, size
        while used > width:  # the last resort: a piece wider than the whole line
            cut = _fold(text, start, end, width)
            spans.append((start, cut))
            start, used = cut, cell_len(text[cut:end])
    if start is not None:
        spans.append((start, end))
    return spans or [(0, 0)]


def wrap(text: Text, width: int) -> list[Text]:
    """A styled text wrapped to `width` cells, its styles kept."""
    return [text[s:e] for s, e in line_spans(text.plain, width)]


def _padded(line: Text, width: int, right: bool) -> Text:
    room = " " * max(0, width - line.cell_len)
    return Text(room) + line if right else line + Text(room)


def _widths(levels: Sequence[Sequence[int]], room: int) -> list[int] | None:
    """Column widths for `room` cells, from each column's widths at rising levels of comfort
    (its longest word; its longest cell with a bar of BAR_COMFORT; its header on one line and
    the whole bar): the highest level that fits, the space left taking columns towards the next
    level, those that need least first (so that as few columns as possible wrap). None when
    not even the longest words fit side by side."""
    if sum(levels[-1]) <= room:
        return list(levels[-1])
    fitting = [level for level in levels if sum(level) <= room]
    if not fitting:
        return None
    widths = list(fitting[-1])
    target = levels[len(fitting)]
    spare = room - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: (target[i] - widths[i], i)):
        step = min(spare, target[index] - widths[index])
        widths[index] += step
        spare -= step
    return widths


class _TableLayout:
    """One table's cells as styled texts, with the widths its columns need."""

    def __init__(self, block: Table) -> None:
        self.block = block
        self.headers = [Text(one_line(h), style="bold") for h in block.headers]
        self.rows = [[Text(one_line(c)) for c in row] for row in block.rows]
        bar = block.bar
        self.top = max((_int(row[bar]) for row in block.rows), default=0) if bar is not None else 0
        self.value_width = (
            max((cell_len(r[bar].plain) for r in self.rows), default=0) if bar is not None else 0
        )
        self.levels = [self._level(_words, 1), self._level(_cells, BAR_COMFORT)]
        headers = [
            max(w, h.cell_len)
            for w, h in zip(self._level(_cells, BAR_WIDTH), self.headers, strict=True)
        ]
        self.levels.append(headers)

    def _level(self, measure: Callable[[Text], int], bar_length: int) -> list[int]:
        """Each column's width when its cells take `measure` and its bar `bar_length`."""
        widths = []
        for column, header in enumerate(self.headers):
            if column == self.block.bar and self.top:
                cells = bar_length + 1 + self.value_width
            else:
                cells = max((measure(r[column]) for r in self.rows), default=0)
            widths.append(max(cells, _words(header)))
        return widths

    def cell(self, row: int, column: int, width: int) -> Text:
        """The cell, with its bar drawn in the room `width` leaves beside the number."""
        text = self.rows[row][column]
        if column != self.block.bar or not self.top:
            return text
        value = _int(self.block.rows[row][column])
        room = min(BAR_WIDTH, width - 1 - self.value_width)
        length = max(1, round(room * value / self.top)) if value else 0
        return Text(BAR * length, style="cyan") + Text(" ") + text

    def right(self, column: int) -> bool:
        return column in self.block.numeric and column != self.block.bar


def _words(text: Text) -> int:
    return longest_piece(text.plain)


def _cells(text: Text) -> int:
    return text.cell_len


def _int(cell: str) -> int:
    """A whole number as `number` wrote it, with the digit grouping of either language."""
    digits = cell.replace(".", "").replace(",", "")
    return int(digits) if digits.isdigit() else 0


def _table_lines(layout: _TableLayout, width: int) -> list[Text]:
    count = len(layout.headers)
    widths = _widths(layout.levels, width - GAP * (count - 1))
    if widths is None:
        return _record_lines(layout, width)
    gap = Text(" " * GAP)

    def joined(cells: Sequence[Text]) -> list[Text]:
        wrapped = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        lines = []
        for index in range(height):
            parts = [
                _padded(w[index] if index < len(w) else Text(), widths[i], layout.right(i))
                for i, w in enumerate(wrapped)
            ]
            lines.append(gap.join(parts))
        return lines

    lines = joined(layout.headers)
    lines.append(Text("─" * (sum(widths) + GAP * (count - 1)), style="dim"))
    for row in range(len(layout.rows)):
        lines.extend(joined([layout.cell(row, i, widths[i]) for i in range(count)]))
    return [_trimmed(line) for line in lines]


def _trimmed(line: Text) -> Text:
    line.rstrip()
    return line


def _record_lines(layout: _TableLayout, width: int) -> list[Text]:
    """Each row as lines of `header  value`, for a table whose columns do not fit side by
    side without breaking words. A value with a word too wide to stand beside its header goes
    on the lines below it, indented by GAP."""
    label_width = min(max(h.cell_len for h in layout.headers), max(12, width // 3))
    value_width = width - label_width - GAP
    lines: list[Text] = []
    for row in range(len(layout.rows)):
        if row:
            lines.append(Text())
        for column, header in enumerate(layout.headers):
            labels = wrap(header, label_width)
            value = layout.cell(row, column, value_width)
            if longest_piece(value.plain) > value_width:
                lines.extend(labels)
                below = layout.cell(row, column, width - GAP)
                lines.extend(Text(" " * GAP) + line for line in wrap(below, width - GAP))
                continue
            values = wrap(value, value_width)
            for index in range(max(len(labels), len(values))):
                label = labels[index] if index < len(labels) else Text()
                value = values[index] if index < len(values) else Text()
                lines.append(_trimmed(_padded(label, label_width, False) + Text(" " * GAP) + value))
    return lines


def _item_lines(block: Items, width: int) -> list[Text]:
    lines = wrap(Text(one_line(block.title), style="bold"), width)
    for item in block.items:
        entry = Text(one_line(item.label), style="bold")
        if item.text:
            entry.append(": " + one_line(item.text))
        for index, line in enumerate(wrap(entry, width - 4)):
            lines.append(Text("  • " if index == 0 else "    ") + line)
    return lines


def _paragraph_lines(block: Paragraph, width: int) -> list[Text]:
    return wrap(Text(one_line(block.text)), width)


def draw(console: Console, result: Report, width: int) -> None:
    """The report as terminal text in `width` columns."""
    from coopctl.i18n import _
    from coopctl.report.blocks import TITLE, build_sections, meta_parts

    heading = " · ".join((_(TITLE), *meta_parts(result)))
    _print(console, wrap(Text(plain(heading), style="bold"), width))
    for section in build_sections(result, TERMINAL_ROWS):
        console.print()
        _print(console, [_rule(section.title, width)])
        _print(console, _section_lines(section, width))


def _rule(title: str, width: int) -> Text:
    label = wrap(Text(one_line(title), style="bold"), width)[0]
    rest = width - label.cell_len - 1
    return label + Text(" " + "─" * rest, style="dim") if rest > 0 else label


def _section_lines(section: Section, width: int) -> list[Text]:
    from coopctl.report.blocks import Items, Paragraph, Table, left_out

    lines: list[Text] = []
    for block in section.blocks:
        if isinstance(block, Table):
            lines.extend(wrap(Text(one_line(block.title), style="bold"), width))
            lines.extend(_table_lines(_TableLayout(block), width))
        elif isinstance(block, Items):
            lines.extend(_item_lines(block, width))
        else:
            lines.extend(_paragraph_lines(block, width))
        if not isinstance(block, Paragraph) and block.more:
            indent = "  " if isinstance(block, Items) else ""
            more = wrap(Text(left_out(block), style="dim"), width - len(indent))
            lines.extend(Text(indent) + line for line in more)
        lines.append(Text())
    return lines


def _print(console: Console, lines: Sequence[Text]) -> None:
    """Lines that fit `width`, written without rich wrapping or cropping them again."""
    for line in lines:
        console.print(line, no_wrap=True, overflow="ignore", crop=False, soft_wrap=False)
