"""Answering a "From police" submission from its incident page, through the mailer.

The page of a police submission has a reply form: the partner (from the directory,
never the contact the submission typed: :mod:`uglymugs.sharing.replies` says why),
the reply, and a token made when the page was drawn, so a double click or a resent
form sends once. ``POST /incidents/N/reply`` checks it (a refusal names the field
and is shown in the staff member's language, with what they typed kept), sends it
encrypted to the partner's contact, then records who, when, to whom and the reply's
digest in the audit log and the case's contact log: never the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.cases.records import Casework
from uglymugs.i18n import N_
from uglymugs.reports.incidents import Incident
from uglymugs.sharing.partners import Partner, check_partners
from uglymugs.sharing.replies import (
    Reply,
    ReplyInFlightError,
    ReplyRefusedError,
    log_reply,
    new_token,
    prepare_reply,
    send_reply,
)
from uglymugs.sharing.rules import Refusal
from uglymugs.staff.rendering import first, form_data, gettext_for, render, translated
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import incident_response, unlocked
from uglymugs.staff.unlocked import Unlocked

# When to try again after the mailer refused a reply (SES throttling passes in seconds).
RETRY_AFTER_SECONDS = "30"


@dataclass(frozen=True)
class ReplyForm:
    """What the incident page's reply form shows: partners, token, problems, text."""

    partners: list[Partner]
    token: str
    problems: dict[str, str] = field(default_factory=dict)
    text: str = ""
    chosen: str = ""
    can_send: bool = True


def partner_directory(services: ConsoleServices) -> dict[str, Partner]:
    """The partners that pass ``partners check``, by id (none without a directory)."""
    if services.partners_dir is None or not services.partners_dir.is_dir():
        return {}
    return check_partners([services.partners_dir]).partners


def reply_form(services: ConsoleServices, incident: Incident) -> ReplyForm | None:
    """A fresh form for a police submission's page; None for any other incident."""
    if incident.who_reported != "police":
        return None
    partners = sorted(
        partner_directory(services).values(),
        key=lambda partner: (not partner.covers(incident.force_area), partner.id),
    )
    return ReplyForm(partners, new_token(), can_send=services.sending is not None)


@unlocked
async def reply(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    incident = state.incident_of(request.path_params["number"])
    if incident is None:
        return render(request, "missing.html", 404)
    data = await form_data(request)
    partner_id, token = first(data, "to"), first(data, "token")
    text = (data.get("reply") or [""])[0]
    form = reply_form(services, incident)

    def again(status: int, name: str, problem: Refusal | str) -> Response:
        shown = translated(problem, gettext_for(request))
        redrawn = ReplyForm(
            form.partners if form else [],
            token or new_token(),
            {name: shown},
            text,
            partner_id,
            services.sending is not None,
        )
        return incident_response(request, services, state, incident, status, reply=redrawn)

    if services.sending is None:
        return again(409, "item", N_("E-mail is not set up for this console: nothing was sent."))
    try:
        checked = prepare_reply(incident, partner_directory(services), partner_id, text, token)
    except ReplyRefusedError as error:
        return again(422, error.field, error.refusal)
    try:
        sent = send_reply(services.sending.claims, services.sending.mailer, checked)
    except ReplyInFlightError:
        return _back(incident, "in-flight")
    except Exception:  # the mailer refused it: the claim is free again, nothing went
        refused = again(503, "reply", N_("The mailer did not take the reply: try again."))
        refused.headers["Retry-After"] = RETRY_AFTER_SECONDS
        return refused
    if sent:
        _record(services, state.casework, checked)
    return _back(incident, "sent" if sent else "already")


def _record(services: ConsoleServices, casework: Casework, sent: Reply) -> None:
    """The audit log and the case's contact log: who, when, to whom, the digest."""
    services.audit("reply", sent.numbers, sent.record_detail())
    log_reply(casework, sent, services.staff_name, services.clock())


def _back(incident: Incident, outcome: str) -> Response:
    return RedirectResponse(f"/incidents/{incident.number}?replied={outcome}#reply", 303)


ROUTES = [Route("/incidents/{number}/reply", reply, methods=["POST"])]
