"""Figures for funders: incidents per police force area and year, with small numbers
suppressed so that no count can point at a person.

A police and crime commissioner funds a scheme on figures like "12 incidents in
Cleveland in 2024, 7 involving violence". A count of 1 to K−1 could identify the
person it describes, so it is shown as None (``null`` in JSON); 0 and counts of K or
more are shown exactly. Totals are shown exactly too (they add up to the number of
incidents), so suppression goes further where a total would give a hidden cell away:

* **secondary suppression**: in every column, if the hidden cells' sum (the total
  less the visible cells) would be a single cell or less than K, the smallest visible
  cells are hidden as well, until at least two are hidden and they sum to K or more;
* **complements**: where a row shows its incidents, a count whose complement (the
  incidents in the row without it, e.g. "without violence") is 1 to K−1 is hidden.

Incidents are a report and its follow-ups (:mod:`uglymugs.reports.incidents`); one
whose force area is ``not_sure``, absent or unknown counts under ``unknown`` and one
without a date under year ``None``, so every incident is counted in exactly one row.

>>> table = figures([], suppressed_below=5)
>>> table["suppressed_below"], table["incidents"], table["totals"]["reports"]
(5, [], 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from uglymugs.reports.form import FIELDS
from uglymugs.reports.incidents import Incident

UNKNOWN_AREA = "unknown"
CATEGORIES = tuple(option.value for option in FIELDS["categories"].options)
# Beside the categories, per row: how many incidents the police were told of, how many
# allow each use (an alert, anonymous sharing with SCAS, help to report to police).
MEASURES = ("police_told", "consent_alert", "consent_scas", "consent_police_help")
MIN_SUPPRESSED_BELOW = 5

Count = int | None
Row = dict[str, Any]


class FiguresError(Exception):
    """The threshold asked for is below the scheme's minimum."""


def figures(incidents: Iterable[Incident], *, suppressed_below: int) -> dict[str, Any]:
    """The funders' table: one row per (force area, year) with at least one incident,
    then national totals, every count suppressed as the module describes."""
    if suppressed_below < MIN_SUPPRESSED_BELOW:
        raise FiguresError(f"suppressed_below must be at least {MIN_SUPPRESSED_BELOW}")
    rows = _exact_rows(incidents)
    totals = _add_up(rows)
    _suppress(rows, totals, suppressed_below)
    return {"suppressed_below": suppressed_below, "incidents": rows, "totals": totals}


def force_area_of(incident: Incident) -> str:
    """The area an incident counts under: the one reported (or suggested by the town)."""
    return incident.force_area or UNKNOWN_AREA


def year_of(incident: Incident) -> int | None:
    """The year of the incident date, or None when there is none or it is not a date."""
    date = incident.incident_date or ""
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def _exact_rows(incidents: Iterable[Incident]) -> list[Row]:
    rows: dict[tuple[str, int | None], Row] = {}
    for incident in incidents:
        key = (force_area_of(incident), year_of(incident))
        row = rows.setdefault(key, _empty_row(*key))
        row["reports"] += 1
        for category in incident.categories:
            if category in row["by_category"]:
                row["by_category"][category] += 1
        for measure in _measures_of(incident):
            row[measure] += 1
    return [rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1] is None, k[1] or 0))]


def _empty_row(area: str, year: int | None) -> Row:
    return {
        "force_area": area,
        "year": year,
        "reports": 0,
        "by_category": dict.fromkeys(CATEGORIES, 0),
        **dict.fromkeys(MEASURES, 0),
    }


def _measures_of(incident: Incident) -> list[str]:
    """Which of :data:`MEASURES` an incident counts towards; a consent counts only
    when it is allowed (answered yes, with the person's agreement where needed)."""
    found = ["police_told"] if incident.answer("police_told") == "yes" else []
    if incident.readable:
        found += [consent.name for consent in incident.consents if consent.allowed]
    return found


def _add_up(rows: Sequence[Row]) -> Row:
    """The national totals row, from the exact counts (before any is hidden)."""
    totals: Row = {
        "reports": sum(row["reports"] for row in rows),
        "by_category": {c: sum(row["by_category"][c] for row in rows) for c in CATEGORIES},
    }
    totals.update({m: sum(row[m] for row in rows) for m in MEASURES})
    return totals


def _suppress(rows: list[Row], totals: Row, k: int) -> None:
    """Hide every small count, then whatever would let a reader work one out."""
    for cells in (*rows, totals):
        _hide_complements(cells, k)
    for getter in _columns():
        column = [Cell(row, getter) for row in rows]
        total = Cell(totals, getter)
        for cell in (*column, total):
            if cell.value is not None and 0 < cell.value < k:
                cell.hide()
        secondary_suppression(column, total, k)


def _hide_complements(row: Row, k: int) -> None:
    """Hide a count whose complement within the row is 1 to K−1 (see the module). A zero
    stays: its complement is the row's incidents, hidden already when small."""
    incidents = row["reports"]
    for holder, key in [(row["by_category"], c) for c in CATEGORIES] + [(row, m) for m in MEASURES]:
        value = holder[key]
        if value and 0 < incidents - value < k:
            holder[key] = None


def secondary_suppression(column: list[Cell], total: Cell, k: int) -> None:
    """Hide more cells until the hidden ones, worked out from the total, are at least
    two and sum to at least K: the smallest non-zero cells first, then zeros; failing
    that, the total itself (a hidden total gives nothing away)."""
    while total.value is not None:
        hidden = [cell for cell in column if cell.value is None]
        hidden_sum = total.value - sum(cell.value or 0 for cell in column)
        if not hidden or (len(hidden) >= 2 and hidden_sum >= k):
            return
        shown = [cell for cell in column if cell.value is not None]
        if not shown:
            total.hide()
            return
        max(shown, key=lambda cell: (cell.value != 0, -(cell.value or 0))).hide()


def _columns() -> list[tuple[str, ...]]:
    """Where each count is kept in a row: ``("reports",)``, ``("by_category", "rape")``."""
    return [("reports",), *(("by_category", c) for c in CATEGORIES), *((m,) for m in MEASURES)]


class Cell:
    """One count of one row, to read and hide in place."""

    def __init__(self, row: Row, path: tuple[str, ...]) -> None:
        self.holder = row[path[0]] if len(path) == 2 else row
        self.key = path[-1]

    @property
    def value(self) -> Count:
        return self.holder[self.key]

    def hide(self) -> None:
        self.holder[self.key] = None
