"""How an alert reads, in every view: what comes first, and the description as one line.

Members read alerts on a phone, in print and pasted into newsletters, the way the
scheme's training slides show them: a correction highlighted at the very top; the
date, the place and the risk; what happened; then the offender in one readable line
in the report form's order (sex, age, ethnicity, height, build, hair, marks, accent,
clothing); the vehicle and the identifiers last. Every label and every coded value
(``non_payment``, ``large``) is a gettext message, so no view shows a raw key.

The printable pages (:mod:`uglymugs.alerts.printable`) read alerts with :func:`read`;
the member area's cards follow the same order from :func:`card_labels`, which the
site build translates into each page (``data-labels``), so its script holds no words.

>>> gettext = lambda message: message
>>> describe({"sex": "male", "build": "large", "age": "40–50", "accent": "Geordie"}, gettext)
'Male; aged 40–50; large or heavy build; accent: Geordie'
>>> describe_vehicle({"make": "Ford", "colour": "white", "registration": "ZZ99 ZZZ"}, gettext)
'white Ford, registration ZZ99 ZZZ'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from uglymugs.i18n import N_
from uglymugs.reports.form import FIELDS

Gettext = Callable[[str], str]
SEPARATOR = "; "
# Each label an alert view shows, as an English msgid.
LABELS = {
    "alert": N_("Alert"),
    "issued": N_("Issued"),
    "expires": N_("Expires"),
    "correction": N_("Corrected"),
    "contact_method": N_("How they made contact"),
    "offender": N_("Description"),
    "vehicle": N_("Vehicle"),
    "what_happened": N_("What happened"),
    "original": N_("English original"),
}
RISKS = {"high": N_("High risk"), "medium": N_("Medium risk"), "low": N_("Low risk")}
# The description, in this order: (field, how it reads with {value}, value labels).
# A coded value without a label here (``not_sure``) is left out of the line.
DESCRIPTION: tuple[tuple[str, str, Mapping[str, str] | None], ...] = (
    ("sex", "{value}", {"male": N_("Male"), "female": N_("Female"), "other": N_("Other")}),
    ("age", N_("aged {value}"), None),
    ("ethnicity", "{value}", None),
    ("height", "{value}", None),
    (
        "build",
        "{value}",
        {
            "slim": N_("slim build"),
            "medium": N_("medium build"),
            "stocky": N_("stocky or muscular build"),
            "large": N_("large or heavy build"),
        },
    ),
    ("hair", N_("hair: {value}"), None),
    ("facial_hair", N_("facial hair: {value}"), None),
    ("glasses", "{value}", {"yes": N_("wears glasses"), "no": N_("no glasses")}),
    ("marks", N_("marks: {value}"), None),
    ("accent", N_("accent: {value}"), None),
    ("clothing", N_("wearing {value}"), None),
)
# The vehicle as people say it ("white Ford Transit"), then its registration.
VEHICLE_WORDS = ("colour", "make", "model")
REGISTRATION = N_("registration {value}")
IDENTIFIERS = (
    ("phones", N_("Phone numbers")),
    ("emails", N_("E-mail addresses")),
    ("usernames", N_("Usernames")),
    ("sites", N_("Sites or apps")),
    ("plates", N_("Number plates")),
)


def value_labels(field_name: str) -> dict[str, str]:
    """``{value: msgid}`` of a choice of the report form (categories, contact_method)."""
    return {option.value: option.label for option in FIELDS[field_name].options}


def describe(offender: Mapping[str, Any], gettext: Gettext) -> str:
    """The offender as one line, in :data:`DESCRIPTION`'s order."""
    return describe_in(offender, _description(gettext))


def describe_in(
    offender: Mapping[str, Any],
    description: Sequence[Sequence[Any]],
) -> str:
    """The offender as one line, with :data:`DESCRIPTION` already translated (as
    :func:`card_labels` gives it to the member area and to the Word download).

    >>> describe_in({"age": "40-50", "sex": "male"}, [("sex", "{value}", {"male": "Male"}),
    ...     ("age", "aged {value}", None)])
    'Male; aged 40-50'
    """
    parts = []
    for name, pattern, values in description:
        value = offender.get(name)
        if value is None or value == "":
            continue
        if values is not None:
            text = values.get(value)
            if text is None:
                continue
        else:
            text = " ".join(str(value).split())
        parts.append(_fill(pattern, text))
    return SEPARATOR.join(parts)


# Translated once per language, not once per alert: a publish reads every alert in each.
@lru_cache(maxsize=32)
def _description(gettext: Gettext) -> tuple[tuple[str, str, Mapping[str, str] | None], ...]:
    return tuple(
        (name, gettext(pattern), _translated(values, gettext))
        for name, pattern, values in DESCRIPTION
    )


@lru_cache(maxsize=64)
def _choice_words(field_name: str, gettext: Gettext) -> Mapping[str, str]:
    return {value: gettext(label) for value, label in value_labels(field_name).items()}


def describe_vehicle(vehicle: Mapping[str, Any], gettext: Gettext) -> str:
    """``white Ford Transit, registration ZZ99 ZZZ``: free text, as staff wrote it."""
    return describe_vehicle_in(vehicle, gettext(REGISTRATION))


def describe_vehicle_in(vehicle: Mapping[str, Any], registration_pattern: str) -> str:
    """:func:`describe_vehicle` with ``registration {value}`` already translated."""
    words = " ".join(str(vehicle[name]) for name in VEHICLE_WORDS if vehicle.get(name))
    registration = vehicle.get("registration")
    parts = [words] if words else []
    if registration:
        parts.append(_fill(registration_pattern, str(registration)))
    return ", ".join(parts)


