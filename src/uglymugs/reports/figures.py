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

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from uglymugs.reports.form import FIELDS
from uglymugs.reports.incidents import Incident

UNKNOWN_AREA = "unknown"
CATEGORIES = tuple(option.value for option in FIELDS["categories"].options)
# Beside the categories, per row: how many incidents the police were told of, how many
# allow each use (an alert, anonymous sharing with SCAS, help to report to police).
MEASURES = ("police_told", "consent_alert", "consent_scas", "consent_police_help")
MIN_SUPPRESSED_BELOW = 5
# What police sent: requests for help, and information to circulate.
POLICE_KINDS = ("requests", "information")
# Alerts issued, and of those how many were corrected or withdrawn since.
ALERT_KINDS = ("issued", "corrected", "withdrawn")
REACHED = ("members_reached",)

Count = int | None
Row = dict[str, Any]


class FiguresError(Exception):
    """The threshold asked for is below the scheme's minimum."""


def figures(incidents: Iterable[Incident], *, suppressed_below: int) -> dict[str, Any]:
    """The funders' table: one row per (force area, year) with at least one incident,
    the same counts per year nationally (``by_year``) and per area over all years
    (``by_area``), then national totals, every count suppressed as the module
    describes; beside each row's counts, the ``rates`` of :data:`MEASURES`.

    Information and requests from police (partner submissions) are not incidents a
    sex worker reported: they are counted apart (:func:`police_requests`)."""
    if suppressed_below < MIN_SUPPRESSED_BELOW:
        raise FiguresError(f"suppressed_below must be at least {MIN_SUPPRESSED_BELOW}")
    reported = [incident for incident in incidents if incident.who_reported != "police"]
    rows = _exact_rows(reported)
    by_year, by_area = _margins(rows, "year", _add_up), _margins(rows, "force_area", _add_up)
    totals = _add_up(rows)
    for cells in (*rows, *by_year, *by_area, totals):
        _hide_complements(cells, suppressed_below)
    _suppress(rows, by_year, by_area, totals, _columns(), suppressed_below)
    for row in (*rows, *by_year, *by_area, totals):
        row["rates"] = rates_of(row)
    return {
        "suppressed_below": suppressed_below,
        "incidents": rows,
        "by_year": by_year,
        "by_area": by_area,
        "totals": totals,
    }


def rates_of(row: Row) -> dict[str, float | None]:
    """Each measure's share of the row's incidents, from shown counts only: a rate is
    None when its count or the incidents are hidden (or there are none), so no rate
    tells more than the counts printed beside it."""
    incidents = row["reports"]
    return {
        m: None if row[m] is None or not incidents else round(row[m] / incidents, 4)
        for m in MEASURES
    }


def count_table(
    entries: Iterable[tuple[str, int | None, str]],
    columns: Sequence[str],
    *,
    suppressed_below: int,
    base: str | None = None,
) -> dict[str, Any]:
    """Counts of ``(force area, year, column)`` entries laid out like :func:`figures`
    (``rows``, ``by_year``, ``by_area``, ``totals``) and suppressed the same way, for
    the figures beside the incidents (requests from police, alerts issued and
    corrected). With ``base``, the other columns are parts of it (corrected alerts
    of those issued) and a part whose complement is small is hidden as well."""
    if suppressed_below < MIN_SUPPRESSED_BELOW:
        raise FiguresError(f"suppressed_below must be at least {MIN_SUPPRESSED_BELOW}")
    found: dict[tuple[str, int | None], Row] = {}
    for area, year, column in entries:
        row = found.setdefault(
            (area, year), {"force_area": area, "year": year, **dict.fromkeys(columns, 0)}
        )
        row[column] += 1
    rows = [found[key] for key in sorted(found, key=lambda k: (k[0], k[1] is None, k[1] or 0))]

    def add_up(part: Sequence[Row]) -> Row:
        return {column: sum(row[column] for row in part) for column in columns}

    by_year, by_area = _margins(rows, "year", add_up), _margins(rows, "force_area", add_up)
    totals = add_up(rows)
    for row in (*rows, *by_year, *by_area, totals):
        for column in columns:
            whole = row[base] if base else 0
            if column != base and row[column] and 0 < whole - row[column] < suppressed_below:
                row[column] = None
    getters = [(column,) for column in columns]
    _suppress(rows, by_year, by_area, totals, getters, suppressed_below)
    return {"rows": rows, "by_year": by_year, "by_area": by_area, "totals": totals}


def police_requests(incidents: Iterable[Incident], *, suppressed_below: int) -> dict[str, Any]:
    """Requests for help from police (partner submissions of the ``help_request``
    kind) and the information police sent to circulate, per force area and year
    received, suppressed like the incidents."""
    entries = [
        (force_area_of(incident), _year(incident.received_at), _police_kind(incident))
        for incident in incidents
        if incident.who_reported == "police"
    ]
    return count_table(entries, POLICE_KINDS, suppressed_below=suppressed_below)


