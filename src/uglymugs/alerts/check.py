"""``uglymugs alerts check``: every rule an alert file must pass before it is published.

Errors are things that are wrong (a region that does not exist, a phone number not in
E.164). Warnings are things that may identify the person it happened to (a phone
number, an address or a name in the text); a reviewer who has looked and judged it
safe accepts one by listing its code in the alert's ``allow``. Each problem names the
file line of the offending key, or the line of the text. The rules and their codes are
in ``docs/alerts.md``.

>>> result = check_alerts(Path("site/alerts"), today=date.today())  # doctest: +SKIP
>>> result.ok, [loaded.alert.number for loaded in result.alerts]  # doctest: +SKIP
(True, ['2009-0456', '2010-0123', ...])
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
from pydantic import ValidationError

from uglymugs.alerts.front_matter import FrontMatter, FrontMatterError, parse
from uglymugs.alerts.identifiers import DEFAULT_PHONE_REGION, IdentifierError, normalise_email
from uglymugs.alerts.model import Alert
from uglymugs.alerts.numbering import NUMBER_PATTERN
from uglymugs.alerts.regions import load_regions
from uglymugs.cycle_collector import cycle_collector_paused
from uglymugs.safe_text import escaped, for_terminal, unsafe_characters

ERROR = "error"
WARNING = "warning"
ERROR_CODES = (
    "unreadable",
    "front-matter",
    "yaml",
    "duplicate-key",
    "missing-field",
    "unknown-field",
    "bad-value",
    "bad-number",
    "file-name",
    "duplicate-number",
    "unknown-status",
    "unknown-region",
    "unknown-category",
    "unknown-risk",
    "unknown-contact-method",
    "unknown-choice",
    "bad-language",
    "bad-date",
    "future-date",
    "incident-after-issued",
    "expires-before-issued",
    "bad-phone",
    "phone-not-normalised",
    "bad-email",
    "email-not-normalised",
    "bad-plate",
    "plate-not-normalised",
    "bad-report-number",
    "correction-missing",
    "status-mismatch",
    "empty-body",
    "placeholder",
    "unknown-allow",
    "unused-allow",
    "control-character",
    "too-long",
)
# The most characters each free-text field may hold (docs/alerts.md, "Limits"). Staff
# read alerts in a terminal and members on a phone: a field longer than this is a
# mistake or an attack, never an alert.
TEXT_LIMITS = {
    "what_happened": 3000,
    "translations.<lang>.what_happened": 3000,
    "area": 100,
    "translations.<lang>.area": 100,
    "incident.time": 50,
    "offender.ethnicity": 100,
    "offender.age": 50,
    "offender.height": 50,
    "offender.hair": 100,
    "offender.facial_hair": 100,
    "offender.accent": 100,
    "offender.clothing": 200,
    "offender.marks": 200,
    "vehicle.make": 50,
    "vehicle.model": 50,
    "vehicle.colour": 50,
    "vehicle.registration": 20,
    "identifiers.emails": 254,
    "identifiers.usernames": 100,
    "identifiers.sites": 200,
    "correction": 300,
    "withdrawn_reason": 300,
}
DEFAULT_TEXT_LIMIT = 100  # every other value: numbers, dates, choices, region ids
LIST_LIMIT = 50  # entries in any one list
_SHORTEST_LIMIT = min(DEFAULT_TEXT_LIMIT, *TEXT_LIMITS.values())  # shorter is within every limit
# What happened may have line breaks and tabs (Markdown); no other value may.
_BODY_ALLOWED = "\n\t"
# pydantic's own error types, in the words of the checker.
_PYDANTIC_ERRORS = {
    "missing": ("missing-field", "is required"),
    "extra_forbidden": ("unknown-field", "is not a field of an alert (docs/alerts.md)"),
    "string_type": ("bad-value", "must be text"),
    "list_type": ("bad-value", "must be a list"),
    "dict_type": ("bad-value", "must be a mapping of fields"),
    "model_type": ("bad-value", "must be a mapping of fields"),
    "model_attributes_type": ("bad-value", "must be a mapping of fields"),
}
_MISSING_HINTS = {
    ("region",): "is required: choose a police force area id (docs/alerts.md lists them)",
    ("risk",): "is required: choose high, medium or low",
}
_MIN_PHONE_DIGITS = 10  # a UK number written nationally has 10 or 11 digits
_DIGIT = re.compile(r"\d")
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_STREET_WORDS = (
    "street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|way|crescent|place|court|terrace"
    "|gardens|grove|hill|square|mews|row|walk|parade|park|view|rise|vale|green|wharf|quay"
)
# Two patterns below start "first character, then (?<!\w…)" where ``\b`` would read more
# plainly: the same matches, but a pattern that starts with a character class lets the
# regex engine skip to the places it can match, three times quicker on an alert's text.
_ADDRESS_PATTERNS = (
    # a house number before a named street: "12 Baird Street", "4a Acacia Ave"
    re.compile(
        rf"\d(?<!\w\d)\d{{0,3}}[a-zA-Z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?i:{_STREET_WORDS})\b"
    ),
    # a flat, room or house number: "flat 3", "room 212"
    re.compile(r"(?i:\b(?:flat|apartment|apt|room|unit|house)\s+(?:no\.?\s*)?\d+[a-z]?\b)"),
    # a full UK postcode: "M1 2AB", "W9 1AA", "EC1A 1BB"
    re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]?[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}\b"),
)
_NAME_PATTERNS = (
    re.compile(
        r"(?i:\b(?:called|named|known as|goes by|calls? (?:herself|himself|themselves)))"
        r"\s+[\"'“‘]?[A-Z][\w'’-]*"
    ),
    re.compile(
        r"(?i:\b(?:her|his|their|my|your)\s+(?:real\s+|working\s+|first\s+)?"
        r"name\s+(?:is|was)\b)"
    ),
    re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Mister|Madam)\.?\s+(?!Martens\b)[A-Z][\w'’-]*"),
)

# Words (lower case) one of which a pattern cannot match without: text that has none
# of them is not searched with it.
_NEEDS = {
    _ADDRESS_PATTERNS[1]: ("flat", "apartment", "apt", "room", "unit", "house"),
    _NAME_PATTERNS[0]: ("called", "named", "known as", "goes by", "call"),
    _NAME_PATTERNS[1]: ("name",),
}
# The same for a pattern that minds case, as written: "Dr", not the "dr" of "address".
_NEEDS_AS_WRITTEN = {
    _NAME_PATTERNS[2]: ("Mr", "Ms", "Miss", "Mx", "Dr", "Mister", "Madam"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one alert file, at ``line`` (1-based)."""

    path: Path
    line: int
    code: str
    message: str
    severity: str = ERROR
    accepted: bool = False  # a warning whose code the alert's ``allow`` lists

    @property
    def blocking(self) -> bool:
        """True for every error and for a warning nobody accepted."""
        return self.severity == ERROR or not self.accepted

    def __str__(self) -> str:
        """``path:line: message``, safe to print: a file name can hold any character."""
        if self.severity == WARNING:
            note = f"{self.code}, accepted" if self.accepted else self.code
            return for_terminal(f"{self.path}:{self.line}: warning: {self.message} ({note})")
        return for_terminal(f"{self.path}:{self.line}: {self.message}")


