"""Mobile numbers kept current: a reminder every six months, a one-tap confirmation.

Sex workers change phones often, and an alert texted to an old number reaches
someone else. A member who gets alerts by SMS is reminded every six months
(:data:`REMINDER_INTERVAL`) to confirm or update their number: by one text from
notify's schedule (:mod:`uglymugs.notify.mobile_reminders`) and in the member area
until they confirm. Confirming (``POST /api/members/me/mobile-confirmed``) starts the
next six months. Periods are counted from the last confirmation (or from joining), so
each period has one stable name and its text goes once.

>>> reminder_period(member, now)  # doctest: +SKIP
'2026-05-23T10:00:00Z+1'
"""

from __future__ import annotations

from datetime import datetime, timedelta

from uglymugs.members.directory import Member, MemberStatus

REMINDER_INTERVAL = timedelta(days=182)  # six months


def _anchor(member: Member) -> str:
    return member.mobile_confirmed_at or member.created_at


def gets_sms(member: Member) -> bool:
    """An approved member with a mobile number who chose alerts by SMS."""
    return (
        member.status == MemberStatus.APPROVED
        and member.mobile is not None
        and "sms" in member.preferences.channels
    )


def reminder_period(member: Member, now: datetime) -> str | None:
    """The name of the reminder period ``member`` is in at ``now`` (the confirmation it
    counts from and how many intervals since), or None when no reminder is due."""
    if not gets_sms(member):
        return None
    anchor = _anchor(member)
    since = datetime.strptime(anchor, "%Y-%m-%dT%H:%M:%S%z")
    periods = (now - since) // REMINDER_INTERVAL
    return f"{anchor}+{periods}" if periods >= 1 else None


def mobile_reminder_due(member: Member, now: datetime) -> bool:
    """Whether the member area asks the member to confirm their number."""
    return reminder_period(member, now) is not None
