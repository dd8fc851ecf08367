"""The local support directory: projects near a person, by police force area.

Staff keep it in git like the partner directory: one YAML file per project in
``support/`` (name, force areas, services, how to contact, languages, opening times),
reviewed in a pull request and checked by ``uglymugs support check``, which names
every problem as ``path:line: message``. The site's contacts page lists every project
that passes, and the person may narrow it to their own area on their device.

A wrong number on this site can cost a life, so the check is strict about contacts:
a project marked ``fictional: true`` (the examples this repository ships) may only
use numbers Ofcom keeps for drama (``07700 900000`` to ``07700 900999``) and
``example.org``-style addresses, and its name must begin "EXAMPLE ONLY", so that an
example can never pass for a real service, nor a real number hide in an example.

>>> result = check_directory([Path("support")])  # doctest: +SKIP
>>> result.ok, [project.id for project in result.projects]  # doctest: +SKIP
(True, ['example-canal-street', ...])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from uglymugs.alerts.regions import load_regions
from uglymugs.i18n import N_
from uglymugs.yaml_directory import FileProblem, YamlFileError, read_mapping, yaml_files

ALL_AREAS = "all"  # a national service, listed in every area
REQUIRED = ("id", "name", "force_areas", "services", "contact", "languages", "opening_times")
OPTIONAL = ("fictional",)
CONTACT_KEYS = ("phone", "email", "website")

# What a project offers, as the site shows it (gettext messages).
SERVICES = {
    "outreach": N_("Outreach"),
    "drop_in": N_("Drop-in"),
    "sexual_health": N_("Sexual health"),
    "isva": N_("Independent sexual violence adviser (ISVA)"),
    "counselling": N_("Counselling and emotional support"),
    "drugs_alcohol": N_("Drugs and alcohol"),
    "housing": N_("Housing"),
    "legal": N_("Legal and police advice"),
    "immigration": N_("Immigration advice"),
    "exiting": N_("Support to leave sex work, if you want it"),
}
DAYS = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
# The languages a project answers in, each named in itself (as the site's switcher
# names its own languages), so no translation can misname one.
LANGUAGE_NAMES = {
    "en": "English",
    "ro": "Română",
    "pt": "Português",
    "pl": "Polski",
    "zh": "中文",
    "bg": "Български",
    "hu": "Magyar",
    "es": "Español",
    "it": "Italiano",
    "lt": "Lietuvių",
    "sq": "Shqip",
    "th": "ไทย",
    "uk": "Українська",
    "ru": "Русский",
    "cy": "Cymraeg",
    "bsl": "British Sign Language",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+)$")
_WEBSITE = re.compile(r"^https://([a-z0-9.-]+\.[a-z]{2,})(/\S*)?$")
_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
# Ofcom's numbers for drama: 07700 900000 to 07700 900999 never reach anyone.
_DRAMA_NUMBER = re.compile(r"^\+447700900\d{3}$")
# Domains kept for documentation (RFC 2606): an example's e-mail and website.
_EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net", "example.invalid")
EXAMPLE_PREFIX = "EXAMPLE ONLY"


@dataclass(frozen=True)
class OpeningTimes:
    days: tuple[str, ...]
    opens: str
    closes: str


@dataclass(frozen=True)
class SupportProject:
    """One project as checked; ``force_areas`` holds ids, or ``("all",)``."""

    id: str
    name: str
    force_areas: tuple[str, ...]
    services: tuple[str, ...]
    phone: str | None  # as people read it: "07700 900123"
    tel: str | None  # for a tel: link: "+447700900123"
    email: str | None
    website: str | None
    languages: tuple[str, ...]
    opening_times: tuple[OpeningTimes, ...]
    fictional: bool
    path: Path

    def covers(self, force_area: str) -> bool:
        """Whether this project serves ``force_area`` (a national one serves every one)."""
        return ALL_AREAS in self.force_areas or force_area in self.force_areas


@dataclass
class SupportCheck:
    """Every project that passed, sorted by name, and every problem found."""

    projects: list[SupportProject] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_directory(paths: Iterable[Path]) -> SupportCheck:
    """Read every ``*.yaml`` file under ``paths``; a project with any problem is left out."""
    result = SupportCheck()
    seen: set[str] = set()
    for path in yaml_files(paths):
        problems, project = _check_file(path)
        if project is not None and project.id in seen:
            problems.append(FileProblem(path, 1, f"id {project.id!r} is also used"))
        result.problems.extend(problems)
        if project is not None and not problems:
            seen.add(project.id)
            result.projects.append(project)
    result.projects.sort(key=lambda project: project.name.casefold())
    return result


def _check_file(path: Path) -> tuple[list[FileProblem], SupportProject | None]:
    try:
        mapping = read_mapping(path, "a support file")
    except YamlFileError as error:
        return [FileProblem(path, error.line, error.message)], None
    data, lines = mapping.data, mapping.lines
    problems = [FileProblem(path, lines.get(key, 1), message) for key, message in _problems(data)]
    if problems:
        return problems, None
    return [], _project(data, path)


def _project(data: dict[str, Any], path: Path) -> SupportProject:
    contact = data["contact"]
    phone = str(contact["phone"]) if contact.get("phone") else None
    return SupportProject(
        id=data["id"],
        name=data["name"],
        force_areas=tuple(data["force_areas"]),
        services=tuple(data["services"]),
        phone=phone,
        tel=_e164(phone) if phone else None,
        email=contact.get("email"),
        website=contact.get("website"),
        languages=tuple(data["languages"]),
        opening_times=tuple(
            OpeningTimes(tuple(span["days"]), span["from"], span["to"])
            for span in data["opening_times"]
        ),
        fictional=bool(data.get("fictional", False)),
        path=path,
    )


def _problems(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, message) for every rule ``data`` breaks."""
    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            yield key, f"missing {key}"
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            yield str(key), f"unknown key {key!r}"
    if data.get("id") and not _ID.match(str(data["id"])):
        yield "id", "id: lower-case letters, digits and hyphens"
    if "fictional" in data and not isinstance(data["fictional"], bool):
        yield "fictional", "fictional: true or false"
    fictional = data.get("fictional") is True
    name = str(data.get("name") or "")
    if fictional and not name.startswith(EXAMPLE_PREFIX):
        yield "name", f"name: a fictional example's name begins {EXAMPLE_PREFIX!r}"
    if not fictional and EXAMPLE_PREFIX.casefold() in name.casefold():
        yield "name", "name: says it is an example, but fictional is not true"
    yield from _list_problems(data, "force_areas", set(load_regions()) | {ALL_AREAS})
    yield from _list_problems(data, "services", set(SERVICES))
    yield from _list_problems(data, "languages", set(LANGUAGE_NAMES))
    yield from _contact_problems(data.get("contact"), fictional)
    yield from _opening_problems(data.get("opening_times"))


