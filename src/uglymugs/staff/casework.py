"""Casework on an incident: status, assignee, notes and the contact log.

Every save names the version of the case the staff member was looking at. When
someone else saved first, nothing is stored and the page shows their newer version,
so no one's work is overwritten silently. Bad input is shown beside its field and
nothing is stored, as the APIs do. The audit trail records what kind of change was
made (never a note's text).
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.cases.records import (
    CONTACT_KINDS,
    MAX_TEXT,
    STATUSES,
    CaseConflictError,
    CaseRecord,
)
from uglymugs.i18n import N_
from uglymugs.reports.consent import ALERT, SCAS
from uglymugs.reports.incidents import Incident
from uglymugs.staff.rendering import first, form_data
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import incident_response, unlocked
from uglymugs.staff.unlocked import Unlocked

MAX_NAME = 80
FIELDS = ("version", "status", "assignee", "note", "contact_kind", "contact_text")


def validate(
    data: dict[str, list[str]], incident: Incident
) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned fields and, by field name, what is wrong with each bad one."""
    got = {name: first(data, name) for name in FIELDS}
    problems = {}
    if not got["version"].isdigit():
        problems["version"] = N_("Reload the page: the case version is missing.")
    if got["status"] not in STATUSES:
        problems["status"] = N_("Choose one of the statuses offered.")
    elif got["status"] == "shared" and not incident.consents.by_name(SCAS).allowed:
        problems["status"] = N_("This incident may not be shared: there is no consent.")
    elif got["status"] == "alert_drafted" and not incident.consents.by_name(ALERT).allowed:
        problems["status"] = N_("This incident cannot become an alert: there is no consent.")
    if len(got["assignee"]) > MAX_NAME:
        problems["assignee"] = N_("A name is at most 80 characters.")
    for name in ("note", "contact_text"):
        if len(got[name]) > MAX_TEXT:
            problems[name] = N_("This is too long: at most 10,000 characters.")
    if got["contact_kind"] and got["contact_kind"] not in CONTACT_KINDS:
        problems["contact_kind"] = N_("Choose one of the kinds of contact offered.")
    elif got["contact_text"] and not got["contact_kind"]:
        problems["contact_kind"] = N_("Say what kind of contact this was.")
    return got, problems


def changed(
    case: CaseRecord, got: dict[str, str], who: str, services: ConsoleServices
) -> CaseRecord:
    """``case`` with the form's changes, at the version the staff member saw."""
    now = services.clock()
    updated = case.with_status(got["status"]).with_assignee(got["assignee"])
    if got["note"]:
        updated = updated.with_note(got["note"], who, now)
    if got["contact_kind"]:
        updated = updated.with_contact(got["contact_kind"], who, now, got["contact_text"])
    return replace(updated, version=int(got["version"]))


def audit_actions(before: CaseRecord, after: CaseRecord) -> list[tuple[str, str]]:
    """(action, detail) for each kind of change: never the note's or contact's text."""
    actions = []
    if before.status != after.status:
        actions.append(("status", f"{before.status} -> {after.status}"))
    if before.assignee != after.assignee:
        actions.append(("assign", after.assignee or "-"))
    if len(after.notes) > len(before.notes):
        actions.append(("note", ""))
    if len(after.contacts) > len(before.contacts):
        actions.append(("contact", after.contacts[-1].kind))
    return actions


@unlocked
async def save_case(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    number = request.path_params["number"]
    incident = state.incident_of(number)
    if incident is None or incident.number != number:
        return RedirectResponse("/queue", status_code=303)
    got, problems = validate(await form_data(request), incident)
    if problems:
        return incident_response(
            request, services, state, incident, 422, problems=problems, posted=got
        )
    case = state.casework.load(number)
    try:
        saved = state.casework.save(
            changed(case, got, services.staff_name, services), services.staff_name
        )
    except CaseConflictError as error:
        return incident_response(
            request, services, state, incident, 409, conflict=error.newer, posted=got
        )
    for action, detail in audit_actions(case, saved):
        services.audit(action, incident.numbers, detail)
    return RedirectResponse(f"/incidents/{number}#case", status_code=303)


ROUTES = [Route("/incidents/{number}/case", save_case, methods=["POST"])]
