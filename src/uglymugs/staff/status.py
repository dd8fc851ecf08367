"""Publishing and notify status: what the last publish changed, and how far it got.

Per alert version and channel: members due, sent, failed, retrying and pending, from
the same ledger and counting as ``uglymugs notify status``; never who they were.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from uglymugs.notify.ledger import count_channel
from uglymugs.staff.rendering import render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import unlocked
from uglymugs.staff.unlocked import Unlocked


def last_publication(services: ConsoleServices):
    """The newest publication on the shelf, or None (nothing published, or no key)."""
    feed = services.publications
    if feed is None:
        return None
    sequence = feed.current_sequence()
    return feed.publication(sequence) if sequence is not None else None


def notify_counts(services: ConsoleServices) -> list:
    ledger = services.notify_ledger
    if ledger is None:
        return []
    counts, deliveries = [], {}
    for plan in ledger.plans():
        version = (plan.alert, plan.version)
        if version not in deliveries:
            deliveries[version] = list(ledger.deliveries(*version).values())
        counts.append(count_channel(plan, deliveries[version]))
    return counts


@unlocked
async def publishing(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    return render(
        request,
        "publishing.html",
        publication=last_publication(services),
        counts=notify_counts(services),
    )


ROUTES = [Route("/publishing", publishing)]
