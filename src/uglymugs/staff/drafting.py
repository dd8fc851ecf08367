"""Drafting an alert from an incident, checking it as staff type, proposing it.

The draft starts from the same alert-safe answers ``uglymugs alerts new
--from-report`` copies (never what happened, who reported or how to reach them),
merged across the incident's reports, with the region pre-filled from the incident.
Only an incident whose consent allows an alert offers a draft at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from uglymugs.alerts.drafting import DraftError, draft_from_incident, write_new_alert
from uglymugs.alerts.numbering import AlertNumberError, format_number, next_number, parse_number
from uglymugs.alerts.regions import load_regions
from uglymugs.cases.records import ALERT_DRAFTED, IN_PROGRESS, NEW
from uglymugs.reports.consent import ALERT
from uglymugs.reports.incidents import Incident
from uglymugs.staff import alert_form
from uglymugs.staff.proposing import ProposeError, propose
from uglymugs.staff.rendering import form_data, render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import unlocked
from uglymugs.staff.unlocked import Unlocked


def preview_number(services: ConsoleServices, today: date) -> str:
    """The number the draft would get now (the file, when written, takes the next free)."""
    folder = services.alerts_dir
    return next_number(folder, today.year) if folder.is_dir() else format_number(today.year, 1)


def draft_values(incident: Incident, services: ConsoleServices) -> dict:
    """The form's first values: the alert-safe answers ``alerts new`` would copy."""
    today = services.clock().date()
    text = draft_from_incident(incident, preview_number(services, today), today)
    return alert_form.values_from_draft(text)


def _page(
    request: Request, incident: Incident, values: dict, status: int = 200, **extra
) -> Response:
    return render(
        request,
        "alert.html",
        status,
        incident=incident,
        values=values,
        fields=alert_form.ALERT_FIELDS,
        regions=load_regions(),
        problems=extra.pop("problems", {}),
        **extra,
    )


@unlocked
async def draft_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    incident = state.incident_of(request.path_params["number"])
    if incident is None:
        return render(request, "missing.html", 404)
    consent = incident.consents.by_name(ALERT)
    if not consent.allowed:
        return render(request, "no_consent.html", 403, incident=incident, reason=consent.reason)
    if request.method == "GET":
        try:
            values = draft_values(incident, services)
        except DraftError as error:
            return render(request, "no_consent.html", 409, incident=incident, reason=str(error))
        return _page(request, incident, values)
    values = alert_form.values_from_form(await form_data(request))
    today = services.clock().date()
    preview = preview_number(services, today)
    text = alert_form.alert_text(preview, today, values, list(incident.numbers))
    problems = alert_form.check_text(preview, text, today)
    if problems:
        return _page(request, incident, values, 422, problems=problems)
    try:
        path = write_new_alert(
            services.alerts_dir,
            today,
            lambda number: alert_form.alert_text(number, today, values, list(incident.numbers)),
        )
    except DraftError as error:
        return _page(request, incident, values, 409, problems={"": [str(error)]})
    services.audit("draft", incident.numbers, path.stem)
    case = state.casework.load(incident.number)
    if case.status in (NEW, IN_PROGRESS):
        state.casework.save(replace(case, status=ALERT_DRAFTED), services.staff_name)
        services.audit("status", incident.numbers, f"{case.status} -> {ALERT_DRAFTED}")
    return RedirectResponse(f"/alerts/{path.stem}", status_code=303)


async def check(request: Request) -> Response:
    """``alerts check``'s problems with the form as it is now, by field (JSON)."""
    services: ConsoleServices = request.app.state.services
    if services.keyholder.current() is None:
        return JSONResponse({"error": "locked"}, status_code=401)
    values = alert_form.values_from_form(await form_data(request))
    today = services.clock().date()
    preview = preview_number(services, today)
    text = alert_form.alert_text(preview, today, values, [])
    problems = alert_form.check_text(preview, text, today)
    return JSONResponse({"problems": problems})


def _alert_path(services: ConsoleServices, number: str):
    try:
        parse_number(number)
    except AlertNumberError:
        return None
    path = services.alerts_dir / f"{number}.md"
    return path if path.is_file() else None


@unlocked
async def alert_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    path = _alert_path(services, request.path_params["number"])
    if path is None:
        return render(request, "missing.html", 404)
    return render(
        request,
        "saved_alert.html",
        number=path.stem,
        text=path.read_text(encoding="utf-8"),
        proposal=None,
        problem=None,
    )


@unlocked
async def propose_alert(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    path = _alert_path(services, request.path_params["number"])
    if path is None:
        return render(request, "missing.html", 404)
    try:
        proposal = propose(services.checkout, path, services.staff_name)
    except ProposeError as error:
        text = path.read_text(encoding="utf-8")
        return render(
            request,
            "saved_alert.html",
            502,
            number=path.stem,
            text=text,
            proposal=None,
            problem=str(error),
        )
    detail = f"proposed on {proposal.branch}"
    if proposal.renumbered_from:
        detail += f", renumbered from {proposal.renumbered_from}"
    services.audit("propose", [proposal.number], detail)
    text = (services.alerts_dir / f"{proposal.number}.md").read_text(encoding="utf-8")
    return render(
        request,
        "saved_alert.html",
        number=proposal.number,
        text=text,
        proposal=proposal,
        problem=None,
    )


ROUTES = [
    Route("/incidents/{number}/alert", draft_page, methods=["GET", "POST"]),
    Route("/alerts/check", check, methods=["POST"]),
    Route("/alerts/{number}", alert_page),
    Route("/alerts/{number}/propose", propose_alert, methods=["POST"]),
]
