"""The six-monthly SMS asking members to confirm or update their mobile number.

Runs on notify's schedule (``{"catch_up": true}``, every 15 minutes on AWS; each
``uglymugs notify`` run locally), when ``UGLYMUGS_MOBILE_REMINDERS`` is on. Who is due
and the period's name come from :mod:`uglymugs.members.mobile_numbers`; each text is a
delivery in the notification ledger keyed by that period, so it is claimed before it
is sent and recorded straight after.

**Never twice**, where alerts prefer a rare duplicate to a missed warning: a reminder's
claim is a lease of a year (:data:`REMINDER_LEASE`, longer than any period), so a run
that died after the provider took the text and before it was recorded leaves the
claim held, and no later run sends it again. A reminder lost that way costs little:
the member area asks the member too until they confirm. A text the provider refused
is recorded failed and tried again by a later run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from uglymugs.languages import BY_CODE, SOURCE
from uglymugs.members.directory import Member, MemberDirectory
from uglymugs.members.mobile_numbers import reminder_period
from uglymugs.messaging.messages import render_text
from uglymugs.messaging.texter import Texter
from uglymugs.notify.fanout import error_code, is_permanent
from uglymugs.notify.ledger import Channel, DeliveryKey, NotificationLedger, retry_delay

log = logging.getLogger(__name__)

REMINDER = "mobile-reminder"  # the ledger's "alert" of these deliveries
REMINDER_LEASE = timedelta(days=365)
MOBILE_PATH = "/members/#mobile-section"


@dataclass(frozen=True)
class MobileReminders:
    """Texts every member whose period is due, once per period."""

    ledger: NotificationLedger
    directory: MemberDirectory
    texter: Texter
    site_url: str
    clock: Callable[[], datetime]

    def send_due(self) -> Counter[str]:
        """Send the reminders due now; counts of ``sent``, ``failed`` and ``already_sent``."""
        counts: Counter[str] = Counter()
        now = self.clock()
        due = {}
        for member in self.directory.members():
            period = reminder_period(member, now)
            if period is not None and not member.channel_failing(Channel.SMS.value):
                due[DeliveryKey(REMINDER, period, Channel.SMS.value, member.id)] = member
        if not due:
            return counts
        claimed = self.ledger.claim(list(due), now, lease=REMINDER_LEASE)
        counts["already_sent"] = len(due) - len(claimed)
        for key in claimed:
            counts[self._send(key, due[key])] += 1
        return counts

    def _send(self, key: DeliveryKey, member: Member) -> str:
        language = BY_CODE.get(member.language, SOURCE)
        link = self.site_url.rstrip("/") + language.path(MOBILE_PATH)
        text = render_text(
            "mobile_reminder_sms",
            language.code,
            discreet=member.preferences.discreet_sms,
            link=link,
        )
        try:
            self.texter.send(member.mobile or "", text)
        except Exception as error:
            retry_at = None if is_permanent(error) else self.clock() + retry_delay(1)
            self.ledger.record_failed([key], self.clock(), error_code(error), retry_at)
            log.warning("mobile reminder failed", extra={"error": error_code(error)})
            return "failed"
        self.ledger.record_sent([key], self.clock())
        return "sent"
