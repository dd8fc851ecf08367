"""Members for funders: approved members per police force area they work in and
membership type, with small numbers suppressed as in :mod:`uglymugs.reports.figures`.

The areas come from the optional join question (kept in the member's monitoring
answers); a member who did not say, or preferred not to, counts under ``unknown``.

>>> member_figures([], suppressed_below=5)["member_totals"]
{'individual': 0, 'project': 0, 'site': 0}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from uglymugs.members.directory import Member, MemberStatus
from uglymugs.members.vocabulary import MEMBERSHIP_TYPES
from uglymugs.reports.figures import (
    MIN_SUPPRESSED_BELOW,
    UNKNOWN_AREA,
    Cell,
    FiguresError,
    Row,
    secondary_suppression,
)
from uglymugs.reports.places import known_force_area

MEMBER_TYPES = tuple(option.value for option in MEMBERSHIP_TYPES)


def member_figures(members: Iterable[Member], *, suppressed_below: int) -> dict[str, Any]:
    """Approved members per area they work in and membership type, suppressed the same
    way. A member who works in several areas counts in each, so the rows may add up to
    more than ``totals`` (the number of members of each type); the check that hidden
    cells are at least two and K or more is made against the rows' own sum, which is
    never less than what a reader could subtract from the totals."""
    if suppressed_below < MIN_SUPPRESSED_BELOW:
        raise FiguresError(f"suppressed_below must be at least {MIN_SUPPRESSED_BELOW}")
    rows: dict[str, Row] = {}
    totals: Row = dict.fromkeys(MEMBER_TYPES, 0)
    for member in members:
        if member.status != MemberStatus.APPROVED or member.membership_type not in totals:
            continue
        totals[member.membership_type] += 1
        for area in _member_areas(member):
            row = rows.setdefault(area, {"force_area": area, **dict.fromkeys(MEMBER_TYPES, 0)})
            row[member.membership_type] += 1
    ordered = [rows[area] for area in sorted(rows)]
    for kind in MEMBER_TYPES:
        column = [Cell(row, (kind,)) for row in ordered]
        reference = Cell({kind: sum(row[kind] for row in ordered)}, (kind,))
        published = Cell(totals, (kind,))
        for cell in (*column, published):
            if cell.value is not None and 0 < cell.value < suppressed_below:
                cell.hide()
        secondary_suppression(column, reference, suppressed_below)
        if reference.value is None:
            published.hide()
    return {"members": ordered, "member_totals": totals}


def _member_areas(member: Member) -> list[str]:
    """The known force areas a member said they work in, else ``unknown``."""
    said = [area for area in member.monitoring.get("areas", "").split() if known_force_area(area)]
    return said or [UNKNOWN_AREA]
