"""What a provider lets the account send: a rate and a 24-hour quota.

SES says both (SES v2 ``GetAccount``: ``SendQuota.MaxSendRate`` recipients a second,
``Max24HourSend`` and ``SentLast24Hours``). SNS says neither through its API: its
``GetSMSAttributes`` holds a monthly spend limit in dollars, not a rate. Its default
account quota for transactional SMS is 20 a second (an origination number may allow
fewer), so SMS go at :data:`DEFAULT_SMS_RATE`, half of that, unless
``UGLYMUGS_NOTIFY_SMS_RATE`` says what the account allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_SMS_RATE = 10.0


@dataclass(frozen=True)
class SendingQuota:
    """``rate`` recipients a second, and ``remaining`` more in the next 24 hours (None:
    not limited, or not known)."""

    rate: float | None
    remaining: int | None = None


def ses_quota(account: Mapping[str, Any]) -> SendingQuota:
    """The quota in an SES v2 ``GetAccount`` answer (``Max24HourSend`` -1: unlimited)."""
    quota = account.get("SendQuota", {})
    rate = quota.get("MaxSendRate")
    daily, sent = quota.get("Max24HourSend"), quota.get("SentLast24Hours", 0)
    remaining = None if daily is None or daily < 0 else max(int(daily - sent), 0)
    return SendingQuota(float(rate) if rate else None, remaining)
