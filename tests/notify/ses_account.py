"""SES v2 clients for the notify tests: moto's, plus what moto lacks or cannot do.

moto has no ``GetAccount``; :class:`SESAccount` answers it with the quota a test
chooses and passes every other call to moto's client. It can also refuse some
``SendEmail`` calls the way SES does when the account sends too fast (``Throttling``,
"Maximum sending rate exceeded"), and note when each accepted call was made on the
test's clock. It is given to :class:`~uglymugs.messaging.mailer.SESMailer` through its
``client`` seam.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError


def throttling() -> ClientError:
    return ClientError(
        {"Error": {"Code": "Throttling", "Message": "Maximum sending rate exceeded."}},
        "SendEmail",
    )


class SESAccount:
    """moto's SES v2 client with an account quota of ``rate`` recipients a second and
    ``daily`` a day (``sent`` of them spent); ``throttle(n)`` says whether the n-th
    ``SendEmail`` call (from 1) is refused as too fast."""

    def __init__(
        self,
        inner: Any,
        rate: float = 1000.0,
        daily: float = 1_000_000.0,
        sent: float = 0.0,
        throttle: Callable[[int], bool] = lambda call: False,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.inner, self.rate, self.daily, self.sent = inner, rate, daily, sent
        self.throttle, self.clock = throttle, clock
        self.calls = 0
        self.throttled = 0
        self.accepted: list[tuple[float, int]] = []  # (when, recipients) of each accepted call

    def get_account(self) -> dict[str, Any]:
        return {
            "SendQuota": {
                "MaxSendRate": self.rate,
                "Max24HourSend": self.daily,
                "SentLast24Hours": self.sent,
            },
            "ProductionAccessEnabled": True,
            "SendingEnabled": True,
        }

    def send_email(self, **arguments: Any) -> dict[str, Any]:
        self.calls += 1
        if self.throttle(self.calls):
            self.throttled += 1
            raise throttling()
        answer = self.inner.send_email(**arguments)
        destination = arguments["Destination"]
        recipients = sum(len(v) for v in destination.values())
        self.accepted.append((self.clock() if self.clock else 0.0, recipients))
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
