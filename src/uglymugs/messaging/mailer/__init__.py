"""Sending e-mail to members: the port.

Adapters: :mod:`.outbox` writes each message to a file under ``<data dir>/outbox`` and
prints one line saying where; :mod:`.ses` sends through SES v2. The console line never
holds the message nor the address: both can identify a member. The composition root
(:mod:`uglymugs.composition`) chooses one from the settings.

>>> mailer = OutboxMailer(settings.data_dir / "outbox")  # doctest: +SKIP
>>> mailer.send("dave@example.org", "Your application", "Thank you …")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Protocol

# Discreet: a lock screen shows the sender's name (the scheme's name is inside messages).
DEFAULT_MAIL_FROM = "Notifications <notices@uglymugs.invalid>"
OUTBOX_DIR = "outbox"


# SES v2 takes up to 50 destinations in one SendEmail call.
SES_MAX_DESTINATIONS = 50


class Mailer(Protocol):
    """Sends one message to one address, or the same message to many."""

    # The most addresses one :meth:`send_to_many` call sends as one message the provider
    # accepts whole (notify records each such call at once, so a crash resends at most one).
    batch_limit: int

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None: ...

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        """The same message to each address; no recipient sees another's address."""
        ...
