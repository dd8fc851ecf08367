"""Plain-text tables for long lists, laid out in one pass.

Rich measures and renders every cell through its segment machinery: a table of
10,000 incidents took longer to print than the vault took to decrypt. Here column
widths come from one pass over the cells (``str`` widths, with Rich's ``cell_len``
only for text that is not ASCII), columns other than the ones that must never be cut
are narrowed until the table fits the terminal, and only a line wider than its column
is wrapped. Cells must already be safe for a terminal (:func:`uglymugs.safe_text.for_terminal`).

>>> print("\\n".join(table_lines(["a", "b"], [["x", "one\\ntwo"]], width=20)))
a  b
─  ───
x  one
   two
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterator, Sequence

from rich.cells import cell_len

GAP = "  "
NARROWEST = 4


def width_of(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def table_lines(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    keep_whole: Sequence[int] = (),
) -> Iterator[str]:
    """The table's lines, at most ``width`` wide when it can be; the columns numbered in
    ``keep_whole`` are never narrowed (report numbers must never be cut).

    Widths are measured over each column's distinct cells, and each distinct cell is
    wrapped and padded once: a long list repeats the same few values."""
    widths = [width_of(header) for header in headers]
    words = [max(map(width_of, header.split()), default=0) for header in headers]
    for column, cells in enumerate(zip(*rows, strict=True) if rows else ()):
        for cell in set(cells):
            for line in cell.split("\n"):
                if len(line) > words[column] or not line.isascii():
                    widths[column] = max(widths[column], width_of(line))
                    words[column] = max(words[column], *map(width_of, line.split()), 0)
    _narrow(widths, [min(word, NARROWEST * 3) for word in words], width, keep_whole)
    yield from _row_lines(headers, widths)
    yield _line(["─" * size for size in widths], widths)
    yield from _body_lines(rows, widths)


def _body_lines(rows: Sequence[Sequence[str]], widths: Sequence[int]) -> Iterator[str]:
    """The rows' lines, built a column at a time: each distinct cell wrapped and padded
    once, every cell stretched to its row's height, then the columns joined line by line."""
    if not rows:
        return iter(())
    columns = []
    for cells, size in zip(zip(*rows, strict=True), widths, strict=True):
        done = {cell: _padded(cell, size) for cell in set(cells)}
        columns.append([done[cell] for cell in cells])
    heights = list(map(max, zip(*[map(len, column) for column in columns], strict=True)))
    stretched = []
    for column, size in zip(columns, widths, strict=True):
        blank, lines = " " * size, []
        for cell, height in zip(column, heights, strict=True):
            lines += cell
            if len(cell) < height:
                lines += [blank] * (height - len(cell))
        stretched.append(lines)
    return map(str.rstrip, map(GAP.join, zip(*stretched, strict=True)))


def _narrow(widths: list[int], words: Sequence[int], width: int, keep_whole: Sequence[int]) -> None:
    """Take a column at a time off the widest narrowable column until the table fits:
    first down to each column's longest word, then down to :data:`NARROWEST`."""
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    narrowable = [i for i in range(len(widths)) if i not in keep_whole]
    for floor in (words, [NARROWEST] * len(widths)):
        while excess > 0:
            wider = [i for i in narrowable if widths[i] > max(floor[i], NARROWEST)]
            if not wider:
                break
            widest = max(wider, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1


def _row_lines(row: Sequence[str], widths: Sequence[int]) -> Iterator[str]:
    cells = [_wrapped(cell, size) for cell, size in zip(row, widths, strict=True)]
    for number in range(max(len(lines) for lines in cells)):
        yield _line([lines[number] if number < len(lines) else "" for lines in cells], widths)


def _wrapped(cell: str, size: int) -> list[str]:
    lines = []
    for line in cell.split("\n"):
        if width_of(line) <= size:
            lines.append(line)
        else:
            lines += _wrap(line, size)
    return lines


@functools.lru_cache(maxsize=4096)
def _wrap(line: str, size: int) -> tuple[str, ...]:
    """One line wrapped (cached: a list repeats the same towns, categories and consents)."""
    return tuple(textwrap.wrap(line, size, break_on_hyphens=False)) or ("",)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    pairs = zip(cells, widths, strict=True)
    return GAP.join(_pad(cell, size) for cell, size in pairs).rstrip()


def _padded(cell: str, size: int) -> list[str]:
    """``cell``'s lines, wrapped to ``size`` and padded to it (ASCII that fits: as is)."""
    lines = cell.split("\n")
    if cell.isascii() and all(len(line) <= size for line in lines):
        return [line.ljust(size) for line in lines]
    return [_pad(line, size) for line in _wrapped(cell, size)]


def _pad(cell: str, size: int) -> str:
    return cell + " " * (size - width_of(cell))
