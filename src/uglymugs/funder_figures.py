"""Every figure a funder reads, gathered from each place it is kept, in one table.

The incidents come from the vault (decrypted by the caller, in memory), the members
from the member directory, the alerts from their files (``site/alerts``) and the
notify reach from the notification ledger. This module only gathers: the counting
and the suppression are :mod:`uglymugs.reports.figures` and
:mod:`uglymugs.members.figures`. ``uglymugs stats`` and the console's Figures page both
build their table here, so they always show the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from uglymugs.members.directory import Member
from uglymugs.members.figures import member_figures
from uglymugs.members.survey import SurveyStore
from uglymugs.members.survey_figures import survey_figures
from uglymugs.notify.ledger import NotificationLedger
from uglymugs.notify.reach import sent_messages
from uglymugs.reports.figures import (
    alert_figures,
    figures,
    police_requests,
    reach_figures,
)
from uglymugs.reports.incidents import Incident

# The parts of the table with one row per force area, cut to one area on request.
AREA_PARTS = ("incidents", "by_area", "members")
SIDE_PARTS = ("police_requests", "alerts", "notify_reach")


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates, either end open; empty means everything."""

    date_from: date | None = None
    date_to: date | None = None

    def includes(self, text: str | None) -> bool:
        """Whether the date ``text`` (ISO, maybe a timestamp) is in the range; with
        either end given, something without a date is left out."""
        if not (self.date_from or self.date_to):
            return True
        try:
            when = date.fromisoformat((text or "")[:10])
        except ValueError:
            return False
        return (self.date_from or when) <= when <= (self.date_to or when)


def gather(
    incidents: Iterable[Incident],
    *,
    suppressed_below: int,
    period: Period = Period(),
    members: Iterable[Member] = (),
    alerts_dir: Path | None = None,
    ledger: NotificationLedger | None = None,
    survey_store: SurveyStore | None = None,
) -> dict[str, Any]:
    """The whole suppressed table: incidents in the period (by incident date), requests
    from police (by date received), members now, alerts (by date issued), the
    members they reached (by date sent) and the member survey's rounds."""
    incidents = list(incidents)
    reported = [i for i in incidents if period.includes(i.incident_date)]
    from_police = [i for i in incidents if period.includes(i.received_at)]
    alerts = [a for a in alert_files(alerts_dir) if period.includes(str(a.get("issued", "")))]
    regions = {str(alert.get("number")): str(alert.get("region")) for alert in alerts}
    sent = sent_messages(ledger, regions, period.date_from, period.date_to) if ledger else ()
    k = suppressed_below
    table = figures(reported, suppressed_below=k)
    table.update(member_figures(members, suppressed_below=k))
    table["police_requests"] = police_requests(from_police, suppressed_below=k)
    table["alerts"] = alert_figures(alerts, suppressed_below=k)
    table["notify_reach"] = reach_figures(sent, suppressed_below=k)
    table["survey"] = survey_figures(survey_store, k)
    return table


def for_area(table: dict[str, Any], force_area: str) -> dict[str, Any]:
    """``table`` with only ``force_area``'s rows in its per-area parts; the national
    figures stay. Suppression was worked out on the whole table first, so the part
    gives away no more than the whole."""
    cut = dict(table)
    for part in AREA_PARTS:
        cut[part] = [row for row in table[part] if row["force_area"] == force_area]
    for part in SIDE_PARTS:
        cut[part] = {
            **table[part],
            **{
                name: [row for row in table[part][name] if row["force_area"] == force_area]
                for name in ("rows", "by_area")
                if name in table[part]
            },
        }
    return cut


def alert_files(alerts_dir: Path | None) -> list[dict[str, Any]]:
    """The front matter of every alert file in ``alerts_dir`` (published, corrected or
    withdrawn); a file that does not parse is left out (``uglymugs alerts check``
    reports it)."""
    from uglymugs.alerts.front_matter import FrontMatterError, parse

    found = []
    for path in sorted(alerts_dir.glob("*.md")) if alerts_dir and alerts_dir.is_dir() else []:
        try:
            data = parse(path.read_text(encoding="utf-8")).data
        except (OSError, UnicodeDecodeError, FrontMatterError):
            continue
        if isinstance(data, dict) and data.get("number") and data.get("issued"):
            found.append(data)
    return found
