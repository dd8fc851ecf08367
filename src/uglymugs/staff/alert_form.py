"""The console's alert form: the alert model's staff-writable fields, and its check.

Each field is named by its place in the alert file (``offender.sex``) and labelled
with the report form's own words where the report asked the same thing, so staff
see one vocabulary. What the form holds becomes an alert file's text exactly as
``uglymugs alerts new`` writes one, and is checked by ``alerts check`` itself: each
problem is put beside the field it is about.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from uglymugs.alerts.check import Problem, check_alerts
from uglymugs.alerts.front_matter import FrontMatterError, parse
from uglymugs.alerts.model import RISKS, Offender, Vehicle
from uglymugs.i18n import N_
from uglymugs.reports.form import FIELDS, Option

DATE, TEXT, SELECT, CHECKS, LINES, LONG = "date", "text", "select", "checks", "lines", "long"


@dataclass(frozen=True)
class AlertField:
    name: str  # dotted place in the alert file
    label: str
    kind: str
    options: tuple[Option, ...] = ()


def _from_report(name: str, report_field: str, kind: str = TEXT) -> AlertField:
    field = FIELDS[report_field]
    return AlertField(name, field.label, SELECT if field.options else kind, field.options)


RISK_OPTIONS = tuple(
    Option(value, label)
    for value, label in zip(RISKS, (N_("High"), N_("Medium"), N_("Low")), strict=True)
)
ALERT_FIELDS: tuple[AlertField, ...] = (
    _from_report("incident.date", "incident_date", DATE),
    _from_report("incident.time", "incident_time"),
    AlertField("region", N_("Police force area"), SELECT),
    AlertField(
        "area", N_("Area (a street or district, never where the person lives or works)"), TEXT
    ),
    AlertField("categories", FIELDS["categories"].label, CHECKS, FIELDS["categories"].options),
    AlertField("risk", N_("Risk"), SELECT, RISK_OPTIONS),
    AlertField(
        "contact_method", FIELDS["contact_method"].label, CHECKS, FIELDS["contact_method"].options
    ),
    *(_from_report(f"offender.{name}", f"offender_{name}") for name in Offender.model_fields),
    *(_from_report(f"vehicle.{name}", f"vehicle_{name}") for name in Vehicle.model_fields),
    AlertField("identifiers.phones", FIELDS["phone_numbers"].label, LINES),
    AlertField("identifiers.emails", FIELDS["emails"].label, LINES),
    AlertField("identifiers.usernames", FIELDS["usernames"].label, LINES),
    AlertField("identifiers.sites", FIELDS["sites_used"].label, LINES),
    AlertField("identifiers.plates", N_("Number plates"), LINES),
    AlertField("what_happened", N_("What happened (sanitised, for members)"), LONG),
)
BY_NAME = {field.name: field for field in ALERT_FIELDS}


def values_from_draft(text: str) -> dict[str, Any]:
    """Form values from a drafted alert's text (what ``draft_from_report`` wrote)."""
    data = parse(text).data or {}
    values: dict[str, Any] = {}
    for field in ALERT_FIELDS:
        value: Any = data
        for part in field.name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if field.kind in (CHECKS, LINES):
            values[field.name] = [str(item) for item in value or []]
        elif value is not None and field.name != "what_happened":
            values[field.name] = str(value)
    values["what_happened"] = ""  # staff write it, sanitised
    return values


def values_from_form(data: Mapping[str, list[str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in ALERT_FIELDS:
        given = data.get(field.name, [])
        if field.kind == CHECKS:
            values[field.name] = [v for v in given if v]
        elif field.kind == LINES:
            text = given[0] if given else ""
            values[field.name] = [line.strip() for line in text.splitlines() if line.strip()]
        else:
            values[field.name] = (given[0] if given else "").strip()
    return values


def alert_text(number: str, issued: date, values: Mapping[str, Any], reports: list[str]) -> str:
    """The alert file for ``values``: front matter, then what happened."""
    matter: dict[str, Any] = {"number": number, "status": "published", "issued": issued}
    for field in ALERT_FIELDS:
        value = values.get(field.name)
        if field.name == "what_happened" or value in (None, "", []):
            continue
        if field.kind == DATE:
            value = _date_or_text(value)
        place = matter
        *parents, leaf = field.name.split(".")
        for part in parents:
            place = place.setdefault(part, {})
        place[leaf] = value
    matter.setdefault("incident", {}).setdefault("date", None)
    for name in ("region", "area", "risk"):
        matter.setdefault(name, None)
    if reports:
        matter["reports"] = reports
    front = yaml.safe_dump(matter, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n{values.get('what_happened', '')}\n"


def _date_or_text(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def check_text(number: str, text: str, today: date) -> dict[str, list[str]]:
    """``alerts check``'s blocking problems with ``text``, by form field ("" for the rest)."""
    with tempfile.TemporaryDirectory(prefix="uglymugs-alert-check-") as folder:
        path = Path(folder) / f"{number}.md"
        path.write_text(text, encoding="utf-8")
        result = check_alerts([path], today=today)
    by_field: dict[str, list[str]] = {}
    for problem in result.problems:
        if problem.blocking:
            by_field.setdefault(_field_of(problem, text), []).append(_message(problem))
    return by_field


def _message(problem: Problem) -> str:
    return problem.message


def _field_of(problem: Problem, text: str) -> str:
    for field in sorted(ALERT_FIELDS, key=lambda f: -len(f.name)):
        if problem.message.startswith((f"{field.name}:", f"{field.name}[")):
            return field.name
    try:
        matter = parse(text)
    except FrontMatterError:
        return ""
    if problem.line >= matter.body_line:
        return "what_happened"
    for field in ALERT_FIELDS:
        loc = tuple(field.name.split("."))
        if _present(matter.data, loc) and matter.line_of(loc) == problem.line:
            return field.name
    return ""


def _present(data: Any, loc: tuple[str, ...]) -> bool:
    for part in loc:
        if not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return True
