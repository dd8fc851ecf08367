"""What a joining member is asked: membership types and the monitoring questions.

Defined once, with English labels marked for translation: the join page renders these
options and the members API accepts exactly their values, so the two cannot drift
apart. Every monitoring question can be answered "prefer not to say".
"""

from __future__ import annotations

from typing import Literal, get_args

from uglymugs.i18n import N_
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


def values(options: tuple[Option, ...]) -> tuple[str, ...]:
    """The stored values of ``options``, in order."""
    return tuple(option.value for option in options)


# The languages a member can choose (the site's, :mod:`uglymugs.languages`): their
# e-mails, texts and downloads are written in it. A test keeps the two lists equal.
LanguageCode = Literal["en", "ro", "pt-br", "pl", "zh-hans"]
LANGUAGE_CODES: tuple[str, ...] = get_args(LanguageCode)
