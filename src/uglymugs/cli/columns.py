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
from itertools import chain, repeat
from operator import add, mul

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

    Widths are measured over each column's distinct cells (its ASCII ones all at once,
    as one string), and each distinct cell is wrapped and padded once: a long list
    repeats the same few values."""
    widths = [width_of(header) for header in headers]
    words = [max(map(width_of, header.split()), default=0) for header in headers]
    for column, cells in enumerate(zip(*rows, strict=True) if rows else ()):
        distinct = set(cells)
        plain = "\n".join(cell for cell in distinct if cell.isascii())
        widths[column] = max(widths[column], *map(len, plain.split("\n")))
        words[column] = max(words[column], *map(len, plain.split()), 0)
        for cell in distinct:
            for line in cell.split("\n") if not cell.isascii() else ():
                widths[column] = max(widths[column], width_of(line))
                words[column] = max(words[column], *map(width_of, line.split()), 0)
    _narrow(widths, [min(word, NARROWEST * 3) for word in words], width, keep_whole)
    rule = _line(["─" * size for size in widths], widths)
    # Not a generator: 40,000 lines passed through one frame by one cost more than
    # making them.
    return chain([*_row_lines(headers, widths), rule], _body_lines(rows, widths))


def _body_lines(rows: Sequence[Sequence[str]], widths: Sequence[int]) -> Iterator[str]:
    """The rows' lines, built a column at a time: each distinct cell wrapped and padded
    once, each distinct (cell, row height) stretched to that height once, then every
    column chained from those blocks and the columns joined line by line.

    Past the distinct cells no Python code runs per row or per line (``map`` over dict
    look-ups, ``chain``, ``zip`` and ``str.join``): 10,000 incidents make 40,000 lines
    at 80 columns."""
    if not rows:
        return iter(())
    columns = list(zip(*rows, strict=True))
    padded = [
        {cell: _padded(cell, size) for cell in set(cells)}
        for cells, size in zip(columns, widths, strict=True)
    ]
    pairs = zip(padded, columns, strict=True)
    tall = [map(len, map(done.__getitem__, cells)) for done, cells in pairs]
    heights = list(map(max, zip(*tall, strict=True)))
    stretched = []
    for cells, done, size in zip(columns, padded, widths, strict=True):
        # Each (cell, height) as one int, cell + height * cells: cheaper than a tuple.
        count, ids = len(done), {cell: number for number, cell in enumerate(done)}
        scaled = map(mul, heights, repeat(count))
        keys = list(map(add, map(ids.__getitem__, cells), scaled))
        lines = list(done.values())
        blocks = {k: _stretched(lines[k % count], k // count, size) for k in set(keys)}
        # One list of the column's lines: zip then walks lists, not chains of lists
        # (about half the time of joining the lines from the chains).
        stretched.append(list(chain.from_iterable(map(blocks.__getitem__, keys))))
    return map(str.rstrip, map(GAP.join, zip(*stretched, strict=True)))


def _stretched(lines: list[str], height: int, size: int) -> list[str]:
    """A padded cell's lines, blank lines of ``size`` added up to its row's ``height``."""
    return lines + [" " * size] * (height - len(lines)) if len(lines) < height else lines


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
    """One line wrapped (cached: a list repeats the same towns, categories and consents).

    A line without white space (a time, a date, an area id) is cut every ``size``
    characters, as :func:`textwrap.wrap` cuts a long word, without its machinery."""
    if line.split() == [line]:
        return tuple(line[start : start + size] for start in range(0, len(line), size))
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
