"""The front page, the triage queue and the incident view.

Reading an incident is recorded in the audit trail (who, when, which reports; never
what they say) and marks its reports as seen, so the queue flags what arrived since
the staff member last looked. Case status and assignee come from the sealed case
records, opened once per page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import wraps

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.alerts.regions import load_regions
from uglymugs.cases.records import STATUSES, CaseRecord
from uglymugs.reports.consent import CONSENTS
from uglymugs.reports.form import FIELDS, FORM, option_label
from uglymugs.reports.incidents import Incident
from uglymugs.sharing.due import due_actions
from uglymugs.staff.queue import (
    CONSENT_FILTERS,
    DUE_FILTERS,
    REPLY_DUE,
    SORTS,
    Filters,
    Row,
    awaits_reply,
    page_of,
    select,
)
from uglymugs.staff.rendering import render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.unlocked import Unlocked

Handler = Callable[[Request, ConsoleServices, Unlocked], Awaitable[Response]]


def unlocked(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Run ``handler`` with the unlocked state, or send the staff member to unlock."""

    @wraps(handler)
    async def guarded(request: Request) -> Response:
        services: ConsoleServices = request.app.state.services
        state = services.keyholder.current()
        if state is None:
            return RedirectResponse("/unlock", status_code=303)
        return await handler(request, services, state)

    return guarded


def rows(state: Unlocked, shared: Mapping[str, set[str]] | None = None) -> list[Row]:
    cases = state.casework.all()
    shared = shared or {}
    result = []
    for incident in state.incidents:
        case = cases.get(incident.number) or CaseRecord(incident.number)
        new = any(number not in state.seen for number in incident.numbers)
        number = incident.number
        summary = state.summaries[number]
        done = set().union(*(shared.get(n, set()) for n in incident.numbers))
        due = due_actions(incident, done)
        if awaits_reply(incident, case):
            due |= {REPLY_DUE}
        result.append(
            Row(incident, case.status, case.assignee, new, state.texts[number], summary, due)
        )
    return result


@unlocked
async def front(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    services.keyholder.reload()
    all_rows = rows(state, services.shared_actions())
    pending = []
    if services.members is not None:
        pending = [m for m in services.members.directory.members() if m.status == "pending"]
    counts = {
        "new_reports": sum(1 for row in all_rows if row.status == "new"),
        "unseen": sum(1 for row in all_rows if row.new_since_seen),
        "applications": len(pending),
        "due": sum(1 for row in all_rows if row.summary["wants_contact"] and row.status == "new"),
        **{f"due_{action}": sum(action in row.due for row in all_rows) for action in DUE_FILTERS},
    }
    return render(request, "front.html", counts=counts, staff=services.staff_name)


@unlocked
async def queue(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    if services.keyholder.reload():
        services.audit("list", [], f"{len(state.reports)} reports")
    filters = Filters.from_query(request.query_params)
    chosen = select(rows(state, services.shared_actions()), filters)
    shown, pages = page_of(chosen, filters.page)
    return render(
        request,
        "queue.html",
        rows=shown,
        total=len(chosen),
        pages=pages,
        filters=filters,
        statuses=STATUSES,
        consents=CONSENTS,
        consent_filters=CONSENT_FILTERS,
        sorts=SORTS,
        regions=load_regions(),
        categories=FIELDS["categories"].options,
        option_label=option_label,
    )


@unlocked
async def incident_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    incident = state.incident_of(request.path_params["number"])
    if incident is None:
        return render(request, "missing.html", 404)
    services.audit("read", incident.numbers)
    services.keyholder.mark_seen(incident.numbers)
    return incident_response(request, services, state, incident)


def incident_response(
    request: Request,
    services: ConsoleServices,
    state: Unlocked,
    incident: Incident,
    status_code: int = 200,
    **extra: object,
) -> Response:
    from uglymugs.staff.linking import incident_links
    from uglymugs.staff.replying import reply_form

    shares = services.shares_of(incident.numbers)
    context = {
        "links": incident_links(services, state, incident),
        "incident": incident,
        "shares": shares,
        # Shares whose consent no longer allows them: the partners to ask to delete them.
        "withdrawn": [s for s in shares if not incident.consents.by_name(s.consent).allowed],
        "due": sorted(due_actions(incident, {share.action for share in shares})),
        "case": state.casework.load(incident.number),
        "history": services.history(incident.number),
        "sections": FORM,
        "fields": FIELDS,
        "option_label": option_label,
        "regions": load_regions(),
        "statuses": STATUSES,
        "consents": CONSENTS,
        "problems": {},
        "conflict": None,
        "posted": None,
        "reply": reply_form(services, incident),
        **extra,
    }
    return render(request, "incident.html", status_code, **context)


ROUTES = [
    Route("/", front),
    Route("/queue", queue),
    Route("/incidents/{number}", incident_page),
]
