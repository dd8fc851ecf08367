"""A valid alert to change one thing at a time, for the check and model tests."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml

TODAY = date(2026, 11, 23)
BODY = "He refused to pay and pushed her over as she left."
DELETE = object()


def base_fields() -> dict[str, Any]:
    return {
        "number": "2026-0042",
        "status": "published",
        "issued": "2026-11-20",
        "incident": {"date": "2026-11-18", "time": "21:30–22:00"},
        "region": "greater-manchester",
        "area": "Manchester city centre",
        "categories": ["violence", "non_payment"],
        "risk": "high",
        "contact_method": ["street"],
        "offender": {"sex": "male", "age": "40s", "build": "stocky", "glasses": "no"},
        "vehicle": {"make": "Ford", "colour": "white", "registration": "ZZ99 Z"},
        "identifiers": {
            "phones": ["+447700900123"],
            "emails": ["dave@example.org"],
            "usernames": ["DaveM"],
            "sites": ["escorts.example.org"],
            "plates": ["ZZ99ZZZ"],
        },
    }


def fields_with(changes: dict[str, Any]) -> dict[str, Any]:
    """The base fields with ``changes`` merged in; ``DELETE`` removes a key."""
    fields = base_fields()
    _merge(fields, changes)
    return fields


def alert_text(changes: dict[str, Any] | None = None, body: str = BODY) -> str:
    front = yaml.safe_dump(fields_with(changes or {}), sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{body}\n"


def write_alert(
    directory: Path, changes: dict[str, Any] | None = None, body: str = BODY, name: str = ""
) -> Path:
    fields = fields_with(changes or {})
    path = directory / (name or f"{fields.get('number', 'alert')}.md")
    path.write_text(alert_text(changes, body), encoding="utf-8")
    return path


def _merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if value is DELETE:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
