"""The report form's vocabulary: every question, its name, its kind and its choices.

Defined once here and used by the report page, the printable blank form and the staff
view, so the three never disagree about what a field is called or what a choice means.
Labels are English msgids marked with :func:`~uglymugs.i18n.N_`: Babel extracts them
and the templates translate them with ``_()``. Field names are the keys of a sealed
report's ``answers`` (``docs/report-format.md``); renaming one breaks old reports.

>>> field_label("what_happened")
'What happened'
>>> option_label("police_told", "not_sure")
'Not sure'
"""

from __future__ import annotations

from dataclasses import dataclass

from uglymugs.i18n import N_
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES

REPORTERS_ALL = ("self", "project", "site")

# Kinds of field, and how a browser renders them:
TEXT = "text"  # one line
LONG_TEXT = "long_text"  # a paragraph or more
LINES = "lines"  # one item per line (phone numbers, e-mails, usernames)
DATE = "date"  # YYYY-MM-DD
CHOICE = "choice"  # exactly one option (radio buttons)
CHOICES = "choices"  # any number of options (check boxes)
KINDS = (TEXT, LONG_TEXT, LINES, DATE, CHOICE, CHOICES)


@dataclass(frozen=True)
class Option:
    """One choice of a ``choice`` or ``choices`` field: stored ``value``, shown ``label``."""

    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One question. ``shown_for`` lists the reporter roles that are asked it.

    ``others_label`` and ``others_hint``, when set, are the same question put to a
    project or site reporting for someone: about "the person it happened to", not "you".
    """

    name: str
    label: str
    kind: str
    options: tuple[Option, ...] = ()
    shown_for: tuple[str, ...] = REPORTERS_ALL
    hint: str | None = None
    others_label: str | None = None
    others_hint: str | None = None


@dataclass(frozen=True)
class Section:
    """A group of questions, shown as one fieldset with ``legend``."""

    name: str
    legend: str
    fields: tuple[Field, ...]


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


YES_NO = _options(("yes", N_("Yes")), ("no", N_("No")))
YES_NO_NOT_SURE = (*YES_NO, Option("not_sure", N_("Not sure")))
NOT_SURE = "not_sure"
FORCE_AREAS = (
    *(Option(area, name) for area, name in FORCE_AREA_NAMES.items()),
    Option(NOT_SURE, N_("Not sure")),
)

REPORT_TYPES = _options(
    ("full", N_("Full report")),
    ("partial", N_("Partial report: just the main facts now, more later")),
    ("follow_up", N_("Follow-up: adding to a report I made before")),
)
REPORTERS = _options(
    ("self", N_("Myself: it happened to me")),
    ("project", N_("A project, on behalf of someone")),
    ("site", N_("An escort site or establishment")),
)

# The questions that set up a report rather than answer it: they become the sealed
# report's ``report_type``, ``follows`` and ``reporter``, not entries of ``answers``.
ABOUT = Section(
    "about",
    N_("About this report"),
    (
        Field(
            "report_type",
            N_("What kind of report is this?"),
            CHOICE,
            REPORT_TYPES,
            hint=N_(
                "A partial report needs only “what happened”: you can add the rest later "
                "with a follow-up."
            ),
        ),
        Field(
            "follows",
            N_("Number of your earlier report (follow-ups only)"),
            TEXT,
            hint=N_("It looks like UM-7K3F-92QH-X4PM. You got it when you sent your first report."),
        ),
        Field(
            "reporter",
            N_("Who is making this report?"),
            CHOICE,
            REPORTERS,
            hint=N_("We ask slightly different questions of projects and sites."),
        ),
    ),
)

# The fields a report must answer, whatever its type. A partial report needs only
# this; a follow-up needs the earlier report number and anything new.
REQUIRED_FOR = {"full": ("what_happened",), "partial": ("what_happened",), "follow_up": ()}

FORM: tuple[Section, ...] = (
    Section(
        "reporter_details",
        N_("About you"),
        (
            Field("project_name", N_("Name of your project"), TEXT, shown_for=("project",)),
            Field(
                "victim_agreed",
                N_("Has the person it happened to agreed to this report?"),
                CHOICE,
                YES_NO,
                shown_for=("project", "site"),
                hint=N_(
                    "Without their agreement we cannot use this report in an alert or "
                    "share it, even anonymously."
                ),
            ),
            Field(
                "site_name",
                N_("Name of the site or establishment"),
                TEXT,
                shown_for=("site",),
            ),
        ),
    ),
    Section(
        "when_where",
        N_("When and where"),
        (
            Field("incident_date", N_("Date it happened"), DATE),
            Field(
                "incident_time",
                N_("Time it happened"),
                TEXT,
                hint=N_("For example 21:30, or “late evening” if you are not sure."),
            ),
            Field(
                "town_or_area",
                N_("Town or area"),
                TEXT,
                hint=N_("A street or landmark helps, if you are happy to give it."),
            ),
            Field(
                "force_area",
                N_("Police force area"),
                CHOICE,
                FORCE_AREAS,
                hint=N_(
                    "The police area it happened in, so reports can be counted by area. "
                    "Choose “Not sure” if you do not know."
                ),
            ),
            Field(
                "location_type",
                N_("Where it happened"),
                CHOICE,
                _options(
                    ("street", N_("Street")),
                    ("incall", N_("Incall (your place or a workplace)")),
                    ("outcall", N_("Outcall (their place or a hotel they chose)")),
                    ("hotel", N_("Hotel")),
                    ("vehicle", N_("In a vehicle")),
                    ("online_only", N_("Online only")),
                    ("other", N_("Somewhere else")),
                ),
            ),
            Field(
                "contact_method",
                N_("How they made contact"),
                CHOICES,
                _options(
                    ("street", N_("On the street")),
                    ("online_ad", N_("Through an online advert")),
                    ("agency", N_("Through an agency")),
                    ("phone", N_("By phone or text")),
                    ("incall", N_("Came to an incall")),
                    ("outcall", N_("Booked an outcall")),
                    ("other", N_("Another way")),
                ),
                hint=N_("Tick all that apply."),
            ),
            Field(
                "sites_used",
                N_("Websites or apps used"),
                TEXT,
                hint=N_("Names of any sites, apps or forums they used or mentioned."),
            ),
        ),
    ),
    Section(
        "offender",
        N_("What the offender looked like"),
        (
            Field(
                "offender_sex",
                N_("Sex"),
                CHOICE,
                _options(
                    ("male", N_("Male")),
                    ("female", N_("Female")),
                    ("other", N_("Other")),
                    ("not_sure", N_("Not sure")),
                ),
            ),
            Field(
                "offender_ethnicity",
                N_("Ethnicity, as you saw it"),
                TEXT,
                hint=N_("How they looked to you, for example white British or South Asian."),
            ),
            Field("offender_age", N_("Age, roughly"), TEXT),
            Field("offender_height", N_("Height, roughly"), TEXT),
            Field(
                "offender_build",
                N_("Build"),
                CHOICE,
                _options(
                    ("slim", N_("Slim")),
                    ("medium", N_("Medium")),
                    ("stocky", N_("Stocky or muscular")),
                    ("large", N_("Large or heavy")),
                    ("not_sure", N_("Not sure")),
                ),
            ),
            Field("offender_hair", N_("Hair (colour, length, style)"), TEXT),
            Field("offender_facial_hair", N_("Facial hair"), TEXT),
            Field("offender_glasses", N_("Glasses"), CHOICE, YES_NO_NOT_SURE),
            Field("offender_accent", N_("Accent or language"), TEXT),
            Field("offender_clothing", N_("Clothing"), TEXT),
            Field(
                "offender_marks",
                N_("Tattoos, scars or other marks"),
                LONG_TEXT,
            ),
        ),
    ),
    Section(
        "vehicle",
        N_("Vehicle, if there was one"),
        (
            Field("vehicle_make", N_("Make"), TEXT, hint=N_("For example Ford.")),
            Field("vehicle_model", N_("Model"), TEXT, hint=N_("For example Focus.")),
            Field("vehicle_colour", N_("Colour"), TEXT),
            Field(
                "vehicle_registration",
                N_("Registration, or any part of it"),
                TEXT,
            ),
        ),
    ),
    Section(
        "identifiers",
        N_("Phone numbers, e-mails and usernames"),
        (
            Field(
                "phone_numbers",
                N_("Phone numbers they used"),
                LINES,
                hint=N_("One per line."),
            ),
            Field("emails", N_("E-mail addresses they used"), LINES, hint=N_("One per line.")),
            Field(
                "usernames",
                N_("Usernames or profile names they used"),
                LINES,
                hint=N_("One per line, with the site or app if you know it."),
            ),
        ),
    ),
    Section(
        "incident",
        N_("What happened"),
        (
            Field(
                "what_happened",
                N_("What happened"),
                LONG_TEXT,
                hint=N_(
                    "In your own words. Anything you remember helps, however small. "
                    "This is the only question you must answer."
                ),
            ),
            Field(
                "categories",
                N_("What kind of incident was it?"),
                CHOICES,
                _options(
                    ("violence", N_("Violence")),
                    ("sexual_assault", N_("Sexual assault")),
                    ("rape", N_("Rape")),
                    ("robbery", N_("Robbery")),
                    ("theft", N_("Theft")),
                    ("threats", N_("Threats")),
                    ("non_payment", N_("Refused to pay")),
                    ("stalking", N_("Stalking")),
                    ("harassment", N_("Harassment")),
                    ("kidnap", N_("Kidnap or being held")),
                    ("other", N_("Something else")),
                ),
                hint=N_("Tick all that apply."),
            ),
            Field("injuries", N_("Injuries, if any"), LONG_TEXT),
            Field("police_told", N_("Have the police been told?"), CHOICE, YES_NO_NOT_SURE),
        ),
    ),
    Section(
        "consents",
        N_("What we may do with this report"),
        (
            Field(
                "consent_alert",
                N_(
                    "May we use it, with anything that could identify you removed, in an alert "
                    "to warn others?"
                ),
                CHOICE,
                YES_NO,
                others_label=N_(
                    "May we use it, with anything that could identify the person it happened "
                    "to removed, in an alert to warn others?"
                ),
            ),
            Field(
                "consent_scas",
                N_(
                    "May we share it anonymously with the police’s Serious Crime Analysis "
                    "Section (SCAS) and police intelligence, to help link attacks and catch "
                    "offenders?"
                ),
                CHOICE,
                YES_NO,
                hint=N_("Your name and contact details are never shared."),
                others_hint=N_(
                    "The name and contact details of the person it happened to are never shared."
                ),
            ),
            Field(
                "consent_police_help",
                N_("Would you like help to report this to the police?"),
                CHOICE,
                YES_NO,
                others_label=N_(
                    "Would the person it happened to like help to report this to the police?"
                ),
            ),
        ),
    ),
    Section(
        "contact",
        N_("How to contact you, if at all"),
        (
            Field(
                "contact_preference",
                N_("How may we contact you?"),
                CHOICE,
                _options(
                    ("none", N_("Please do not contact me")),
                    ("email", N_("By e-mail")),
                    ("phone", N_("By phone or text")),
                    ("via_project", N_("Through a project")),
                ),
            ),
            Field(
                "contact_details",
                N_("Contact details"),
                TEXT,
                hint=N_(
                    "An e-mail address, a phone number or the project’s name. Only say "
                    "what is safe for you; a nickname is fine."
                ),
            ),
        ),
    ),
)

# What a partial report asks: what happened (and what kind of incident it was), when
# and where, and the consents (with who is reporting); the rest can follow in a
# follow-up. The police force area is left out: its long list would double the page,
# and staff can tell it from the town.
PARTIAL_FIELDS = frozenset(
    {
        "report_type",
        "follows",
        "reporter",
        "project_name",
        "victim_agreed",
        "site_name",
        "incident_date",
        "incident_time",
        "town_or_area",
        "what_happened",
        "categories",
        "consent_alert",
        "consent_scas",
        "consent_police_help",
    }
)


@dataclass(frozen=True)
class Step:
    """One step of the full form on a small screen: a heading over some sections."""

    name: str
    title: str
    sections: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("about", N_("About this report"), ("about", "reporter_details")),
    Step("when_where", N_("When and where"), ("when_where",)),
    Step("offender", N_("What the offender looked like"), ("offender",)),
    Step("vehicle", N_("Vehicle and details they used"), ("vehicle", "identifiers")),
    Step("incident", N_("What happened"), ("incident",)),
    Step("consents", N_("What we may do, and how to reach you"), ("consents", "contact")),
)

FIELDS: dict[str, Field] = {field.name: field for section in FORM for field in section.fields}


def steps_with_sections() -> tuple[tuple[Step, tuple[Section, ...]], ...]:
    """Each step of the form with its sections, in order: every section in exactly one.

    >>> [len(sections) for _step, sections in steps_with_sections()]
    [2, 1, 1, 2, 1, 2]
    """
    by_name = {section.name: section for section in (ABOUT, *FORM)}
    return tuple((step, tuple(by_name[name] for name in step.sections)) for step in STEPS)


def field_label(name: str) -> str:
    """The English label of field ``name``; :class:`KeyError` for an unknown name."""
    return FIELDS[name].label


def option_label(field_name: str, value: str) -> str:
    """The English label of ``value`` in ``field_name``, or ``value`` itself if unknown.

    Old reports may carry a choice that was since renamed; the staff view shows it
    as stored rather than failing.
    """
    field = FIELDS.get(field_name)
    for option in field.options if field else ():
        if option.value == value:
            return option.label
    return value


def report_type_label(value: str) -> str:
    """The English label of a report type (``full``, ``partial``, ``follow_up``)."""
    return _label(REPORT_TYPES, value)


def reporter_label(value: str) -> str:
    """The English label of a reporter role (``self``, ``project``, ``site``)."""
    return _label(REPORTERS, value)


def _label(options: tuple[Option, ...], value: str) -> str:
    return next((option.label for option in options if option.value == value), value)
