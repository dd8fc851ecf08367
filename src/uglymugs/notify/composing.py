"""The words of an alert notification: e-mail (subject, text, HTML) and SMS.

Rendered from the Jinja2 templates ``alert_email`` and ``alert_sms`` in
:mod:`uglymugs.messaging`, so every string goes through gettext. The subject names
the alert number, region and risk, never what happened: a subject is what shows on a
locked phone. An SMS is at most two segments; a discreet SMS says only that there is
an alert ("New safety alert — log in to read"), and for a correction or withdrawal
"Safety alert update — log in to read". Each is composed in the member's own language
(``Member.language``), its links to that language's member area, and the alert's own
translation of what happened when its file has one.

>>> compose_sms(change, "Northumbria", "https://um.example", discreet=True)  # doctest: +SKIP
'New safety alert — log in to read'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from uglymugs.alerts.reading import describe, describe_vehicle, join_choices
from uglymugs.i18n import N_
from uglymugs.languages import BY_CODE, SOURCE
from uglymugs.messaging.messages import (
    render_html,
    render_message,
    render_text,
    translations_for,
)
from uglymugs.messaging.sms import MAX_SEGMENTS, sms_segments
from uglymugs.notify.publications import AlertChange

MEMBERS_PATH = "/members/"
PREFERENCES_PATH = "/members/#preferences-section"
RISK_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
_IDENTIFIERS = (
    ("phones", N_("Phone")),
    ("emails", N_("E-mail")),
    ("usernames", N_("Username")),
    ("sites", N_("Website")),
    ("plates", N_("Vehicle registration")),
)


class MessageTooLongError(ValueError):
    """An SMS that would need more than two segments even in its shortest form."""


@dataclass(frozen=True)
class ComposedEmail:
    subject: str
    text: str
    html: str


def compose_email(
    change: AlertChange, region_name: str, site_url: str, language: str = "en"
) -> ComposedEmail:
    """The e-mail telling a member about ``change``, in ``language`` (a site language code)."""
    context = _context(change, region_name, site_url, language)
    subject, text = render_message("alert_email", language, **context)
    tag = BY_CODE.get(language, SOURCE).tag
    html = render_html("alert_email", language, subject=subject, lang=tag, **context)
    return ComposedEmail(subject, _tidy(text), _tidy(html))


def compose_sms(
    change: AlertChange, region_name: str, site_url: str, *, discreet: bool, language: str = "en"
) -> str:
    """The SMS telling a member about ``change``; raise :class:`MessageTooLongError`.

    Too long (a long region name; a language whose characters take UCS-2, 67 to a
    segment): the region's id instead of its name, then the discreet text, which says
    the same thing in fewer words.
    """
    context = _context(change, region_name, site_url, language)
    attempts = [(discreet, region_name), (discreet, change.region), (True, change.region)]
    text = ""
    for quiet, region in attempts:
        context["region"] = region
        text = render_text(
            "alert_sms", language, discreet=quiet, link=context["members_link"], **context
        )
        if sms_segments(text) <= MAX_SEGMENTS:
            return text
    raise MessageTooLongError(f"alert {change.number}: SMS over {MAX_SEGMENTS} segments")


def _context(
    change: AlertChange, region_name: str, site_url: str, language: str = "en"
) -> dict[str, Any]:
    record = change.record
    base = site_url.rstrip("/")
    site_language = BY_CODE.get(language, SOURCE)
    _ = translations_for(site_language.code).gettext
    translated = _translated(record, site_language.tag)
    return {
        "kind": change.kind.value,
        "number": change.number,
        "region": region_name,
        "risk": _(RISK_WORDS.get(change.risk, change.risk)) if change.risk else None,
        "correction": record.get("correction"),
        "changed_fields": [field.replace("_", " ") for field in change.changed_fields],
        "withdrawn_reason": record.get("withdrawn_reason"),
        "what_happened": translated.get("what_happened") or record.get("what_happened"),
        "rows": _rows({**record, **translated}, region_name, _),
        "details": _details(record, _),
        "members_link": base + site_language.path(MEMBERS_PATH),
        "preferences_link": base + site_language.path(PREFERENCES_PATH),
    }


def _translated(record: Mapping[str, Any], tag: str) -> dict[str, Any]:
    """The alert's own translation into the language tagged ``tag`` (its ``area`` and
    ``what_happened``), or nothing: ``pt-BR`` then ``pt``, ``zh-Hans`` then ``zh``."""
    translations = record.get("translations")
    if tag == SOURCE.tag or not isinstance(translations, Mapping):
        return {}
    by_tag = {str(key).lower(): value for key, value in translations.items()}
    for wanted in (tag.lower(), tag.split("-")[0].lower()):
        found = by_tag.get(wanted)
        if isinstance(found, Mapping):
            return {k: v for k, v in found.items() if k in ("area", "what_happened") and v}
    return {}


def _rows(
    record: Mapping[str, Any], region_name: str, _: Callable[[str], str]
) -> list[tuple[str, str]]:
    """When, where and what: the facts read before "what happened" (as every view of an
    alert has them, :mod:`uglymugs.alerts.reading`: the area, then its police force
    area). The date stays in ISO form: the functions carry no CLDR data to write it out."""
    incident = record.get("incident") or {}
    return _present(
        (_("When"), ", ".join(p for p in (incident.get("date"), incident.get("time")) if p)),
        (_("Where"), ", ".join(p for p in (record.get("area"), region_name) if p)),
        (_("What"), join_choices(record.get("categories"), "categories", _)),
        (_("Contact"), join_choices(record.get("contact_method"), "contact_method", _)),
    )


def _details(record: Mapping[str, Any], _: Callable[[str], str]) -> list[tuple[str, str]]:
    """The description as one line, the vehicle, identifiers and dates: after the text."""
    identifiers = record.get("identifiers") or {}
    return _present(
        (_("Description"), describe(record.get("offender") or {}, _)),
        (_("Vehicle"), describe_vehicle(record.get("vehicle") or {}, _)),
        *((_(label), ", ".join(identifiers.get(name, ()))) for name, label in _IDENTIFIERS),
        (_("Issued"), record.get("issued")),
        (_("Expires"), record.get("expires")),
    )


def _present(*rows: tuple[str, Any]) -> list[tuple[str, str]]:
    return [(label, str(value)) for label, value in rows if value]


def _tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
