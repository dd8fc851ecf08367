"""The partner directory: who packets may be sent to, kept by staff in git.

Each partner is one YAML file in ``partners/`` (id, name, kind, force areas covered,
contact address, age public key). Staff review changes like alerts, so
:func:`check_partners` names every problem as ``path:line: message``, the line of the
offending key: a key that is not an age recipient, a force area that does not exist,
a missing contact, an unknown kind. A packet is only ever encrypted to a partner that
passed the check.

>>> result = check_partners([Path("partners")])  # doctest: +SKIP
>>> result.ok, sorted(result.partners)  # doctest: +SKIP
(True, ['example-gmp-hub', 'example-scas', ...])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uglymugs.alerts.regions import load_regions
from uglymugs.sharing.age import AgeKeyError, check_recipient
from uglymugs.yaml_directory import FileProblem, YamlFileError, read_mapping, yaml_files

# The kinds of partner the issue names; what each may receive is in sharing.rules.
KINDS = {
    "scas": "the Serious Crime Analysis Section",
    "hub": "a force's local intelligence hub",
    "bureau": "a force intelligence bureau",
    "liaison": "a designated liaison officer",
    "regional": "a regional intelligence unit",
    "support": "a support service such as an ISVA",
}
ALL_AREAS = "all"  # a national partner (SCAS) covers every force area
REQUIRED = ("id", "name", "kind", "force_areas", "contact", "age_recipient")
OPTIONAL = ("fictional", "notes")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# An age X25519 recipient: "age1" and 58 bech32 characters.
_AGE_RECIPIENT = re.compile(r"^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$")


@dataclass(frozen=True)
class Partner:
    """One partner as checked: ``force_areas`` holds ids, or ``("all",)``."""

    id: str
    name: str
    kind: str
    force_areas: tuple[str, ...]
    contact: str
    age_recipient: str
    fictional: bool
    path: Path

    def covers(self, force_area: str | None) -> bool:
        """Whether this partner covers ``force_area`` (a national one covers every one)."""
        return ALL_AREAS in self.force_areas or (
            force_area is not None and force_area in self.force_areas
        )


@dataclass
class PartnerCheck:
    """Every partner that passed, by id, and every problem found."""

    partners: dict[str, Partner] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class PartnerError(Exception):
    """A partner that does not exist or cannot be used for this share."""


def check_partners(paths: Iterable[Path]) -> PartnerCheck:
    """Read every ``*.yaml`` file under ``paths``; a partner with any problem is left out."""
    result = PartnerCheck()
    for path in yaml_files(paths):
        problems, partner = _check_file(path)
        if partner is not None and partner.id in result.partners:
            problems.append(FileProblem(path, 1, f"id {partner.id!r} is also used by another file"))
        result.problems.extend(problems)
        if partner is not None and not problems:
            result.partners[partner.id] = partner
    return result


def load_partner(paths: Iterable[Path], partner_id: str) -> Partner:
    """The checked partner ``partner_id``; :class:`PartnerError` when it is not there."""
    result = check_partners(paths)
    if partner_id not in result.partners:
        raise PartnerError(f"no partner {partner_id!r} that passes 'uglymugs partners check'")
    return result.partners[partner_id]


def _check_file(path: Path) -> tuple[list[FileProblem], Partner | None]:
    try:
        mapping = read_mapping(path, "a partner file")
    except YamlFileError as error:
        return [FileProblem(path, error.line, error.message)], None
    data, lines = mapping.data, mapping.lines
    problems = [
        FileProblem(path, lines.get(message[0], 1), message[1]) for message in _field_problems(data)
    ]
    if problems:
        return problems, None
    partner = Partner(
        id=data["id"],
        name=data["name"],
        kind=data["kind"],
        force_areas=tuple(data["force_areas"]),
        contact=data["contact"],
        age_recipient=data["age_recipient"],
        fictional=bool(data.get("fictional", False)),
        path=path,
    )
    return [], partner


def _field_problems(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, message) for every rule ``data`` breaks."""
    for key in REQUIRED:
        if data.get(key) in (None, "", []):
            yield key, f"missing {key}"
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            yield str(key), f"unknown key {key!r}"
    if data.get("id") and not _ID.match(str(data["id"])):
        yield "id", "id: lower-case letters, digits and hyphens"
    if data.get("kind") and data["kind"] not in KINDS:
        yield "kind", f"unknown kind {data['kind']!r}; one of {', '.join(KINDS)}"
    if data.get("contact") and not _EMAIL.match(str(data["contact"])):
        yield "contact", "contact: an e-mail address"
    recipient = data.get("age_recipient")
    if recipient and not _is_recipient(str(recipient)):
        yield "age_recipient", "age_recipient: not an age public key (age1..., from age-keygen)"
    yield from _area_problems(data.get("force_areas"))
    if "fictional" in data and not isinstance(data["fictional"], bool):
        yield "fictional", "fictional: true or false"


def _area_problems(areas: object) -> Iterator[tuple[str, str]]:
    if areas in (None, "", []):
        return
    if not isinstance(areas, list):
        yield "force_areas", "force_areas: a list of force area ids, or [all]"
        return
    known = load_regions()
    for area in areas:
        if area != ALL_AREAS and area not in known:
            yield "force_areas", f"unknown force area {area!r}"


def _is_recipient(text: str) -> bool:
    if not _AGE_RECIPIENT.match(text):
        return False
    try:
        check_recipient(text)
    except AgeKeyError:
        return False
    return True
