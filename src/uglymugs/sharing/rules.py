"""What may go to whom: the one rule set for every packet (CLI, console, API).

Each share **action** names the answers it may carry, the consent it needs (resolved
by :mod:`uglymugs.reports.consent`, nothing else) and the partner kinds it may go to:

========  ===============================  ====================  ==========================
action    answers carried                  consent needed        partner kinds
========  ===============================  ====================  ==========================
scas      :data:`ANONYMISED` (and only     ``consent_scas``      scas
          incidents in :data:`SCAS_`
          ``CATEGORIES``)
hub       :data:`ANONYMISED`, incidents    ``consent_scas``      hub
          in the hub's force areas
referral  :data:`REFERRAL`: the contact    ``consent_police_``   liaison, hub, support
          *route* the person chose, never  ``help``, and the
          the details                      person wants contact
========  ===============================  ====================  ==========================

Force intelligence bureaus and regional units receive the published alerts (already
sanitised) through notify, never incident packets: :func:`refusal` refuses them.

Whatever the action, a packet never holds who reported (``reporter``, the project's
or site's name, ``victim_agreed``), the person's contact details, the consents
themselves or member data: every field is taken from the lists below, so an answer
not listed (including any the form gains later) is left out.

>>> refusal("scas", incident, partner)  # doctest: +SKIP
'consent_scas: not answered'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from uglymugs.i18n import N_, TranslatableLine
from uglymugs.reports.consent import POLICE_HELP, SCAS

if TYPE_CHECKING:
    from uglymugs.reports.consent import ResolvedConsent
    from uglymugs.reports.incidents import Incident
    from uglymugs.sharing.partners import Partner

# The structured description, behaviour, place, times, vehicle and identifiers, and
# what happened: what SCAS and a local hub may receive.
ANONYMISED = (
    "incident_date",
    "incident_time",
    "town_or_area",
    "contact_method",
    "offender_sex",
    "offender_ethnicity",
    "offender_age",
    "offender_height",
    "offender_build",
    "offender_hair",
    "offender_facial_hair",
    "offender_glasses",
    "offender_accent",
    "offender_clothing",
    "offender_marks",
    "vehicle_make",
    "vehicle_model",
    "vehicle_colour",
    "vehicle_registration",
    "phone_numbers",
    "emails",
    "usernames",
    "what_happened",
    "categories",
    "injuries",
    "police_told",
)
# A referral says what happened in outline and how the person wants to be reached;
# the partner answers through the scheme, which passes it on by that route.
REFERRAL = (
    "incident_date",
    "town_or_area",
    "categories",
    "police_told",
    "contact_preference",
)
# SCAS's criteria: serious sexual offences, abduction or kidnap, murder or attempted
# murder (the last three kept for when the form asks about them).
SCAS_CATEGORIES = frozenset(
    {"rape", "attempted_rape", "sexual_assault", "kidnap", "murder", "attempted_murder"}
)
ACTIONS = {
    "scas": (ANONYMISED, SCAS, ("scas",)),
    "hub": (ANONYMISED, SCAS, ("hub",)),
    "referral": (REFERRAL, POLICE_HELP, ("liaison", "hub", "support")),
}
# Answers that never go in any packet, whatever the lists above say.
NEVER = frozenset(
    {
        "reporter",
        "project_name",
        "site_name",
        "victim_agreed",
        "contact_details",
        "consent_alert",
        "consent_scas",
        "consent_police_help",
        "location_type",
        "sites_used",
    }
)


def fields_for(action: str) -> tuple[str, ...]:
    """The answers ``action`` may carry (:class:`KeyError` for an unknown action)."""
    return ACTIONS[action][0]


def consent_for(action: str) -> str:
    """The consent ``action`` needs: ``consent_scas`` or ``consent_police_help``."""
    return ACTIONS[action][1]


def meets_scas_criteria(incident: Incident) -> bool:
    return bool(SCAS_CATEGORIES.intersection(incident.categories))


class Refusal(TranslatableLine):
    """A refusal line: in English for the CLI, translated in the console."""


def refusal(action: str, incident: Incident, partner: Partner) -> Refusal | None:
    """One line saying why ``incident`` may not go to ``partner`` by ``action``, or None."""
    if action not in ACTIONS:
        return Refusal(
            N_("unknown share action %(action)s; one of %(actions)s"),
            action=repr(action),
            actions=", ".join(ACTIONS),
        )
    _fields, consent_name, kinds = ACTIONS[action]
    if partner.kind not in kinds:
        if partner.kind in ("bureau", "regional"):
            return Refusal(
                N_(
                    "%(partner)s is a %(kind)s: it receives published alerts through "
                    "notify, never incident packets"
                ),
                partner=partner.id,
                kind=partner.kind,
            )
        return Refusal(
            N_("a %(action)s packet goes only to a partner of kind %(kinds)s, not %(kind)s"),
            action=action,
            kinds=" | ".join(kinds),
            kind=partner.kind,
        )
    if not incident.readable:
        return Refusal(
            N_("incident %(number)s could not be opened: %(problem)s"),
            number=incident.number,
            problem=incident.problem,
        )
    consent = incident.consents.by_name(consent_name)
    if not consent.allowed:
        return _no_consent(incident, consent)
    return _action_refusal(action, incident, partner)


def _no_consent(incident: Incident, consent: ResolvedConsent) -> Refusal:
    """Why the consent does not allow it, in words staff can read in their language
    (the consent itself decided that; this only says which case it is)."""
    if consent.answer is None:
        return Refusal(N_("no consent: %(consent)s: not answered"), consent=consent.name)
    if consent.answer != "yes":
        return Refusal(
            N_("no consent: the person did not agree (%(consent)s: %(answer)s in %(number)s)"),
            consent=consent.name,
            answer=consent.answer,
            number=consent.source,
        )
    agreement = incident.consents.agreement
    if agreement and agreement[-1].value == "no":
        return Refusal(
            N_(
                "no consent: the person it happened to did not agree to the report "
                "(victim_agreed: no); a project or site cannot consent for them"
            )
        )
    return Refusal(
        N_(
            "no consent: the person it happened to was not asked about the report "
            "(victim_agreed: not answered); a project or site cannot consent for them"
        )
    )


def _action_refusal(action: str, incident: Incident, partner: Partner) -> Refusal | None:
    if action == "scas" and not meets_scas_criteria(incident):
        return Refusal(
            N_(
                "does not meet SCAS's criteria (rape, sexual assault, kidnap, murder); "
                "categories: %(categories)s"
            ),
            categories=", ".join(incident.categories) or Refusal(N_("none")),
        )
    if action == "hub" and not partner.covers(incident.force_area):
        return Refusal(
            N_("%(partner)s does not cover the incident's force area (%(area)s)"),
            partner=partner.id,
            area=incident.force_area or Refusal(N_("not known")),
        )
    if action == "referral" and not incident.wants_contact:
        return Refusal(N_("the person did not choose a way to be contacted, so cannot be referred"))
    return None


def allowed_answers(action: str, incident: Incident) -> dict[str, object]:
    """The incident's answers ``action`` may carry, and nothing else (no empty ones)."""
    return {
        name: incident.answer(name)
        for name in fields_for(action)
        if name not in NEVER and incident.answer(name) is not None
    }