@dataclass(frozen=True)
class LoadedAlert:
    """An alert that passed every check, and the file it came from."""

    path: Path
    alert: Alert


@dataclass(frozen=True)
class CheckResult:
    """The alerts that passed (by number) and every problem found, file by file."""

    alerts: list[LoadedAlert]
    problems: list[Problem]
    files: int

    @property
    def ok(self) -> bool:
        """True when nothing blocks publishing: no error, no warning left unaccepted."""
        return not any(problem.blocking for problem in self.problems)


def alert_files(paths_or_dir: Path | str | Iterable[Path | str]) -> list[Path]:
    """The files to check: each file given, and every ``*.md`` in each directory given."""
    given = [paths_or_dir] if isinstance(paths_or_dir, str | Path) else list(paths_or_dir)
    files: list[Path] = []
    for path in map(Path, given):
        files.extend(sorted(path.glob("*.md")) if path.is_dir() else [path])
    return files


def check_alerts(
    paths_or_dir: Path | str | Iterable[Path | str],
    *,
    today: date,
    regions: Collection[str] | None = None,
) -> CheckResult:
    """Check alert files (and the numbers across them); see the module docstring.

    ``regions`` are the valid region ids, by default the packaged police force areas.
    Only alerts without a blocking problem are in ``alerts``; check ``ok`` before
    publishing anything.
    """
    regions = regions if regions is not None else load_regions()
    files = alert_files(paths_or_dir)
    with cycle_collector_paused():
        problems, loaded, numbers = _check_files(files, today, regions)
    for number, places in numbers.items():
        first = places[0][0]
        problems += [
            Problem(path, line, "duplicate-number", f"number {number} is also used by {first}")
            for path, line in places[1:]
        ]
    blocked = {problem.path for problem in problems if problem.blocking}
    alerts = [LoadedAlert(path, alert) for path, alert in loaded.items() if path not in blocked]
    alerts.sort(key=lambda item: (item.alert.number, str(item.path)))
    return CheckResult(alerts, problems, len(files))


