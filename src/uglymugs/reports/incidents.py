"""Incidents: a report and its follow-ups, seen as one thing, with a triage summary.

A partial report and the follow-ups that complete it describe one incident. Staff
triage incidents, not reports: the queue, ``uglymugs reports list`` and the alert
draft all start from :func:`group_incidents`. An incident's answers are the union of
its reports' answers, a later report's answer winning where both give one (each with
the report it came from); its consents are resolved by :mod:`uglymugs.reports.consent`.

A follow-up of a follow-up belongs to the same incident; a follow-up whose original
is not in the vault starts an incident of its own. A report that could not be opened
is an incident of one, with its problem.

>>> incidents = group_incidents(open_vault(vault, keys))  # doctest: +SKIP
>>> incidents[0].numbers  # doctest: +SKIP
('UM-7K3F-92QH-X4PM', 'UM-Q2WE-8RTY-ZX4C')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from uglymugs.reports.consent import Consents, resolve_consents
from uglymugs.reports.places import force_area_for_town, known_force_area
from uglymugs.reports.reading import PARTNER_SCHEMA, OpenedReport

ENTERED_BY = "entered_by"  # set in a report's envelope when staff typed it in
WHO_REPORTED = ("self", "project", "site", "staff")
NO_CONTACT = "none"


@dataclass(frozen=True)
class SourcedAnswer:
    """An incident's answer to one question, and the report that gave it."""

    value: Any
    report_number: str


@dataclass(frozen=True)
class Incident:
    """A report and its follow-ups (oldest first); ``reports[0]`` is the original."""

    reports: tuple[OpenedReport, ...]

    @property
    def number(self) -> str:
        """The original report's number: the incident's name."""
        return self.reports[0].report_number

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(report.report_number for report in self.reports)

    @property
    def original(self) -> OpenedReport:
        return self.reports[0]

    @property
    def readable(self) -> bool:
        return self.original.content is not None

    @property
    def problem(self) -> str | None:
        return self.original.problem

    @property
    def received_at(self) -> str:
        return self.original.received_at

    @property
    def last_received_at(self) -> str:
        return max(report.received_at for report in self.reports)

    @property
    def report_type(self) -> str | None:
        return self.original.report_type

    @property
    def who_reported(self) -> str | None:
        """``self``, ``project``, ``site`` or ``staff`` (typed in by staff), of the original."""
        return who_reported(self.original)

    @cached_property
    def answers(self) -> dict[str, SourcedAnswer]:
        """Every answer across the incident; a later report's answer wins."""
        merged: dict[str, SourcedAnswer] = {}
        for report in self.reports:
            for name, value in report.answers.items():
                if value not in ("", []):
                    merged[name] = SourcedAnswer(value, report.report_number)
        return merged

    def answer(self, name: str) -> Any:
        """The incident's answer to ``name``, or None."""
        sourced = self.answers.get(name)
        return sourced.value if sourced else None

    @property
    def incident_date(self) -> str | None:
        return _text(self.answer("incident_date"))

    @property
    def town(self) -> str | None:
        return _text(self.answer("town_or_area"))

    @property
    def force_area(self) -> str | None:
        """The force area id the report gave, else one the town suggests, else None."""
        return known_force_area(self.answer("force_area")) or (
            force_area_for_town(self.town) if self.town else None
        )

    @property
    def force_area_source(self) -> str | None:
        """``report`` (the person chose it), ``town`` (suggested from the town) or None."""
        if known_force_area(self.answer("force_area")):
            return "report"
        return "town" if self.force_area else None

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category any report of the incident ticked, in the order first given."""
        found: dict[str, None] = {}
        for report in self.reports:
            value = report.answers.get("categories")
            for item in value if isinstance(value, list) else [value] if value else []:
                found[str(item)] = None
        return tuple(found)

    @cached_property
    def consents(self) -> Consents:
        return resolve_consents(self.reports)

    @property
    def contact_preference(self) -> str | None:
        """How the person wants to be contacted (``email``, ``phone``, ``via_project``),
        ``none``, or None when not answered."""
        return _text(self.answer("contact_preference"))

    @property
    def wants_contact(self) -> bool:
        return self.contact_preference not in (None, NO_CONTACT)

    def summary(self) -> dict[str, Any]:
        """What the triage queue shows, JSON-ready; no free text but the town."""
        return {
            "number": self.number,
            "numbers": list(self.numbers),
            "received_at": self.received_at,
            "last_received_at": self.last_received_at,
            "report_type": self.report_type,
            "who_reported": self.who_reported,
            "incident_date": self.incident_date,
            "force_area": self.force_area,
            "force_area_source": self.force_area_source,
            "town": self.town,
            "categories": list(self.categories),
            "consents": {
                consent.name: {"answer": consent.answer, "allowed": consent.allowed}
                for consent in self.consents
            },
            "wants_contact": self.wants_contact,
            "contact_preference": self.contact_preference,
            "problem": self.problem,
        }


def who_reported(report: OpenedReport) -> str | None:
    """``staff`` for a report staff typed in, ``police`` for a partner submission (and
    nothing else: a report cannot claim to be from police), else its reporter role."""
    if report.content and report.content.get("schema") == PARTNER_SCHEMA:
        return "police"
    if report.content and report.content.get(ENTERED_BY):
        return "staff"
    return None if report.reporter == "police" else report.reporter


def group_incidents(reports: Iterable[OpenedReport]) -> list[Incident]:
    """Every report in exactly one incident; incidents oldest first."""
    by_number = {report.report_number: report for report in reports}
    members: dict[str, list[OpenedReport]] = {}
    for report in by_number.values():
        members.setdefault(_root(report, by_number), []).append(report)
    incidents = [incident_from(root, group) for root, group in members.items()]
    return sorted(incidents, key=lambda incident: _age(incident.original))


def incident_from(root: str, reports: Iterable[OpenedReport]) -> Incident:
    """The incident of ``reports``, whose chains of follow-ups lead back to report
    ``root``: the original first, then the rest oldest first."""
    return Incident(tuple(sorted(reports, key=lambda r: (r.report_number != root, _age(r)))))


def incident_of(number: str, reports: Iterable[OpenedReport]) -> Incident | None:
    """The incident holding report ``number`` (the original or any follow-up)."""
    for incident in group_incidents(reports):
        if number in incident.numbers:
            return incident
    return None


def _root(report: OpenedReport, by_number: Mapping[str, OpenedReport]) -> str:
    """The original a chain of follow-ups leads back to (loops are cut)."""
    seen = {report.report_number}
    while report.follows and report.follows in by_number and report.follows not in seen:
        report = by_number[report.follows]
        seen.add(report.report_number)
    return report.report_number


def _age(report: OpenedReport) -> tuple[str, str]:
    return (report.received_at, report.report_number)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
