"""Alert numbers: ``YYYY-NNNN``, the year an alert was issued and its place in that year.

Unlike report numbers, alert numbers are public and sequential: members quote them
("see alert 2026-0042") and nothing about an alert's number identifies anyone. The
next number is one more than the highest used this year in the alerts directory,
read from the file names and the ``number`` fields both.

>>> format_number(2026, 42)
'2026-0042'
>>> parse_number("2026-0042")
(2026, 42)
"""

from __future__ import annotations

import re
from pathlib import Path

from uglymugs.alerts.front_matter import FrontMatterError, parse

NUMBER_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")
MAX_SEQUENCE = 9999


class AlertNumberError(ValueError):
    """A string that is not an alert number, or a year whose numbers are used up."""


def format_number(year: int, sequence: int) -> str:
    """The number of the ``sequence``-th alert issued in ``year``."""
    if not (1000 <= year <= 9999 and 1 <= sequence <= MAX_SEQUENCE):
        raise AlertNumberError(f"no alert number for year {year}, sequence {sequence}")
    return f"{year:04d}-{sequence:04d}"


def parse_number(number: str) -> tuple[int, int]:
    """``(year, sequence)`` of a well-formed number, or :class:`AlertNumberError`."""
    match = NUMBER_PATTERN.match(number) if isinstance(number, str) else None
    if match is None or int(match.group(2)) == 0:
        raise AlertNumberError(f"{number!r} is not an alert number like 2026-0042")
    return int(match.group(1)), int(match.group(2))


def used_numbers(directory: Path) -> set[str]:
    """Every well-formed number in ``directory``: alert file names and ``number`` fields."""
    used = set()
    for path in sorted(directory.glob("*.md")) if directory.is_dir() else ():
        candidates = [path.stem]
        try:
            data = parse(path.read_text(encoding="utf-8")).data
        except (OSError, UnicodeDecodeError, FrontMatterError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("number"), str):
            candidates.append(data["number"])
        for candidate in candidates:
            try:
                parse_number(candidate)
            except AlertNumberError:
                continue
            used.add(candidate)
    return used


def next_number(directory: Path, year: int) -> str:
    """The first number of ``year`` after every one already used in ``directory``."""
    sequences = [
        sequence
        for used_year, sequence in map(parse_number, used_numbers(directory))
        if used_year == year
    ]
    return format_number(year, max(sequences, default=0) + 1)
