"""Drafting an alert file, blank or from a report, for staff to finish and check.

A draft from a report is drafted from its whole incident (the report and its
follow-ups, :mod:`uglymugs.reports.incidents`: a later answer wins) and copies only
the alert-safe answers: when and where (the region from the report's force area or
suggested from its town, the area still to be judged by staff), categories, how
contact was made, the offender, the vehicle, and the identifiers (normalised where
they can be). It never copies what happened (staff write a sanitised version),
injuries, who reported, project or site names, whether the police were told, any
consent, or how to contact the reporter. It refuses an incident whose resolved alert
consent (:mod:`uglymugs.reports.consent`) does not allow one: not given, withdrawn,
or given by a project or site without the agreement of the person it happened to.
The report numbers go into ``reports``, which stays in the repository and is never
published.

Every draft leaves ``risk`` (and ``region`` when no force area is known) and the text
for staff to fill in, so ``uglymugs alerts check`` rejects it until they have.

>>> print(blank_alert("2026-0042", date(2026, 11, 23)))  # doctest: +ELLIPSIS
---
number: 2026-0042
status: published
...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from uglymugs.alerts.identifiers import (
    IdentifierError,
    normalise_email,
    normalise_phone,
    normalise_plate,
)
from uglymugs.alerts.model import PLACEHOLDER, Offender, Vehicle
from uglymugs.alerts.numbering import next_number
from uglymugs.reports.consent import ALERT
from uglymugs.reports.incidents import Incident
from uglymugs.reports.reading import OpenedReport

REGION_HINT = "region: the police force area's id; docs/alerts.md lists them"
TOWN_REGION_HINT = "region: suggested from the town the report gives; check it"
AREA_HINT = "area: a street or district, never where the person it happened to lives or works"
RISK_HINT = "risk: high, medium or low"
REPORTS_HINT = "reports: staff only, never published"
OFFENDER_ANSWERS = tuple(Offender.model_fields)  # report answers are offender_<name>
VEHICLE_ANSWERS = tuple(Vehicle.model_fields)  # and vehicle_<name>
_ATTEMPTS = 20
# Report text was typed by a stranger: no terminal controls or direction overrides.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SITE_SEPARATORS = re.compile(r"[,;\n]+")
_WHOLE_PLATE = re.compile(r"^[A-Z0-9]{5,8}$")


class DraftError(Exception):
    """A draft that cannot be made; the message says why and what to do instead."""


class NoConsentError(DraftError):
    """The reporter did not agree to their report being used in an alert."""


def blank_alert(number: str, issued: date) -> str:
    """The text of a new alert file with nothing but its number, status and issue date."""
    fields: list[tuple[str, Any, str | None]] = [
        ("number", number, None),
        ("status", "published", None),
        ("issued", issued, None),
        ("incident", {"date": None}, None),
        ("region", None, REGION_HINT),
        ("area", None, AREA_HINT),
        ("categories", [], None),
        ("risk", None, RISK_HINT),
    ]
    return _render(fields)


def draft_from_report(report: OpenedReport, number: str, issued: date) -> str:
    """The draft of a report on its own (an incident of one report); see
    :func:`draft_from_incident`."""
    return draft_from_incident(Incident((report,)), number, issued)


def draft_from_incident(incident: Incident, number: str, issued: date) -> str:
    """The text of a new alert file drafted from the alert-safe answers of ``incident``.

    Raises :class:`NoConsentError` unless the incident's resolved alert consent allows
    an alert, :class:`DraftError` for a report that could not be opened.
    """
    if not incident.readable:
        raise DraftError(f"{incident.number} cannot be opened: {incident.problem}")
    consent = incident.consents.by_name(ALERT)
    if not consent.allowed:
        raise NoConsentError(
            f"no alert may be drafted from {', '.join(incident.numbers)}: {consent.reason}"
        )
    answers = {name: sourced.value for name, sourced in incident.answers.items()}
    region_hint = TOWN_REGION_HINT if incident.force_area_source == "town" else REGION_HINT
    fields: list[tuple[str, Any, str | None]] = [
        ("number", number, None),
        ("status", "published", None),
        ("issued", issued, None),
        ("incident", _incident(answers), None),
        ("region", incident.force_area, region_hint),
        ("area", _text(answers.get("town_or_area")) or None, AREA_HINT),
        ("categories", list(incident.categories), None),
        ("risk", None, RISK_HINT),
        ("contact_method", _choices(answers.get("contact_method")), None),
        ("offender", _prefixed(answers, "offender_", OFFENDER_ANSWERS), None),
        ("vehicle", _prefixed(answers, "vehicle_", VEHICLE_ANSWERS), None),
        ("identifiers", _identifiers(answers), None),
        ("reports", list(incident.numbers), REPORTS_HINT),
    ]
    return _render([field for field in fields if field[1] not in ([], {})])


def write_new_alert(directory: Path, issued: date, render: Callable[[str], str]) -> Path:
    """Write ``render(number)`` to ``directory/<number>.md`` with the next free number.

    The file is created exclusively: an existing file is never replaced, and if
    another draft takes the number first the next one is used.
    """
    if not directory.is_dir():
        raise DraftError(f"{directory} is not a directory: run this in the checkout or give --dir")
    for _ in range(_ATTEMPTS):
        number = next_number(directory, issued.year)
        text = render(number)
        path = directory / f"{number}.md"
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise DraftError(f"could not find a free alert number in {directory}")


def _render(fields: Iterable[tuple[str, Any, str | None]]) -> str:
    lines = ["---"]
    for key, value, hint in fields:
        if hint:
            lines.append(f"# {hint}")
        if value is None:
            lines.append(f"{key}:")
        else:
            lines.append(
                yaml.safe_dump(
                    {key: value},
                    sort_keys=False,
                    allow_unicode=True,
                    default_flow_style=False,
                    width=10_000,
                ).rstrip("\n")
            )
    return "\n".join([*lines, "---", PLACEHOLDER, ""])


def _incident(answers: Mapping[str, Any]) -> dict[str, Any]:
    written = _text(answers.get("incident_date"))
    try:
        when: date | str | None = date.fromisoformat(written) if written else None
    except ValueError:
        when = written  # as typed: `alerts check` flags it for staff to fix
    incident: dict[str, Any] = {"date": when}
    if time := _text(answers.get("incident_time")):
        incident["time"] = time
    return incident


def _prefixed(answers: Mapping[str, Any], prefix: str, names: Iterable[str]) -> dict[str, str]:
    values = {name: _text(answers.get(prefix + name)) for name in names}
    return {name: value for name, value in values.items() if value}


def _identifiers(answers: Mapping[str, Any]) -> dict[str, list[str]]:
    registration = _text(answers.get("vehicle_registration"))
    plate = _normalised(normalise_plate, registration) if registration else ""
    found = {
        "phones": [
            _normalised(normalise_phone, line) for line in _lines(answers.get("phone_numbers"))
        ],
        "emails": [_normalised(normalise_email, line) for line in _lines(answers.get("emails"))],
        "usernames": _lines(answers.get("usernames")),
        "sites": [
            site
            for part in _SITE_SEPARATORS.split(str(answers.get("sites_used") or ""))
            if (site := _text(part))
        ],
        "plates": [plate] if _WHOLE_PLATE.match(plate) else [],
    }
    return {name: list(dict.fromkeys(values)) for name, values in found.items() if values}


def _normalised(normalise: Callable[[str], str], text: str) -> str:
    """The normalised identifier, or the text as typed for staff to fix (check flags it)."""
    try:
        return normalise(text)
    except IdentifierError:
        return text


def _choices(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return [text for item in values if (text := _text(item))]


def _lines(value: object) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [text for item in items if (text := _text(item))]


def _text(value: object) -> str:
    """One clean line: no control characters, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    return " ".join(_UNSAFE.sub(" ", value).split())
