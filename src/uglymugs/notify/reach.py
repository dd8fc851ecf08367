"""How many members the alerts reached, for the funders' figures: counts, never who.

Funders ask how far the warnings go. The notification ledger records each message
sent by member id (never an address); this reads the sent ones, each with the force
area of its alert and the year it was sent, for
:func:`uglymugs.reports.figures.reach_figures` to count distinct members and suppress.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from uglymugs.notify.ledger import DeliveryState, NotificationLedger

UNKNOWN_AREA = "unknown"


def sent_messages(
    ledger: NotificationLedger,
    regions: Mapping[str, str],
    date_from: date | None = None,
    date_to: date | None = None,
) -> Iterator[tuple[str, int, str]]:
    """``(force area of the alert, year sent, member id)`` for each message sent within
    the dates (inclusive, either may be open); ``regions`` maps alert numbers to areas."""
    versions = dict.fromkeys((plan.alert, plan.version) for plan in ledger.plans())
    for alert, version in versions:
        for delivery in ledger.deliveries(alert, version).values():
            sent = delivery.updated_at.date()
            if delivery.state != DeliveryState.SENT:
                continue
            if (date_from and sent < date_from) or (date_to and sent > date_to):
                continue
            area = regions.get(alert, UNKNOWN_AREA)
            yield area, sent.year, delivery.key.member_id
