"""Suggested links in the console: "possibly the same offender as …", confirm or dismiss.

The links are worked out once per set of decrypted incidents and decisions
(:mod:`uglymugs.cases.links`, memory only, dropped when the console locks). A
caseworker confirms or dismisses a link; the decision is sealed into both incidents'
case records (so a confirmed link shows on both, and a dismissed one is not suggested
again, here or by ``uglymugs links``) and recorded in the audit trail (action
``link``, both numbers, the decision; never a reason, which quotes the reports).
Confirmed links form series: ``/links/series`` shows each on a timeline and by area.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.alerts.regions import load_regions
from uglymugs.cases.links import (
    THRESHOLD,
    Link,
    add_linked_by_hand,
    published_alerts,
    series,
    suggest_links,
)
from uglymugs.cases.records import (
    LINK_DECISIONS,
    MAX_TEXT,
    CaseError,
    decide_link,
    link_decisions,
    linked_by_hand,
)
from uglymugs.i18n import N_
from uglymugs.reports.incidents import Incident
from uglymugs.staff.rendering import first, form_data, render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import incident_response, unlocked
from uglymugs.staff.unlocked import Unlocked

PAGE_SIZE = 100
PER_INCIDENT = 10
ALERT = "alert "


def current_links(services: ConsoleServices, state: Unlocked) -> list[Link]:
    """Every suggested link for the incidents held now, with the decisions taken.

    The links are worked out once per set of incidents (seconds for thousands); a
    decision only filters or marks them, so confirming is instant.
    """
    key = (id(state.incidents), len(state.incidents))
    cached = state.derived.get("links")
    if cached is None or cached[0] != key:
        alerts = published_alerts(services.alerts_dir)
        cached = state.derived["links"] = (key, suggest_links(state.incidents, alerts))
    records = state.casework.all()
    decisions = link_decisions(records)
    decided = []
    for link in cached[1]:
        decision = decisions.get(frozenset((link.a, link.b)))
        if decision != "dismissed":
            decided.append(replace(link, confirmed=decision == "confirmed"))
    known = {incident.number for incident in state.incidents}
    return add_linked_by_hand(decided, linked_by_hand(records), known)


def incident_links(services: ConsoleServices, state: Unlocked, incident: Incident) -> list[Link]:
    """The incident's links, best first: confirmed ones, then suggestions."""
    mine = [link for link in current_links(services, state) if incident.number in (link.a, link.b)]
    return sorted(mine, key=lambda link: (not link.confirmed, -link.score))[:PER_INCIDENT]


@unlocked
async def links_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    services.keyholder.reload()
    links = current_links(services, state)
    shown = [link for link in links if link.score >= THRESHOLD or link.confirmed][:PAGE_SIZE]
    return render(
        request,
        "links.html",
        links=shown,
        total=len(links),
        threshold=THRESHOLD,
        alert_prefix=ALERT,
    )


@unlocked
async def series_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    confirmed = [
        Link(min(pair), max(pair), 1.0, (), confirmed=True)
        for pair, decision in link_decisions(state.casework.all()).items()
        if decision == "confirmed" and len(pair) == 2 and not any(n.startswith(ALERT) for n in pair)
    ]
    groups = []
    for numbers in series(confirmed):
        incidents = [i for n in numbers if (i := state.incident_of(n)) is not None]
        incidents.sort(key=lambda i: (i.incident_date or "", i.number))
        areas = Counter(i.force_area or "unknown" for i in incidents)
        groups.append({"incidents": incidents, "areas": sorted(areas.items())})
    return render(request, "series.html", groups=groups, regions=load_regions())


@unlocked
async def decide(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    data = await form_data(request)
    one, other, decision = first(data, "a"), first(data, "b"), first(data, "decision")
    back = first(data, "back")
    known = {i.number for i in state.incidents}
    alert = other.startswith(ALERT) or one.startswith(ALERT)
    if decision not in LINK_DECISIONS or one == other or not _known(one, known, alert):
        return render(request, "missing.html", 422)
    if not _known(other, known, alert):
        return render(request, "missing.html", 422)
    if one.startswith(ALERT):
        one, other = other, one  # the incident first: an alert has no case record
    try:
        decide_link(state.casework, one, other, decision, services.staff_name)
    except CaseError:
        return render(request, "missing.html", 409)
    services.audit("link", [n for n in (one, other) if not n.startswith(ALERT)], decision)
    target = back if back.startswith("/incidents/") and back[1:].isascii() else "/links"
    return RedirectResponse(target.split("#")[0] + "#links", status_code=303)


@unlocked
async def link_by_hand(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    """Link this incident to another one the tool never suggested, with the caseworker's reason.

    Recorded like a confirmed link (sealed in both cases, with the reason; audited
    without it) and so joins a series; the other number may be any of its reports.
    """
    number = request.path_params["number"]
    incident = state.incident_of(number)
    if incident is None or incident.number != number:
        return RedirectResponse("/queue", status_code=303)
    data = await form_data(request)
    posted = {"link_other": first(data, "link_other"), "link_reason": first(data, "link_reason")}
    other = state.incident_of(posted["link_other"].strip().upper())
    problems = {}
    if other is None:
        problems["link_other"] = N_("Give the number of a report held now (UM-…).")
    elif other.number == incident.number:
        problems["link_other"] = N_("That is this incident (or its follow-up): choose another.")
    if not posted["link_reason"].strip():
        problems["link_reason"] = N_("Say why they are the same offender.")
    elif len(posted["link_reason"]) > MAX_TEXT:
        problems["link_reason"] = N_("This is too long: at most 10,000 characters.")
    if problems or other is None:
        return incident_response(
            request, services, state, incident, 422, problems=problems, posted=posted
        )
    try:
        decide_link(
            state.casework,
            number,
            other.number,
            "confirmed",
            services.staff_name,
            posted["link_reason"],
        )
    except CaseError:
        return render(request, "missing.html", 409)
    services.audit("link", [number, other.number], "confirmed by hand")
    return RedirectResponse(f"/incidents/{number}#links", status_code=303)


def _known(number: str, incidents: set[str], alert: bool) -> bool:
    """An incident held now, or (for an incident–alert link) an alert's name."""
    if number.startswith(ALERT):
        return alert and 0 < len(number) <= 40 and number[len(ALERT) :].replace("-", "").isalnum()
    return number in incidents


ROUTES = [
    Route("/links", links_page),
    Route("/links/series", series_page),
    Route("/links/decide", decide, methods=["POST"]),
    Route("/incidents/{number}/link", link_by_hand, methods=["POST"]),
]