def _check_files(
    files: list[Path], today: date, regions: Collection[str]
) -> tuple[list[Problem], dict[Path, Alert], dict[str, list[tuple[Path, int]]]]:
    """Each file's problems, its alert if it has one, and where each number is used."""
    problems: list[Problem] = []
    loaded: dict[Path, Alert] = {}
    numbers: dict[str, list[tuple[Path, int]]] = {}
    for path in files:
        alert, matter, found = _check_file(path, today, regions)
        problems += found
        if alert is not None:
            loaded[path] = alert
        number = matter.data.get("number") if matter and isinstance(matter.data, dict) else None
        if matter is not None and isinstance(number, str) and NUMBER_PATTERN.match(number.strip()):
            numbers.setdefault(number.strip(), []).append((path, matter.line_of(("number",))))
    return problems, loaded, numbers


def _check_file(
    path: Path, today: date, regions: Collection[str]
) -> tuple[Alert | None, FrontMatter | None, list[Problem]]:
    try:
        matter = parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return None, None, [Problem(path, 1, "unreadable", f"cannot be read: {error}")]
    except FrontMatterError as error:
        return None, None, [Problem(path, error.line, error.code, error.message)]
    if not isinstance(matter.data, dict):
        return None, matter, [Problem(path, 2, "yaml", "the front matter is not a set of fields")]
    if "what_happened" in matter.data:
        line = matter.line_of(("what_happened",))
        message = "what_happened is the text below the front matter, not a field"
        return None, matter, [Problem(path, line, "unknown-field", message)]
    problems = list(_text_problems(path, matter))
    fields = {**matter.data, "what_happened": matter.body}
    try:
        alert = Alert.model_validate(fields, context={"regions": regions})
    except ValidationError as error:
        return None, matter, problems + [_from_pydantic(path, matter, e) for e in error.errors()]
    problems += _relations(path, matter, alert, today)
    warnings = [_accepted(problem, alert.allow) for problem in _warnings(path, matter, alert)]
    warned = {problem.code for problem in warnings}
    problems += warnings
    problems += [
        Problem(
            path,
            matter.line_of(("allow", index)),
            "unused-allow",
            f"allow lists {code} but there is no such warning: remove it",
        )
        for index, code in enumerate(alert.allow)
        if code not in warned
    ]
    return alert, matter, problems


def _text_problems(path: Path, matter: FrontMatter) -> Iterator[Problem]:
    """Control and invisible characters anywhere, and values longer than their limit.

    A value's line and dotted name are worked out only for a value with a problem: for
    the thousands of values that have none they were most of the check's time. One
    quick walk gathers every text (searched once for unsafe characters) and the few
    values long enough to break a limit; only a file with unsafe characters is walked
    again value by value.
    """
    texts: list[str] = []
    values: list[tuple[tuple[str | int, ...], Any]] = []
    _gather(matter.data, (), texts, values)
    any_unsafe = bool(unsafe_characters("".join(texts)))  # one search for the whole file
    if any_unsafe:
        values = list(_values(matter.data, ()))
    for loc, value in values:
        if isinstance(value, list):
            if len(value) > LIST_LIMIT:
                name = _field_name(loc)
                message = f"{for_terminal(name)}: at most {LIST_LIMIT} entries, not {len(value)}"
                yield Problem(path, matter.line_of(loc), "too-long", message)
            continue
        limit = _SHORTEST_LIMIT
        if len(value) > _SHORTEST_LIMIT:
            limit = TEXT_LIMITS.get(_field_name(loc), DEFAULT_TEXT_LIMIT)
        unsafe = any_unsafe and unsafe_characters(value)
        if not unsafe and len(value) <= limit:
            continue
        line, shown = matter.line_of(loc), _dotted(loc)
        yield from _unsafe_problem(path, line, shown, value, allowed="")
        if len(value) > limit:
            message = f"{shown}: at most {limit} characters, not {len(value)}"
            yield Problem(path, line, "too-long", message)
    if unsafe_characters(matter.body, _BODY_ALLOWED):
        for offset, text in enumerate(matter.body.split("\n")):
            line = matter.body_line + offset
            yield from _unsafe_problem(path, line, "what happened", text, _BODY_ALLOWED)
    limit = TEXT_LIMITS["what_happened"]
    if len(matter.body.strip()) > limit:
        message = f"what happened: at most {limit} characters, not {len(matter.body.strip())}"
        yield Problem(path, matter.body_line, "too-long", message)