def card_labels(gettext: Gettext) -> dict[str, Any]:
    """What the member area's script needs to show an alert as :func:`read` does.

    Lists, not objects, wherever order matters: the page's JSON has its keys sorted.
    """
    return {
        "description": [
            [name, gettext(pattern), _translated(values, gettext)]
            for name, pattern, values in DESCRIPTION
        ],
        "vehicle_words": list(VEHICLE_WORDS),
        "registration": gettext(REGISTRATION),
        "identifiers": [[name, gettext(label)] for name, label in IDENTIFIERS],
        "separator": SEPARATOR,
    }


@dataclass(frozen=True)
class Reading:
    """An alert as it reads, every part already in words (none of them escaped)."""

    number: str
    risk_class: str
    title: str
    risk: str
    correction: str
    when: str
    where: str
    kinds: str
    contact: str
    what_happened: list[str]
    what_happened_lang: str
    original: list[str] = field(default_factory=list)
    description: str = ""
    vehicle: str = ""
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    meta: str = ""


def read(
    entry: Mapping[str, Any],
    gettext: Gettext,
    *,
    region_names: Mapping[str, str],
    language: str = "en",
) -> Reading:
    """``entry`` (a bundle record) as it reads in ``language`` (a BCP 47 tag).

    The alert's own translation into ``language``, if it has one, replaces the area and
    what happened, and the English original follows.
    """
    risk = str(entry.get("risk") or "")
    incident = _mapping(entry.get("incident"))
    identifiers = _mapping(entry.get("identifiers"))
    translation = _translation(entry, language)
    area = str((translation or {}).get("area") or entry.get("area") or "")
    region = str(entry.get("region") or "")
    english = _paragraphs(entry.get("what_happened"))
    shown = _paragraphs(translation["what_happened"]) if translation else english
    meta = [
        f"{gettext(LABELS[name])} {entry[name]}"
        for name in ("issued", "expires")
        if entry.get(name)
    ]
    return Reading(
        number=str(entry.get("number") or ""),
        risk_class=risk if risk in RISKS else "unknown",
        title=f"{gettext(LABELS['alert'])} {entry.get('number', '')}",
        risk=gettext(RISKS[risk]) if risk in RISKS else risk,
        correction=str(entry.get("correction") or ""),
        when=", ".join(
            part
            for part in (_long_date(incident.get("date"), language), incident.get("time"))
            if part
        ),
        where=", ".join(part for part in (area, region_names.get(region, region)) if part),
        kinds=join_choices(entry.get("categories"), "categories", gettext),
        contact=join_choices(entry.get("contact_method"), "contact_method", gettext),
        what_happened=shown,
        what_happened_lang=language if translation else "en",
        original=english if translation else [],
        description=describe(_mapping(entry.get("offender")), gettext),
        vehicle=describe_vehicle(_mapping(entry.get("vehicle")), gettext),
        identifiers=[
            (gettext(label), join_choices(identifiers[name], "", gettext))
            for name, label in IDENTIFIERS
            if identifiers.get(name)
        ],
        meta=" · ".join(meta),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    """A part of the record, or nothing: an odd shape is shown as absent, never raised."""
    return value if isinstance(value, Mapping) else {}


def _fill(pattern: str, value: str) -> str:
    return pattern.replace("{value}", value)


def _translated(values: Mapping[str, str] | None, gettext: Gettext) -> dict[str, str] | None:
    return None if values is None else {key: gettext(label) for key, label in values.items()}


def join_choices(values: Any, field_name: str, gettext: Gettext) -> str:
    """Values joined with commas, each by its label when ``field_name`` is a form choice
    (an alert's kinds and how contact was made, in every view and in notifications)."""
    labels = _choice_words(field_name, gettext) if field_name else {}
    items = values if isinstance(values, (list, tuple)) else [values] if values else []
    return ", ".join(labels.get(v, str(v)) if isinstance(v, str) else str(v) for v in items)


def _paragraphs(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _translation(entry: Mapping[str, Any], language: str) -> Mapping[str, Any] | None:
    """The alert's translation for ``language``: ``pt-BR`` then ``pt``; ``zh-Hans``,
    ``zh-CN``, ``zh-SG``, then ``zh`` (as the member area chooses)."""
    translations = entry.get("translations")
    if not isinstance(translations, Mapping) or language.lower() == "en":
        return None
    by_key = {str(key).lower(): value for key, value in translations.items()}
    wanted = language.lower()
    extra = ["zh-cn", "zh-sg"] if wanted == "zh-hans" else []
    for key in (wanted, *extra, wanted.split("-")[0]):
        found = by_key.get(key)
        if isinstance(found, Mapping) and isinstance(found.get("what_happened"), str):
            return found
    return None


def _long_date(value: Any, language: str) -> str:
    """``Saturday, 31 October 2026`` in ``language`` (CLDR's full date, as Intl writes it)."""
    return _formatted_date(value, language) if isinstance(value, str) else ""


@lru_cache(maxsize=4096)
def _formatted_date(value: str, language: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    try:
        from babel.dates import format_date
    except ImportError:  # Babel comes with the staff tools; without it, ISO dates
        return value
    locale = "en_GB" if language == "en" else language.replace("-", "_")
    return format_date(day, "full", locale=locale)
