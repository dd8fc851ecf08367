"""Alerts: sanitised warnings drafted by staff from reports, checked, then published.

An alert is a Markdown file in ``site/alerts/`` (format: ``docs/alerts.md``). The
public API is re-exported here and imported on first use, so that code needing only
one part (a function verifying bundles, say) does not load the rest.

>>> from uglymugs.alerts import check_alerts, normalise_phone
>>> normalise_phone("07700 900123")
'+447700900123'
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Alert": "model",
    "PLACEHOLDER": "model",
    "WARNING_CODES": "model",
    "CheckResult": "check",
    "ERROR_CODES": "check",
    "LoadedAlert": "check",
    "Problem": "check",
    "check_alerts": "check",
    "IdentifierError": "identifiers",
    "normalise_email": "identifiers",
    "normalise_phone": "identifiers",
    "normalise_plate": "identifiers",
    "normalise_username": "identifiers",
    "Region": "regions",
    "load_regions": "regions",
    "AlertNumberError": "numbering",
    "next_number": "numbering",
    "DraftError": "drafting",
    "NoConsentError": "drafting",
    "blank_alert": "drafting",
    "draft_from_incident": "drafting",
    "draft_from_report": "drafting",
    "write_new_alert": "drafting",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