def _gather(
    data: Any,
    loc: tuple[str | int, ...],
    texts: list[str],
    long: list[tuple[tuple[str | int, ...], Any]],
) -> None:
    """Add every key and text value under ``data`` to ``texts``, and to ``long`` (as
    :func:`_values` gives them, in its order) each text longer than the shortest limit
    and each list longer than :data:`LIST_LIMIT`."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(key, str):
            texts.append(key)
        if isinstance(value, str):
            texts.append(value)
            if len(value) > _SHORTEST_LIMIT:
                long.append(((*loc, key), value))
        elif isinstance(value, dict | list):
            inner = (*loc, key)
            if isinstance(value, list) and len(value) > LIST_LIMIT:
                long.append((inner, value))
            _gather(value, inner, texts, long)


def _values(data: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """``(loc, value)`` for every key (as text), text value and list in the front matter."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and unsafe_characters(key):
                yield (*loc, key), key
            yield from _values(value, (*loc, key))
    elif isinstance(data, list):
        yield loc, data
        for index, value in enumerate(data):
            yield from _values(value, (*loc, index))
    elif isinstance(data, str):
        yield loc, data


def _unsafe_problem(path: Path, line: int, name: str, text: str, allowed: str) -> list[Problem]:
    found = unsafe_characters(text, allowed)
    if not found:
        return []
    shown = ", ".join(escaped(char) for char in found)
    message = (
        f"{name}: has {shown}, control or invisible formatting characters that can "
        "drive a terminal or reorder text: remove them"
    )
    return [Problem(path, line, "control-character", message)]


def _field_name(loc: tuple[str | int, ...]) -> str:
    """The field's name as docs/alerts.md gives it: ``translations.<lang>.area``."""
    parts = [str(part) for part in loc if isinstance(part, str)]
    if parts[:1] == ["translations"] and len(parts) > 1:
        parts[1] = "<lang>"
    return ".".join(parts)


def _from_pydantic(path: Path, matter: FrontMatter, error: Any) -> Problem:
    loc = tuple(error["loc"])
    code, message = _PYDANTIC_ERRORS.get(error["type"], (error["type"], error["msg"]))
    if code == "missing-field":
        message = _MISSING_HINTS.get(loc, message)
    if code not in ERROR_CODES:
        code = "bad-value"
    if loc == ("what_happened",):
        return Problem(path, matter.body_line, code, message)
    return Problem(path, matter.line_of(loc), code, f"{_dotted(loc)}: {message}")


def _dotted(loc: tuple[str | int, ...]) -> str:
    """``identifiers.phones[1]``, escaped: a key can hold any character YAML allows."""
    dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return for_terminal(dotted.lstrip("."))


def _relations(path: Path, matter: FrontMatter, alert: Alert, today: date) -> Iterator[Problem]:
    """Rules about how fields relate to each other, to the file name and to today."""

    def problem(loc: tuple[str, ...], code: str, message: str) -> Problem:
        return Problem(path, matter.line_of(loc), code, message)

    if alert.issued > today:
        yield problem(("issued",), "future-date", f"issued {alert.issued} is in the future")
    if alert.incident.date > today:
        yield problem(
            ("incident", "date"),
            "future-date",
            f"incident.date {alert.incident.date} is in the future",
        )
    if alert.incident.date > alert.issued:
        yield problem(
            ("incident", "date"),
            "incident-after-issued",
            f"incident.date {alert.incident.date} is after the alert was issued ({alert.issued})",
        )
    if alert.expires is not None and alert.expires <= alert.issued:
        yield problem(
            ("expires",),
            "expires-before-issued",
            f"expires {alert.expires} is not after issued {alert.issued}",
        )
    if not alert.number.startswith(f"{alert.issued.year:04d}-"):
        yield problem(
            ("number",),
            "bad-number",
            f"number {alert.number} must start with the year it was issued ({alert.issued.year})",
        )
    if path.stem != alert.number:
        yield problem(
            ("number",), "file-name", f"the file of alert {alert.number} must be {alert.number}.md"
        )
    if alert.status == "corrected" and not alert.correction:
        yield problem(
            ("status",), "correction-missing", "a corrected alert needs correction: what changed"
        )
    if alert.correction and alert.status != "corrected":
        yield problem(
            ("correction",), "status-mismatch", f"correction given but status is {alert.status}"
        )
    if alert.withdrawn_reason and alert.status != "withdrawn":
        yield problem(
            ("withdrawn_reason",),
            "status-mismatch",
            f"withdrawn_reason given but status is {alert.status}",
        )


