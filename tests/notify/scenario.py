"""A small scheme for the notify tests: signed publications on a shelf, and members."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from nacl.signing import SigningKey

from tests.alerts.bundle_records import record
from tests.members.factories import a_member
from uglymugs.alerts.publish import publish_records
from uglymugs.members.directory import Member, Preferences

KEY_ID = "bundle-notify1"
KEY = SigningKey(b"\x05" * 32)
VERIFY_KEYS = {KEY_ID: bytes(KEY.verify_key)}
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SITE_URL = "https://um.example"
REGION_NAMES = {
    "northumbria": "Northumbria",
    "kent": "Kent",
    "west-yorkshire": "West Yorkshire",
}
# Words of "what happened" that must never be in a subject or an SMS.
GRAPHIC = "held her down and took her phones"


def alert(number: str, **fields):
    """An alert as publish gets it, with a risk and graphic text."""
    fields.setdefault("region", "northumbria")
    fields.setdefault("risk", "high")
    fields.setdefault("text", GRAPHIC)
    return record(number, **fields)


def publish(shelf, records, *, now: datetime = NOW, today: date = TODAY):
    return publish_records(
        records,
        shelf=shelf,
        signing_key=KEY,
        key_id=KEY_ID,
        today=today,
        now=now,
        region_names=REGION_NAMES,
    )


def member(
    username: str,
    *,
    channels=("email",),
    regions=(),
    risks=(),
    discreet=False,
    mobile: str | None = None,
    status: str = "approved",
    **changes,
) -> Member:
    return replace(
        a_member(username, f"{username.lower()}@example.org"),
        status=status,
        mobile=mobile,
        preferences=Preferences(
            channels=tuple(channels),
            regions=tuple(regions),
            risks=tuple(risks),
            discreet_sms=discreet,
            chosen=True,
        ),
        **changes,
    )
