"""The selected alerts as a Word document (``.docx``), in the member's language.

Projects paste alerts into newsletters and save them as Word documents (the slides,
"Circulating alerts"). The document is made here, on the server, with python-docx
(the well-kept library for Word files; the Lambda layer already ships it with lxml),
from the current ``alerts-all.json`` the server reads from the bundle shelf and checks
against the signed manifest (:class:`~uglymugs.members.published.PublishedAlerts`) —
never from anything the browser sends. The browser sends only the numbers of the
alerts the member selected; the document holds exactly those, in that order, with
every label and coded value translated (``labels``, the member area's own labels in
the member's language) and an alert's own translation of what happened when it has
one. Nothing is stored or logged: neither the numbers nor the document.

>>> data = word_document(alerts, labels, "pl")  # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from uglymugs.alerts.reading import describe_in, describe_vehicle_in

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOWNLOAD_NAME = "alerts.docx"
MAX_ALERTS = 500


def _value(labels: Mapping[str, Any], kind: str, value: Any) -> str:
    known = labels.get("values", {}).get(kind, {})
    if isinstance(value, list):
        return ", ".join(_value(labels, kind, item) for item in value)
    return str(known.get(value, value))


def _translation(alert: Mapping[str, Any], tag: str) -> Mapping[str, Any]:
    """The alert's own translation into ``tag`` (``pl``, ``pt-BR``…), or nothing."""
    translations = alert.get("translations")
    if not isinstance(translations, Mapping) or tag == "en":
        return {}
    by_tag = {str(key).lower(): value for key, value in translations.items()}
    for wanted in (tag.lower(), tag.split("-")[0].lower()):
        found = by_tag.get(wanted)
        if isinstance(found, Mapping) and isinstance(found.get("what_happened"), str):
            return found
    return {}


def alert_rows(
    alert: Mapping[str, Any], labels: Mapping[str, Any], tag: str = "en"
) -> list[tuple[str, str]]:
    """The alert's facts as (label, value), in the member area's order of labels."""
    fields = labels["fields"]
    translated = _translation(alert, tag)
    rows: list[tuple[str, str]] = []

    def add(name: str, value: Any) -> None:
        if value not in (None, "", [], {}):
            rows.append((fields[name], value if isinstance(value, str) else str(value)))

    incident = alert.get("incident") or {}
    add("issued", alert.get("issued"))
    add("incident", ", ".join(str(v) for v in (incident.get("date"), incident.get("time")) if v))
    add("region", _value(labels, "region", alert.get("region")))
    add("area", translated.get("area") or alert.get("area"))
    add("risk", _value(labels, "risk", alert.get("risk")))
    for kind in ("categories", "contact_method"):
        if alert.get(kind):
            add(kind, _value(labels, kind, alert[kind]))
    reading = labels["reading"]
    offender, vehicle = alert.get("offender"), alert.get("vehicle")
    if isinstance(offender, Mapping):
        add("offender", describe_in(offender, reading["description"]))
    if isinstance(vehicle, Mapping):
        add("vehicle", describe_vehicle_in(vehicle, reading["registration"]))
    identifiers = alert.get("identifiers")
    if isinstance(identifiers, Mapping):
        for name, label in reading["identifiers"]:
            values = identifiers.get(name)
            if isinstance(values, list) and values:
                rows.append((label, ", ".join(str(v) for v in values)))
    add("correction", alert.get("correction"))
    add("expires", alert.get("expires"))
    return rows


def plain_text(
    alerts: Sequence[Mapping[str, Any]], labels: Mapping[str, Any], tag: str = "en"
) -> str:
    """``alerts`` as plain, readable text (the member area's "copy as text"): a line per
    fact, then what happened, alerts two blank lines apart."""
    blocks = []
    for alert in alerts:
        risk = _value(labels, "risk", alert.get("risk"))
        lines = [f"{labels['fields']['alert']} {alert.get('number', '')} — {risk}"]
        lines += [f"{label}: {value}" for label, value in alert_rows(alert, labels, tag)]
        translated = _translation(alert, tag)
        text = str(translated.get("what_happened") or alert.get("what_happened") or "").strip()
        if text:
            lines += ["", f"{labels['fields']['what_happened']}:", text]
        blocks.append("\n".join(lines))
    return "\n\n\n".join(blocks) + "\n"


def word_document(
    alerts: Sequence[Mapping[str, Any]], labels: Mapping[str, Any], tag: str = "en"
) -> bytes:
    """A .docx of ``alerts``: a heading, the facts and what happened for each."""
    from docx import Document

    document = Document()
    document.core_properties.title = labels["fields"]["alert"]
    document.core_properties.author = ""  # nothing about who made it
    for alert in alerts:
        number = str(alert.get("number", ""))
        risk = _value(labels, "risk", alert.get("risk"))
        document.add_heading(f"{labels['fields']['alert']} {number} — {risk}", level=1)
        table = document.add_table(rows=0, cols=2)
        for label, value in alert_rows(alert, labels, tag):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        translated = _translation(alert, tag)
        text = str(translated.get("what_happened") or alert.get("what_happened") or "")
        if text:
            document.add_heading(labels["fields"]["what_happened"], level=2)
            for paragraph in text.split("\n\n"):
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
