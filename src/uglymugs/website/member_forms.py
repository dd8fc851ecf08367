"""The member pages' choices: membership types, monitoring questions, alert labels.

The join form, the member area's filters and the alert cards all read these, so a
value the browser sends is always one of the values listed here. Labels are English
msgids (:func:`uglymugs.i18n.N_`); the templates translate them when they render.
"""

from __future__ import annotations

from collections.abc import Callable

from uglymugs.alerts.regions import load_regions
from uglymugs.i18n import N_
from uglymugs.reports import form
from uglymugs.reports.form import Option

MEMBERSHIP_TYPES = (
    Option("individual", N_("Individual: I am a sex worker")),
    Option("project", N_("Project: we support sex workers")),
    Option("site", N_("Escort site or establishment")),
)
ORGANISATION_TYPES = ("project", "site")

PREFER_NOT_TO_SAY = Option("prefer_not_to_say", N_("Prefer not to say"))

# Monitoring (individual members): optional, confidential, for the scheme's funders.
WORK_TYPES = (
    Option("street", N_("Street-based")),
    Option("independent_indoor", N_("Independent, indoors (incall or outcall)")),
    Option("agency", N_("Through an agency")),
    Option("parlour", N_("Parlour, sauna or brothel")),
    Option("online", N_("Online only (webcam, phone, content)")),
    Option("other", N_("Other")),
    PREFER_NOT_TO_SAY,
)
GENDERS = (
    Option("woman", N_("Woman")),
    Option("man", N_("Man")),
    Option("non_binary", N_("Non-binary")),
    Option("other", N_("I describe myself another way")),
    PREFER_NOT_TO_SAY,
)
# Monitoring (projects, sites and establishments): who they work with.
SERVICE_USERS = (
    Option("women", N_("Women")),
    Option("men", N_("Men")),
    Option("trans", N_("Trans people")),
    Option("non_binary", N_("Non-binary people")),
    Option("street", N_("Street-based sex workers")),
    Option("indoor", N_("Indoor sex workers")),
    Option("online", N_("People who work online")),
    Option("migrants", N_("Migrant sex workers")),
    PREFER_NOT_TO_SAY,
)

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
PART_LABELS = {
    "offender": {
        "sex": N_("Sex"),
        "ethnicity": N_("Ethnicity, as seen"),
        "age": N_("Age"),
        "height": N_("Height"),
        "build": N_("Build"),
        "hair": N_("Hair"),
        "facial_hair": N_("Facial hair"),
        "glasses": N_("Glasses"),
        "accent": N_("Accent or language"),
        "clothing": N_("Clothing"),
        "marks": N_("Tattoos, scars or other marks"),
    },
    "vehicle": {
        "make": N_("Make"),
        "model": N_("Model"),
        "colour": N_("Colour"),
        "registration": N_("Registration"),
    },
    "identifiers": {
        "phones": N_("Phone numbers"),
        "emails": N_("E-mail addresses"),
        "usernames": N_("Usernames"),
        "sites": N_("Sites or apps"),
        "plates": N_("Number plates"),
    },
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
        "parts": {
            part: {name: gettext(label) for name, label in labels.items()}
            for part, labels in PART_LABELS.items()
        },
        "values": alert_value_labels(gettext),
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
