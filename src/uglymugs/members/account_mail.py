"""Account e-mail (join, set-password, reset): limited per address and for the scheme.

Anyone can make the member API write to any address, so (issue 12): at most one
e-mail of each kind per address per day (UTC) (report numbers: three), and at most
``$UGLYMUGS_MAIL_HOURLY_CAP`` (default 200) account e-mails an hour for the whole
scheme. Whoever asked gets the same answer either way. When the hourly cap is reached
nothing more is sent that hour; a metric (``AccountMailCapReached``) and a line in
``uglymugs members list --pending`` tell staff. Per-address counters are keyed by
HMAC, never the address.

Subjects are discreet: ``$UGLYMUGS_MAIL_SUBJECT`` or "Your account" (translated), the
same for every kind, because a phone's lock screen shows the subject and the first
line; the scheme's name is only further inside the message.

>>> mail.send("dave@example.org", "password_reset", link=lambda: issue_link(...))  # doctest: +SKIP
True
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.directory import SessionStore
from uglymugs.messaging.mailer import Mailer
from uglymugs.powertools.metrics import MetricsSink

log = logging.getLogger(__name__)

DEFAULT_MAIL_HOURLY_CAP = 200
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SCHEME_KEY = "mail-scheme"  # account e-mails this hour, all addresses together
HELD_BACK_KEY = "mail-held-back"  # e-mails not sent today because of the hourly cap
CAP_METRIC = "AccountMailCapReached"

# Each message template and the kind it is limited as: both answers to an
# application are "application received".
KINDS = {
    "application_received": "application",
    "username_unavailable": "application",
    "join_attempt_with_your_email": "join_attempt",
    "set_password": "set_password",
    "password_reset": "password_reset",
    "report_number": "report_number",
}
# How many e-mails of a kind one address may get a day (UTC); one unless listed. A
# member may make more than one report in a day, and ask for each number.
DAILY_PER_ADDRESS = {"report_number": 3}


@dataclass(frozen=True)
class MailLimits:
    """The per-address and scheme-wide counters, in the session store."""

    store: SessionStore
    keys: CounterKeys
    clock: Callable[[], datetime]
    hourly_cap: int = DEFAULT_MAIL_HOURLY_CAP
    metrics: MetricsSink | None = None

    def claim(self, kind: str, address: str) -> bool:
        """Count one e-mail of ``kind`` to ``address``; False if it must not be sent."""
        now = self.clock()
        address_key = self.keys.key(f"mail:{kind}", address)
        if self.store.add_hit(address_key, DAY, now).count > DAILY_PER_ADDRESS.get(kind, 1):
            log.info(
                "account e-mail not sent: one of this kind already today", extra={"kind": kind}
            )
            return False
        if self.store.add_hit(SCHEME_KEY, HOUR, now).count > self.hourly_cap:
            self.store.remove_hit(address_key, DAY, now)  # this address may still get one later
            self.store.add_hit(HELD_BACK_KEY, DAY, now)
            if self.metrics is not None:
                self.metrics.add_metric(name=CAP_METRIC, unit="Count", value=1)
            log.warning("account e-mail not sent: the scheme's hourly cap is reached")
            return False
        return True

    def release(self, kind: str, address: str, claimed_at: datetime) -> None:
        """Give back a claim whose e-mail could not be sent."""
        self.store.remove_hit(self.keys.key(f"mail:{kind}", address), DAY, claimed_at)
        self.store.remove_hit(SCHEME_KEY, HOUR, claimed_at)

    def held_back_today(self) -> int:
        """How many account e-mails the hourly cap stopped today (UTC), for staff."""
        return self.store.hits(HELD_BACK_KEY, DAY, self.clock()).count


@dataclass(frozen=True)
class AccountMail:
    """Sends account e-mail through :class:`MailLimits` with the discreet subject."""

    mailer: Mailer
    limits: MailLimits
    subject: str | None = None

    def send(self, to: str, message: str, language: str = "en", **context: Any) -> bool:
        """Send template ``message`` to ``to`` in ``language`` if the limits allow; True
        when sent.

        A context value that is callable (a link to issue) is called only once the
        e-mail is allowed, so a held-back e-mail never cancels the link a member has.
        """
        from uglymugs.messaging.messages import render_message

        kind = KINDS[message]
        claimed_at = self.limits.clock()
        if not self.limits.claim(kind, to):
            return False
        try:
            values = _resolved(context)
            subject, text = render_message(message, language, subject=self.subject, **values)
            self.mailer.send(to, subject, text)
        except Exception:
            self.limits.release(kind, to, claimed_at)
            raise
        return True


def _resolved(context: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value() if callable(value) else value for name, value in context.items()}
