"""Incidents that may be the same offender, found by identifiers they share.

Casework's concern (a caseworker checks each link), so it lives beside case records.

Two reports giving the same phone number, e-mail address, username or full number
plate are the strongest sign one man is behind both, however far apart they are. The
identifiers are normalised the way alerts normalise them
(:mod:`uglymugs.alerts.identifiers`), so ``07700 900123`` meets ``+44 7700 900123``.
An identifier shared by many incidents narrows things down less (a recycled or shared
number), so each shared identifier weighs ``1 / (incidents sharing it − 1)``; one
shared by more than :data:`TOO_COMMON` incidents is ignored. A report and its
follow-ups are one incident and are never linked to each other.

This is the strong half of the issue's linking: description and method similarity are
not scored yet.

>>> suggest_links([])
[]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from uglymugs.alerts.identifiers import (
    IdentifierError,
    normalise_email,
    normalise_phone,
    normalise_plate,
    normalise_username,
)
from uglymugs.reports.incidents import Incident

TOO_COMMON = 20  # an identifier in more incidents than this is a shared or public one
STRENGTH = 0.9  # how far one identifier shared by exactly two incidents goes
FULL_PLATE_LENGTH = 5  # shorter plates are partial: many cars share them

IDENTIFIER_FIELDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "phone_numbers": ("phone", normalise_phone),
    "emails": ("e-mail", normalise_email),
    "usernames": ("username", normalise_username),
    "vehicle_registration": ("plate", normalise_plate),
}


@dataclass(frozen=True)
class Link:
    """Two incidents (their original report numbers) that may be one offender."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "score": self.score, "reasons": list(self.reasons)}


def identifiers(incident: Incident) -> set[tuple[str, str]]:
    """Every ``(kind, normalised value)`` any report of the incident gives."""
    found = set()
    for report in incident.reports:
        for name, (kind, normalise) in IDENTIFIER_FIELDS.items():
            for line in str(report.answers.get(name) or "").splitlines():
                try:
                    value = normalise(line)
                except IdentifierError:
                    continue
                if kind != "plate" or len(value) >= FULL_PLATE_LENGTH:
                    found.add((kind, value))
    return found


def suggest_links(incidents: Iterable[Incident]) -> list[Link]:
    """Pairs of incidents sharing an identifier, best first (score, then numbers)."""
    holders: dict[tuple[str, str], set[str]] = {}
    for incident in incidents:
        for key in identifiers(incident):
            holders.setdefault(key, set()).add(incident.number)
    evidence: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for (kind, value), numbers in sorted(holders.items()):
        if not 2 <= len(numbers) <= TOO_COMMON:
            continue
        weight = 1 / (len(numbers) - 1)
        reason = f"same {kind} {value}" + (
            f" (also in {len(numbers) - 2} other incidents)" if len(numbers) > 2 else ""
        )
        for pair in itertools.combinations(sorted(numbers), 2):
            evidence.setdefault(pair, []).append((weight, reason))
    links = [
        Link(a, b, _score(found), tuple(r for _w, r in found)) for (a, b), found in evidence.items()
    ]
    return sorted(links, key=lambda link: (-link.score, link.a, link.b))


def _score(found: list[tuple[float, str]]) -> float:
    """Independent pieces of evidence combined: 1 − Π(1 − strength × weight)."""
    missing = 1.0
    for weight, _reason in found:
        missing *= 1 - STRENGTH * weight
    return round(1 - missing, 3)
