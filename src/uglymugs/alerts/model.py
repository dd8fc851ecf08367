"""An alert: its front matter and "what happened", and the record members receive.

The model checks each field on its own: vocabulary (the report form's options,
``uglymugs.reports.form``), dates, regions, and that identifiers are stored
normalised (:mod:`uglymugs.alerts.identifiers`). How fields relate to each other and to
today (a date in the future, a corrected alert without its correction, a number used
twice) is :func:`uglymugs.alerts.check.check_alerts`'s job: build alerts through it.

Errors carry our own codes (``unknown-region``, ``phone-not-normalised``, …) as their
pydantic error type, so the checker reports them without translating messages.

:meth:`Alert.bundle_record` is all that ever leaves the repository: an allow-list of
alert fields, never the staff-only ``reports`` and ``allow``.

>>> alert = Alert.model_validate(EXAMPLE)  # doctest: +SKIP
>>> alert.bundle_record()["identifiers"]["phones"]  # doctest: +SKIP
['+447700900123']
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, LiteralString, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from uglymugs.alerts.identifiers import (
    IdentifierError,
    normalise_email,
    normalise_phone,
    normalise_plate,
)
from uglymugs.alerts.numbering import AlertNumberError, parse_number
from uglymugs.alerts.regions import load_regions
from uglymugs.reports.form import FIELDS
from uglymugs.reports.numbers import ReportNumberError
from uglymugs.reports.numbers import normalise as normalise_report_number

STATUSES = ("published", "corrected", "withdrawn")
RISKS = ("high", "medium", "low")
# Warnings a reviewer may accept by listing the code in the alert's ``allow``.
WARNING_CODES = ("phone-in-text", "email-in-text", "address-in-text", "name-in-text")
# What ``alerts new`` leaves as the body; an alert cannot be published with it.
PLACEHOLDER = (
    "[Write what happened here: two or three sentences, nothing that could identify "
    "the person it happened to.]"
)
# Fields members receive, in this order; everything else stays in the repository.
BUNDLE_FIELDS = (
    "number",
    "status",
    "issued",
    "incident",
    "region",
    "area",
    "categories",
    "risk",
    "contact_method",
    "offender",
    "vehicle",
    "identifiers",
    "expires",
    "correction",
    "withdrawn_reason",
    "translations",
    "what_happened",
)
STAFF_ONLY_FIELDS = ("reports", "allow")
# A withdrawn alert keeps only what says it is withdrawn: if it was wrong, its phone
# numbers and plates must stop matching members' lookups.
WITHDRAWN_BUNDLE_FIELDS = ("number", "status", "issued", "region", "withdrawn_reason")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")
# A BCP 47 tag: language, optional script, optional region (pl, pt-BR, zh-Hans).
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$")


def paragraphs(text: str) -> str:
    """Markdown text with each paragraph (and list item) on one line, blank lines between.

    Re-wrapping the text in an editor changes nothing members see, nor the digest.
    """
    blocks: list[list[str]] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if not stripped:
            blocks.append([])
        elif not blocks or _LIST_ITEM.match(stripped):
            blocks.append([stripped])
        else:
            blocks[-1].append(stripped)
    joined = (" ".join(block) for block in blocks if block)
    return "\n\n".join(joined)


def _error(code: str, template: str, **context: Any) -> PydanticCustomError:
    # Our codes and templates are constants; pydantic types them as LiteralString.
    return PydanticCustomError(
        cast("LiteralString", code), cast("LiteralString", template), context
    )


def _one_of(values: Sequence[str], code: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise _error(
                code,
                "{value} is not one of: {choices}",
                value=repr(value),
                choices=", ".join(values),
            )
        return value

    return check


def _form_choice(field_name: str, code: str) -> Any:
    values = tuple(option.value for option in FIELDS[field_name].options)
    return Annotated[str, AfterValidator(_one_of(values, code))]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _error("missing-field", "is empty")
    return value


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise _error("bad-value", "must be one line")
    return value


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _at_least_one(values: list[str]) -> list[str]:
    if not values:
        raise _error("missing-field", "choose at least one")
    return _unique(values)


def _iso_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _error("bad-date", "{value} is not a date: write YYYY-MM-DD", value=repr(value))


def _normalised(normalise: Callable[[str], str], bad: str, unnormalised: str) -> Any:
    def check(value: str) -> str:
        try:
            normal = normalise(value)
        except IdentifierError as error:
            raise _error(bad, "{reason}", reason=str(error)) from None
        if normal != value:
            raise _error(unnormalised, "write {normal}, not {value}", normal=normal, value=value)
        return value

    return Annotated[str, AfterValidator(check)]


def _number(value: str) -> str:
    try:
        parse_number(value)
    except AlertNumberError as error:
        raise _error("bad-number", "{reason}", reason=str(error)) from None
    return value


def _report_number(value: str) -> str:
    try:
        return normalise_report_number(value)
    except ReportNumberError as error:
        raise _error("bad-report-number", "{reason}", reason=str(error)) from None


IsoDate = Annotated[date, Strict(), BeforeValidator(_iso_date)]
OptionalIsoDate = Annotated[date | None, Strict(), BeforeValidator(_iso_date)]
RequiredText = Annotated[str, AfterValidator(_not_blank)]
if TYPE_CHECKING:  # built from the form's vocabulary at import; to a type checker, text
    Phone = Email = Plate = str
    OffenderSex = OffenderBuild = OffenderGlasses = Category = ContactMethod = str
else:
    Phone = _normalised(normalise_phone, "bad-phone", "phone-not-normalised")
    Email = _normalised(normalise_email, "bad-email", "email-not-normalised")
    Plate = _normalised(normalise_plate, "bad-plate", "plate-not-normalised")
    OffenderSex = _form_choice("offender_sex", "unknown-choice")
    OffenderBuild = _form_choice("offender_build", "unknown-choice")
    OffenderGlasses = _form_choice("offender_glasses", "unknown-choice")
    Category = _form_choice("categories", "unknown-category")
    ContactMethod = _form_choice("contact_method", "unknown-contact-method")


class _Part(BaseModel):
    """Strict about unknown fields; an empty value (``key:`` alone) counts as absent."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None or k not in cls.model_fields}
        return data