def _warnings(path: Path, matter: FrontMatter, alert: Alert) -> Iterator[Problem]:
    """Things in the free text that may identify the person it happened to.

    Every pattern is first tried once on all the free text together; only an alert in
    which one matches is gone through line by line (most alerts have none).
    """
    texts = list(_free_texts(matter, alert))
    if not _may_warn("\n".join(text for _, text in texts)):
        return
    phones = set(alert.identifiers.phones)
    emails = set(alert.identifiers.emails)
    for where, text in texts:
        line = where if isinstance(where, int) else matter.line_of(where)
        for raw, number in _phones_in(text):
            if number not in phones:
                yield Problem(
                    path,
                    line,
                    "phone-in-text",
                    f"phone number {raw!r} ({number}) is not in identifiers.phones: list it "
                    "there if it is the offender's, remove it if it could be anyone else's",
                    WARNING,
                )
        for match in _EMAIL_IN_TEXT.finditer(text):
            if _email_or_none(match.group()) not in emails:
                yield Problem(
                    path,
                    line,
                    "email-in-text",
                    f"e-mail {match.group()!r} is not in identifiers.emails: list it there if "
                    "it is the offender's, remove it if it could be anyone else's",
                    WARNING,
                )
        for match in _matches(_ADDRESS_PATTERNS, text):
            yield Problem(
                path,
                line,
                "address-in-text",
                f"{match!r} looks like an address: give a street or district, never where "
                "someone lives or works",
                WARNING,
            )
        for match in _matches(_NAME_PATTERNS, text):
            yield Problem(
                path,
                line,
                "name-in-text",
                f"{match!r} looks like a person's name: leave out anything that could "
                "identify the person it happened to",
                WARNING,
            )


def _may_warn(text: str) -> bool:
    """False when no warning's pattern can match anywhere in ``text`` (a quick test).

    An e-mail needs an ``@`` and every address pattern a digit; most other patterns
    need one of a few words (:data:`_NEEDS`, :data:`_NEEDS_AS_WRITTEN`), looked for
    before the pattern is run.
    """
    digits = len(_DIGIT.findall(text))
    if digits >= _MIN_PHONE_DIGITS or ("@" in text and _EMAIL_IN_TEXT.search(text)):
        return True
    lower = text.lower()
    patterns = (*_ADDRESS_PATTERNS, *_NAME_PATTERNS) if digits else _NAME_PATTERNS
    return any(pattern.search(text) for pattern in patterns if _may_match(pattern, text, lower))


def _may_match(pattern: re.Pattern[str], text: str, lower: str) -> bool:
    if needs := _NEEDS.get(pattern):
        return any(word in lower for word in needs)
    if needs := _NEEDS_AS_WRITTEN.get(pattern):
        return any(word in text for word in needs)
    return True


def _free_texts(matter: FrontMatter, alert: Alert) -> Iterator[tuple[int | tuple[str, ...], str]]:
    """Every piece of free text members read, with its file line or its field's place."""
    for offset, line in enumerate(matter.body.split("\n")):
        yield matter.body_line + offset, line
    fields: list[tuple[tuple[str, ...], str | None]] = [
        (("area",), alert.area),
        (("incident", "time"), alert.incident.time),
        (("correction",), alert.correction),
        (("withdrawn_reason",), alert.withdrawn_reason),
    ]
    for name, value in alert.offender:
        fields.append((("offender", name), value))
    for language, translation in alert.translations.items():
        fields.append((("translations", language, "what_happened"), translation.what_happened))
        fields.append((("translations", language, "area"), translation.area))
    for loc, value in fields:
        if value:
            yield loc, value


def _phones_in(text: str) -> Iterator[tuple[str, str]]:
    """``(as written, E.164)`` for everything in ``text`` that could be a phone number.

    Text with fewer digits than a number has cannot hold one: libphonenumber's matcher,
    run on every line, was a fifth of the check's time.
    """
    if len(_DIGIT.findall(text)) < _MIN_PHONE_DIGITS:
        return
    matcher = phonenumbers.PhoneNumberMatcher(
        text, DEFAULT_PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        if sum(char.isdigit() for char in match.raw_string) >= _MIN_PHONE_DIGITS:
            number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            yield match.raw_string, number


def _email_or_none(text: str) -> str | None:
    try:
        return normalise_email(text)
    except IdentifierError:
        return None


def _matches(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[str]:
    for pattern in patterns:
        for match in pattern.finditer(text):
            yield match.group()


def _accepted(problem: Problem, allow: Collection[str]) -> Problem:
    if problem.code not in allow:
        return problem
    return Problem(
        problem.path, problem.line, problem.code, problem.message, problem.severity, True
    )
