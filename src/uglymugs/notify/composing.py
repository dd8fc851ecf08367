"""The words of an alert notification: e-mail (subject, text, HTML) and SMS.

Rendered from the Jinja2 templates ``alert_email`` and ``alert_sms`` in
:mod:`uglymugs.messaging`, so every string goes through gettext. The subject names
the alert number, region and risk, never what happened: a subject is what shows on a
locked phone. An SMS is at most two segments; a discreet SMS says only that there is
an alert ("New safety alert — log in to read"), and for a correction or withdrawal
"Safety alert update — log in to read".

>>> compose_sms(change, "Northumbria", "https://um.example", discreet=True)  # doctest: +SKIP
'New safety alert — log in to read'
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from uglymugs.alerts.reading import describe, describe_vehicle
from uglymugs.i18n import N_
from uglymugs.messaging.messages import render_html, render_message, render_text
from uglymugs.messaging.sms import MAX_SEGMENTS, sms_segments
from uglymugs.notify.publications import AlertChange
from uglymugs.reports.form import option_label

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


def _(message: str) -> str:
    """Translate now (English until members can choose a language)."""
    return gettext.NullTranslations().gettext(message)


def compose_email(change: AlertChange, region_name: str, site_url: str) -> ComposedEmail:
    """The e-mail telling a member about ``change``."""
    context = _context(change, region_name, site_url)
    subject, text = render_message("alert_email", **context)
    html = render_html("alert_email", subject=subject, lang="en", **context)
    return ComposedEmail(subject, _tidy(text), _tidy(html))


def compose_sms(change: AlertChange, region_name: str, site_url: str, *, discreet: bool) -> str:
    """The SMS telling a member about ``change``; raise :class:`MessageTooLongError`."""
    context = _context(change, region_name, site_url)
    text = render_text("alert_sms", discreet=discreet, link=context["members_link"], **context)
    if sms_segments(text) > MAX_SEGMENTS:
        # A very long region name: the number and the link matter more.
        context["region"] = change.region
        text = render_text("alert_sms", discreet=discreet, link=context["members_link"], **context)
    if sms_segments(text) > MAX_SEGMENTS:
        raise MessageTooLongError(f"alert {change.number}: SMS over {MAX_SEGMENTS} segments")
    return text


def _context(change: AlertChange, region_name: str, site_url: str) -> dict[str, Any]:
    record = change.record
    base = site_url.rstrip("/")
    return {
        "kind": change.kind.value,
        "number": change.number,
        "region": region_name,
        "risk": _(RISK_WORDS.get(change.risk, change.risk)) if change.risk else None,
        "correction": record.get("correction"),
        "changed_fields": [field.replace("_", " ") for field in change.changed_fields],
        "withdrawn_reason": record.get("withdrawn_reason"),
        "what_happened": record.get("what_happened"),
        "rows": _rows(record),
        "details": _details(record),
        "members_link": base + MEMBERS_PATH,
        "preferences_link": base + PREFERENCES_PATH,
    }


def _rows(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """When, where and what: the facts read before "what happened" (as every view of an
    alert has them, :mod:`uglymugs.alerts.reading`)."""
    incident = record.get("incident") or {}
    return _present(
        (_("When"), " ".join(p for p in (incident.get("date"), incident.get("time")) if p)),
        (_("Where"), record.get("area")),
        (
            _("What"),
            ", ".join(_(option_label("categories", c)) for c in record.get("categories", ())),
        ),
        (
            _("Contact"),
            ", ".join(
                _(option_label("contact_method", c)) for c in record.get("contact_method", ())
            ),
        ),
    )


def _details(record: Mapping[str, Any]) -> list[tuple[str, str]]:
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
