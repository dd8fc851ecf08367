"""The member pages' choices: membership types, monitoring questions, alert labels.

The join form, the member area's filters and the alert cards all read these, so a
value the browser sends is always one of the values listed here. Labels are English
msgids (:func:`uglymugs.i18n.N_`); the templates translate them when they render.
"""

from __future__ import annotations

from collections.abc import Callable

from uglymugs.alerts.reading import card_labels
from uglymugs.alerts.regions import load_regions
from uglymugs.i18n import N_

# The values the join form offers are the values the members API accepts: one list.
from uglymugs.members.vocabulary import (
    GENDERS,
    MEMBERSHIP_TYPES,
    ORGANISATION_TYPES,
    PREFER_NOT_TO_SAY,
    SERVICE_USERS,
    WORK_TYPES,
)
from uglymugs.reports import form
from uglymugs.reports.form import Option

__all__ = [
    "AREAS",
    "GENDERS",
    "MEMBERSHIP_TYPES",
    "ORGANISATION_TYPES",
    "PREFER_NOT_TO_SAY",
    "SERVICE_USERS",
    "WORK_TYPES",
]

# Where a member works (optional, for the scheme's figures): the report form's list of
# police force areas, translated the same way, and "prefer not to say".
AREAS = (*form.FORCE_AREAS[:-1], PREFER_NOT_TO_SAY)

CHANNELS = (
    Option("email", N_("E-mail")),
    Option("sms", N_("Text message (SMS)")),
)
RISKS = (
    Option("high", N_("High risk")),
    Option("medium", N_("Medium risk")),
    Option("low", N_("Low risk")),
)
CHECK_KINDS = (
    Option("phone", N_("Phone number")),
    Option("email", N_("E-mail address")),
    Option("plate", N_("Number plate")),
    Option("username", N_("Username or profile name")),
)


# How the member area labels each part of an alert (bundle record field names).
ALERT_LABELS = {
    "alert": N_("Alert"),
    "issued": N_("Issued"),
    "incident": N_("When it happened"),
    "region": N_("Region"),
    "area": N_("Area"),
    "risk": N_("Risk"),
    "categories": N_("What kind of incident"),
    "contact_method": N_("How they made contact"),
    "offender": N_("Description"),
    "vehicle": N_("Vehicle"),
    "identifiers": N_("Identifiers"),
    "what_happened": N_("What happened"),
    "correction": N_("Corrected"),
    "expires": N_("Expires"),
}


def regions() -> tuple[tuple[str, str], ...]:
    """``(id, name)`` of every police force area, in the data file's order."""
    return tuple((region.id, region.name) for region in load_regions().values())


def alert_labels(gettext: Callable[[str], str]) -> dict[str, dict]:
    """Every label of an alert card, translated with ``gettext``.

    The member area's script shows alerts with these, so it holds no English itself.
    """
    return {
        "fields": {name: gettext(label) for name, label in ALERT_LABELS.items()},
        "values": alert_value_labels(gettext),
        "reading": card_labels(gettext),
    }


def alert_value_labels(gettext: Callable[[str], str]) -> dict[str, dict[str, str]]:
    """What each coded value in an alert reads as, translated with ``gettext``."""

    def options(field_name: str) -> dict[str, str]:
        return {o.value: gettext(o.label) for o in form.FIELDS[field_name].options}

    return {
        "region": dict(regions()),
        "risk": {o.value: gettext(o.label) for o in RISKS},
        "categories": options("categories"),
        "contact_method": options("contact_method"),
        "sex": options("offender_sex"),
        "build": options("offender_build"),
        "glasses": options("offender_glasses"),
    }