def alert_figures(alerts: Iterable[Mapping[str, Any]], *, suppressed_below: int) -> dict[str, Any]:
    """Alerts issued per force area (the alert's region) and year issued, and of those
    how many were corrected or withdrawn since, from the alerts' front matter."""
    entries = []
    for alert in alerts:
        key = (str(alert.get("region") or UNKNOWN_AREA), _year(str(alert.get("issued") or "")))
        entries.append((*key, "issued"))
        if alert.get("status") in ("corrected", "withdrawn"):
            entries.append((*key, str(alert["status"])))
    return count_table(entries, ALERT_KINDS, suppressed_below=suppressed_below, base="issued")


def reach_figures(
    deliveries: Iterable[tuple[str, int | None, str]], *, suppressed_below: int
) -> dict[str, Any]:
    """How many members alerts reached: ``(force area of the alert, year, member id)``
    per message sent, counted as distinct members per area and year (``rows``) and per
    year nationally (``by_year``); counts only, no member is named. A member reached
    by alerts of two areas counts in each, so the rows of a year may add up to more
    than its national figure: suppression checks each year's hidden cells against the
    rows' own sum (never less than what a reader could subtract) and hides the
    national figure with it, as :mod:`uglymugs.members.figures` does."""
    if suppressed_below < MIN_SUPPRESSED_BELOW:
        raise FiguresError(f"suppressed_below must be at least {MIN_SUPPRESSED_BELOW}")
    members: dict[tuple[str, int | None], set[str]] = {}
    nationally: dict[int | None, set[str]] = {}
    for area, year, member in deliveries:
        members.setdefault((area, year), set()).add(member)
        nationally.setdefault(year, set()).add(member)
    order = sorted(members, key=lambda key: (key[0], key[1] is None, key[1] or 0))
    rows = [{"force_area": a, "year": y, "members_reached": len(members[a, y])} for a, y in order]
    by_year = [
        {"year": y, "members_reached": len(nationally[y])}
        for y in sorted(nationally, key=lambda y: (y is None, y or 0))
    ]
    for margin in by_year:
        column = [Cell(row, REACHED) for row in rows if row["year"] == margin["year"]]
        reference = Cell({REACHED[0]: sum(cell.value or 0 for cell in column)}, REACHED)
        published = Cell(margin, REACHED)
        for cell in (*column, published, reference):
            if cell.value is not None and 0 < cell.value < suppressed_below:
                cell.hide()
        secondary_suppression(column, reference, suppressed_below)
        if reference.value is None:
            published.hide()
    return {"rows": rows, "by_year": by_year}


def _police_kind(incident: Incident) -> str:
    return "requests" if incident.answer("submission_kind") == "help_request" else "information"


def _year(text: str | None) -> int | None:
    text = text or ""
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def force_area_of(incident: Incident) -> str:
    """The area an incident counts under: the one reported (or suggested by the town)."""
    return incident.force_area or UNKNOWN_AREA


def year_of(incident: Incident) -> int | None:
    """The year of the incident date, or None when there is none or it is not a date."""
    return _year(incident.incident_date)


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


def _margins(rows: Sequence[Row], key: str, add_up: Callable[[Sequence[Row]], Row]) -> list[Row]:
    """The exact sums of ``rows`` per year (``key="year"``) or per force area."""
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    if key == "year":
        order = sorted(groups, key=lambda year: (year is None, year or 0))
    else:
        order = sorted(groups)
    return [{key: value, **add_up(groups[value])} for value in order]


def _suppress(
    rows: list[Row],
    by_year: list[Row],
    by_area: list[Row],
    totals: Row,
    columns: Sequence[tuple[str, ...]],
    k: int,
) -> None:
    """Hide every small count, then whatever would let a reader work one out from any
    total printed: the national total, a year's and an area's."""
    for getter in columns:
        every = [Cell(row, getter) for row in (*rows, *by_year, *by_area, totals)]
        for cell in every:
            if cell.value is not None and 0 < cell.value < k:
                cell.hide()
        total = Cell(totals, getter)
        groups = [
            (total, [Cell(row, getter) for row in rows]),
            (total, [Cell(row, getter) for row in by_year]),
            (total, [Cell(row, getter) for row in by_area]),
        ]
        for margin in by_year:
            parts = [Cell(row, getter) for row in rows if row["year"] == margin["year"]]
            groups.append((Cell(margin, getter), parts))
        for margin in by_area:
            parts = [Cell(row, getter) for row in rows if row["force_area"] == margin["force_area"]]
            groups.append((Cell(margin, getter), parts))
        settle(groups, k)


def settle(groups: Sequence[tuple[Cell, list[Cell]]], k: int) -> None:
    """Secondary suppression over several totals sharing cells: hiding a cell for one
    total can leave another giving a cell away, so go round until nothing changes."""
    while True:
        hidden = sum(cell.value is None for total, cells in groups for cell in (total, *cells))
        for total, cells in groups:
            secondary_suppression(cells, total, k)
        if hidden == sum(cell.value is None for total, cells in groups for cell in (total, *cells)):
            return


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
