"""Sharing an incident from the console: preview exactly what would go, then share it.

``GET /incidents/N/share?action=scas&to=PARTNER`` builds the packet the rules allow
(:mod:`uglymugs.sharing.rules`, the same as ``uglymugs share``) and shows its JSON
and field list; a refusal shows the rule that refused it, and nothing is built. The
preview's buttons post the action, the partner and the share's key (what the preview
showed): ``route=file`` answers with the age-encrypted file for the staff member to
save where they choose; ``route=email`` sends it to the partner's contact once
(:mod:`uglymugs.sharing.sending`). Either is recorded in the sharing ledger and the
audit trail; if the incident changed since the preview (a follow-up arrived), nothing
is shared and the page asks for a new preview.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.i18n import N_
from uglymugs.reports.incidents import Incident
from uglymugs.sharing.packets import Packet, ShareRefusedError, build_packet, encrypt
from uglymugs.sharing.partners import Partner, check_partners
from uglymugs.sharing.rules import ACTIONS, refusal
from uglymugs.sharing.sending import ShareInFlightError, email_packet, share_key
from uglymugs.staff.rendering import first, form_data, gettext_for, render, translated
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import unlocked
from uglymugs.staff.unlocked import Unlocked

ROUTES_ALLOWED = ("file", "email")


def partners_for(services: ConsoleServices, action: str, incident: Incident) -> list[Partner]:
    """The partners of the action's kinds that cover the incident's force area."""
    if services.partners_dir is None or not services.partners_dir.is_dir():
        return []
    kinds = ACTIONS[action][2]
    checked = check_partners([services.partners_dir])
    return [
        partner
        for partner in sorted(checked.partners.values(), key=lambda partner: partner.id)
        if partner.kind in kinds and partner.covers(incident.force_area)
    ]


def _prepare(
    services: ConsoleServices, incident: Incident, action: str, partner_id: str
) -> tuple[list[Partner], Partner | None, Packet | None, str | None]:
    """Partners that fit, the chosen one, its packet, or why there is none."""
    if action not in ACTIONS:
        return [], None, None, N_("Choose one of the share actions offered.")
    fitting = partners_for(services, action, incident)
    chosen = next((p for p in fitting if p.id == partner_id), None)
    if chosen is None and len(fitting) == 1 and not partner_id:
        chosen = fitting[0]
    if chosen is None:
        if not fitting:
            return fitting, None, None, N_("No partner in the directory fits.")
        # Consent and the incident's rules do not depend on which fitting partner.
        return fitting, None, None, refusal(action, incident, fitting[0])
    try:
        packet = build_packet(action, incident, chosen, services.clock().astimezone(UTC))
    except ShareRefusedError as error:
        return fitting, chosen, None, error.refusal
    return fitting, chosen, packet, None


def shown(request: Request, problem: str | None) -> str | None:
    """A refusal or problem in the staff member's language (a rule's line with its values)."""
    if problem is None:
        return None
    return translated(problem, gettext_for(request))


def _page(request: Request, incident: Incident, action: str, status: int = 200, **context):
    context["refused"] = shown(request, context.get("refused"))
    return render(
        request,
        "share.html",
        status,
        incident=incident,
        action=action,
        actions=list(ACTIONS),
        **context,
    )


@unlocked
async def preview(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    services.keyholder.reload(force=True)  # a follow-up that just came is in the packet
    incident = state.incident_of(request.path_params["number"])
    if incident is None:
        return render(request, "missing.html", 404)
    action = request.query_params.get("action", "")
    partner_id = request.query_params.get("to", "")
    fitting, partner, packet, refused = _prepare(services, incident, action, partner_id)
    services.audit("read", incident.numbers, f"share preview {action[:16]}")
    return _page(
        request,
        incident,
        action,
        422 if refused else 200,
        partners=fitting,
        partner=partner,
        packet=packet,
        key=share_key(packet) if packet else "",
        refused=refused,
        can_email=services.sending is not None,
    )


@unlocked
async def share(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    services.keyholder.reload(force=True)
    incident = state.incident_of(request.path_params["number"])
    if incident is None:
        return render(request, "missing.html", 404)
    data = await form_data(request)
    action, partner_id, route = first(data, "action"), first(data, "to"), first(data, "route")
    fitting, partner, packet, refused = _prepare(services, incident, action, partner_id)

    def again(status: int, problem: str) -> Response:
        return _page(
            request,
            incident,
            action,
            status,
            partners=fitting,
            partner=partner,
            packet=None,
            key="",
            refused=problem,
            can_email=services.sending is not None,
        )

    if refused or packet is None or partner is None:
        return again(422, refused or N_("Choose the partner."))
    if route not in ROUTES_ALLOWED or (route == "email" and services.sending is None):
        return again(422, N_("Choose to save the file or to e-mail it."))
    if first(data, "key") != share_key(packet):
        return again(409, N_("The incident changed since the preview: preview it again."))
    if route == "email":
        return _email(services, incident, packet, partner)
    return _file(services, incident, packet, partner)


def _file(
    services: ConsoleServices, incident: Incident, packet: Packet, partner: Partner
) -> Response:
    from uglymugs.sharing.ledger import record_share

    if services.sharing_ledger is None:
        raise RuntimeError("the console has no sharing ledger")
    encrypted = encrypt(packet, partner)
    record_share(services.sharing_ledger, services.staff_name, incident, packet, partner)
    action = packet.document["action"]
    services.audit("share", incident.numbers, f"{action} to {partner.id} (file)")
    name = f"{incident.number}-{action}-{partner.id}.json.age"
    return Response(
        encrypted,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{quote(name)}"'},
    )


def _email(
    services: ConsoleServices, incident: Incident, packet: Packet, partner: Partner
) -> Response:
    assert services.sending is not None  # noqa: S101 - checked by the caller
    try:
        outcome = email_packet(services.sending, services.staff_name, incident, packet, partner)
    except ShareInFlightError:
        return RedirectResponse(f"/incidents/{incident.number}?shared=in-flight#sharing", 303)
    if outcome.sent:
        action = packet.document["action"]
        services.audit("share", incident.numbers, f"{action} to {partner.id} (e-mail)")
    done = "sent" if outcome.sent else "already"
    return RedirectResponse(f"/incidents/{incident.number}?shared={done}#sharing", 303)


ROUTES = [
    Route("/incidents/{number}/share", preview, methods=["GET"]),
    Route("/incidents/{number}/share", share, methods=["POST"]),
]