def _list_problems(data: dict[str, Any], key: str, known: set[str]) -> Iterator[tuple[str, str]]:
    values = data.get(key)
    if values in (None, "", []):
        return
    if not isinstance(values, list):
        yield key, f"{key}: a list"
        return
    for value in values:
        if value not in known:
            yield key, f"{key}: unknown {value!r}; one of {', '.join(sorted(known))}"


def _contact_problems(contact: object, fictional: bool) -> Iterator[tuple[str, str]]:
    if contact in (None, "", {}):
        return
    if not isinstance(contact, dict) or not set(contact) & set(CONTACT_KEYS):
        yield "contact", f"contact: a mapping with one or more of {', '.join(CONTACT_KEYS)}"
        return
    for key in contact:
        if key not in CONTACT_KEYS:
            yield "contact", f"contact: unknown key {key!r}"
    if contact.get("phone"):
        yield from _phone_problems(str(contact["phone"]), fictional)
    domains = []
    if contact.get("email"):
        match = _EMAIL.match(str(contact["email"]))
        if match is None:
            yield "contact", "contact: email is not an e-mail address"
        else:
            domains.append(match.group(1).lower())
    if contact.get("website"):
        match = _WEBSITE.match(str(contact["website"]))
        if match is None:
            yield "contact", "contact: website is an https:// address"
        else:
            domains.append(match.group(1).lower())
    for domain in domains:
        if fictional and domain not in _EXAMPLE_DOMAINS:
            yield "contact", f"contact: a fictional example uses {' or '.join(_EXAMPLE_DOMAINS)}"
        if not fictional and domain in _EXAMPLE_DOMAINS:
            yield "contact", f"contact: {domain} is for examples; mark the project fictional"


def _phone_problems(phone: str, fictional: bool) -> Iterator[tuple[str, str]]:
    number = _e164(phone)
    if number is None:
        yield "contact", f"contact: phone {phone!r} is not a UK number"
    elif fictional and not _DRAMA_NUMBER.match(number):
        yield "contact", "contact: a fictional example uses a drama number, 07700 900000-900999"
    elif not fictional and _DRAMA_NUMBER.match(number):
        yield "contact", "contact: 07700 900xxx numbers are fictional; mark the project fictional"


def _e164(phone: str) -> str | None:
    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed) and not _DRAMA_NUMBER.match(
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    ):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _opening_problems(spans: object) -> Iterator[tuple[str, str]]:
    if spans in (None, "", []):
        return
    if not isinstance(spans, list):
        yield "opening_times", "opening_times: a list of {days, from, to}"
        return
    for span in spans:
        if not isinstance(span, dict) or set(span) != {"days", "from", "to"}:
            yield (
                "opening_times",
                "opening_times: each is {days: [mon, ...], from: HH:MM, to: HH:MM}",
            )
            continue
        days = span["days"]
        if not isinstance(days, list) or not days or not set(days) <= set(DAYS):
            yield "opening_times", f"opening_times: days are some of {', '.join(DAYS)}"
        opens, closes = str(span["from"]), str(span["to"])
        if not (_TIME.match(opens) and _TIME.match(closes)):
            yield "opening_times", "opening_times: from and to are 24-hour times, quoted: '09:30'"
        elif closes <= opens and closes != "00:00":
            yield "opening_times", f"opening_times: closes ({closes}) before it opens ({opens})"
