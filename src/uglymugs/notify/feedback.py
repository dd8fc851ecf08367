"""Delivery feedback: SES bounces and complaints, SNS SMS opt-outs mark a channel failing.

A member's channel is marked failing (see :meth:`Member.channel_failing`) when messages
on it stop reaching them or they asked for no more: fan-out then skips it and counts
it, and staff see it in ``uglymugs members list``. Saving preferences that include the
channel again clears it.

- **E-mail**: SES publishes bounce and complaint notifications to an SNS topic that
  invokes the notify function. Both shapes are read: identity notifications
  (``notificationType``) and configuration-set event publishing (``eventType``). A
  permanent bounce or a complaint marks ``email`` failing for the member with that
  address, whatever their status; transient and undetermined bounces mark nothing (SES
  retries those itself). Only the recipients named in ``bouncedRecipients`` or
  ``complainedRecipients`` are marked, never the rest of ``mail.destination``: one
  message goes to up to 50 members in Bcc.
- **SMS**: a member who replies STOP is put on SNS's opted-out list, which no event
  announces; :func:`mark_opted_out` reads the list and marks ``sms`` failing for every
  approved member whose mobile is on it.

The results are counts only: these notifications carry addresses, which are never
logged nor returned.

>>> if is_feedback_event(event):  # doctest: +SKIP
...     result = handle_feedback_event(event, directory, now)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any

from uglymugs.members.directory import Member, MemberDirectory, MemberStatus
from uglymugs.messaging.texter import Texter

PERMANENT_BOUNCE = "permanent bounce"
COMPLAINT = "complaint"
OPTED_OUT = "opted out"
SNS_EVENT_SOURCE = "aws:sns"


@dataclass
class FeedbackResult:
    """What one batch of feedback did, in counts."""

    notifications: int = 0  # SES notifications read (one per SNS record)
    ignored: int = 0  # notifications that mark nothing: transient bounces, deliveries, unreadable
    marked: int = 0  # channels newly marked failing
    already_failing: int = 0  # channels that were failing already
    unknown: int = 0  # addresses no member has; opted-out numbers no approved member has

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def is_feedback_event(event: Any) -> bool:
    """Whether a Lambda ``event`` is a batch of SNS records (SES delivery feedback)."""
    if not isinstance(event, dict):
        return False
    records = event.get("Records")
    return (
        isinstance(records, list)
        and bool(records)
        and all(
            isinstance(record, dict) and record.get("EventSource") == SNS_EVENT_SOURCE
            for record in records
        )
    )


def handle_feedback_event(
    event: Mapping[str, Any], directory: MemberDirectory, now: datetime
) -> FeedbackResult:
    """Mark ``email`` failing for each permanently bounced or complaining recipient."""
    result = FeedbackResult()
    for record in event.get("Records", []):
        result.notifications += 1
        found = _failing_addresses(record)
        if found is None:
            result.ignored += 1
            continue
        reason, addresses = found
        for address in addresses:
            member = directory.find(address) if "@" in address else None
            if member is None:
                result.unknown += 1
            else:
                _mark(directory, member, "email", reason, now, result)
    return result


def mark_opted_out(directory: MemberDirectory, texter: Texter, now: datetime) -> FeedbackResult:
    """Mark ``sms`` failing for every approved member whose mobile opted out of SMS."""
    numbers = texter.opted_out()
    result = FeedbackResult()
    held = set()
    for member in directory.members():
        if member.status != MemberStatus.APPROVED or member.mobile not in numbers:
            continue
        held.add(member.mobile)
        _mark(directory, member, "sms", OPTED_OUT, now, result)
    result.unknown = len(numbers - held)
    return result


def _failing_addresses(record: Any) -> tuple[str, set[str]] | None:
    """Why and which addresses a record marks failing; None when it marks none."""
    try:
        message = json.loads(record["Sns"]["Message"])
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(message, dict) or record.get("EventSource") != SNS_EVENT_SOURCE:
        return None
    kind = message.get("notificationType") or message.get("eventType")
    if kind == "Bounce":
        bounce = message.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return None
        reason, recipients = PERMANENT_BOUNCE, bounce.get("bouncedRecipients")
    elif kind == "Complaint":
        complaint = message.get("complaint") or {}
        reason, recipients = COMPLAINT, complaint.get("complainedRecipients")
    else:
        return None
    addresses = {
        parseaddr(recipient["emailAddress"])[1].strip().lower()
        for recipient in recipients or ()
        if isinstance(recipient, dict) and isinstance(recipient.get("emailAddress"), str)
    }
    addresses.discard("")
    return (reason, addresses) if addresses else None


def _mark(
    directory: MemberDirectory,
    member: Member,
    channel: str,
    reason: str,
    now: datetime,
    result: FeedbackResult,
) -> None:
    if member.channel_failing(channel):
        result.already_failing += 1
        return
    directory.save(member.with_channel_failing(channel, reason, now))
    result.marked += 1
