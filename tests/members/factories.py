"""Members for tests, built the way the join endpoint builds them."""

from __future__ import annotations

from dataclasses import replace

from uglymugs.members.account_mail import AccountMail, MailLimits
from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.directory import Member, new_member_id

CREATED = "2026-11-23T10:00:00Z"


def a_member(username: str = "DaveM", email: str = "dave@example.org", **changes) -> Member:
    member = Member(
        id=new_member_id(),
        membership_type="individual",
        username=username,
        email=email,
        status="pending",
        created_at=CREATED,
        updated_at=CREATED,
    )
    return replace(member, **changes)


def account_mail(mailer, sessions, clock, hourly_cap: int = 200, metrics=None) -> AccountMail:
    """Account e-mail through ``mailer`` with the limits counted in ``sessions``."""
    limits = MailLimits(sessions, CounterKeys.ephemeral(), clock, hourly_cap, metrics)
    return AccountMail(mailer, limits)