class Incident(_Part):
    """When it happened: a date, and a time as people say it ("21:30–22:00", "late evening")."""

    date: IsoDate
    time: str | None = None


class Offender(_Part):
    """What the offender looked like, in the report form's words (choices by their value)."""

    sex: OffenderSex | None = None
    ethnicity: str | None = None
    age: str | None = None
    height: str | None = None
    build: OffenderBuild | None = None
    hair: str | None = None
    facial_hair: str | None = None
    glasses: OffenderGlasses | None = None
    accent: str | None = None
    clothing: str | None = None
    marks: str | None = None


class Vehicle(_Part):
    """The vehicle as members would see it; a partial registration is fine here."""

    make: str | None = None
    model: str | None = None
    colour: str | None = None
    registration: str | None = None


class Identifiers(_Part):
    """What members look up: phones in E.164, e-mails lower-case, plates without spaces."""

    phones: list[Phone] = Field(default_factory=list)
    emails: list[Email] = Field(default_factory=list)
    usernames: list[RequiredText] = Field(default_factory=list)
    sites: list[RequiredText] = Field(default_factory=list)
    plates: list[Plate] = Field(default_factory=list)

    @field_validator("phones", "emails", "usernames", "sites", "plates")
    @classmethod
    def _no_repeats(cls, values: list[str]) -> list[str]:
        return _unique(values)


class Translation(_Part):
    """What happened, and optionally the area, in another language."""

    what_happened: Annotated[RequiredText, AfterValidator(paragraphs)]
    area: str | None = None


class Alert(_Part):
    """One alert file: front matter fields plus the body as ``what_happened``.

    Validate with ``context={"regions": ids}`` to check regions against other than
    the packaged police force areas.
    """

    number: Annotated[str, AfterValidator(_number)]
    status: Annotated[str, AfterValidator(_one_of(STATUSES, "unknown-status"))]
    issued: IsoDate
    incident: Incident
    region: str
    area: RequiredText
    categories: Annotated[list[Category], AfterValidator(_at_least_one)]
    risk: Annotated[str, AfterValidator(_one_of(RISKS, "unknown-risk"))]
    contact_method: Annotated[list[ContactMethod], AfterValidator(_unique)] = Field(
        default_factory=list
    )
    offender: Offender = Field(default_factory=Offender)
    vehicle: Vehicle = Field(default_factory=Vehicle)
    identifiers: Identifiers = Field(default_factory=Identifiers)
    expires: OptionalIsoDate = None
    correction: Annotated[str, AfterValidator(_one_line)] | None = None
    withdrawn_reason: str | None = None
    translations: dict[str, Translation] = Field(default_factory=dict)
    reports: list[Annotated[str, AfterValidator(_report_number)]] = Field(default_factory=list)
    allow: list[Annotated[str, AfterValidator(_one_of(WARNING_CODES, "unknown-allow"))]] = Field(
        default_factory=list
    )
    what_happened: str

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise _error("missing-field", "choose a police force area id (docs/alerts.md)")
        regions: Collection[str] = (info.context or {}).get("regions") or load_regions()
        if value not in regions:
            raise _error(
                "unknown-region",
                "{value} is not a police force area id (docs/alerts.md lists them)",
                value=repr(value),
            )
        return value

    @field_validator("translations")
    @classmethod
    def _language_codes(cls, value: dict[str, Translation]) -> dict[str, Translation]:
        for language in value:
            if not _LANGUAGE.match(language) or language == "en":
                raise _error(
                    "bad-language",
                    "{language} is not a language code like pl, pt-BR or zh-Hans "
                    "(English is the text itself)",
                    language=repr(language),
                )
        return value

    @field_validator("what_happened")
    @classmethod
    def _written(cls, value: str) -> str:
        text = paragraphs(value)
        if not text:
            raise _error("empty-body", "what happened is empty: write it below the front matter")
        if PLACEHOLDER in text:
            raise _error(
                "placeholder", "what happened is still the placeholder: write it, sanitised"
            )
        return text

    def bundle_record(self) -> dict[str, Any]:
        """The sanitised record members receive: alert fields only, JSON-ready, no empties.

        Dates are ISO strings; identifiers are already normalised. A withdrawn alert
        keeps only its number, status, issue date, region and reason.
        """
        names = WITHDRAWN_BUNDLE_FIELDS if self.status == "withdrawn" else BUNDLE_FIELDS
        dumped = self.model_dump(mode="json", include=set(names))
        record = {name: _without_empty(dumped[name]) for name in names}
        return {name: value for name, value in record.items() if not _is_empty(value)}

    def version_digest(self) -> str:
        """SHA-256 (hex) of the canonical bundle record: changes iff what members see changes."""
        canonical = json.dumps(
            self.bundle_record(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if not _is_empty(item)}
    if isinstance(value, list):
        return [item for item in map(_without_empty, value) if not _is_empty(item)]
    return value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
