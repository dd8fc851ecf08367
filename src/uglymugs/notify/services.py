"""Everything notify needs: the ledger, the member directory, the mailer, the texter,
the bundle shelf with the keys its change records are trusted with, and the partners
(bureaus, regional units) sent alerts beside members.

:func:`uglymugs.composition.notify_services` builds them from the settings (AWS when a
deployment names its resources, the local adapters otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from uglymugs.members.directory import MemberDirectory
from uglymugs.messaging.mailer import Mailer
from uglymugs.messaging.texter import Texter
from uglymugs.notify.fanout import DEFAULT_CONCURRENCY, Notifier, Progress
from uglymugs.notify.ledger import NotificationLedger
from uglymugs.notify.pacing import Deadline
from uglymugs.notify.publications import PublicationFeed
from uglymugs.notify.recipients import AlertPartner

if TYPE_CHECKING:
    from uglymugs.notify.mobile_reminders import MobileReminders


class NotifySetupError(Exception):
    """Notify cannot run: no bundle verify key to trust change records with."""


@dataclass(frozen=True)
class NotifyServices:
    ledger: NotificationLedger
    directory: MemberDirectory
    mailer: Mailer
    texter: Texter
    feed: PublicationFeed
    site_url: str
    clock: Callable[[], datetime]
    concurrency: int = DEFAULT_CONCURRENCY
    # The part of the account's sending rates one run uses (``notify_rate_share``).
    rate_share: float = 1.0
    # The Lambda invocation being served (its remaining time stops a run in time).
    lambda_context: Any = None
    # Where the daily count of new member applications goes (None: not sent).
    staff_digest_email: str | None = None
    # Force intelligence bureaus and regional units (from the partner directory).
    partners: tuple[AlertPartner, ...] = ()
    # Text SMS members every six months to confirm their number (``mobile_reminders``).
    send_mobile_reminders: bool = False

    def for_invocation(self, context: Any) -> NotifyServices:
        """These services for one Lambda invocation: its runs stop claiming in time."""
        return replace(self, lambda_context=context)

    def send_applications_digest(self) -> int:
        """Today's e-mail to staff about new applications, if due (notify/staff_digest.py)."""
        from uglymugs.notify.staff_digest import send_applications_digest

        return send_applications_digest(
            self.directory, self.mailer, self.ledger, self.staff_digest_email, self.clock()
        )

    def mobile_reminders(self) -> MobileReminders | None:
        """The six-monthly number reminders, when the settings turn them on."""
        if not self.send_mobile_reminders:
            return None
        from uglymugs.notify.mobile_reminders import MobileReminders

        return MobileReminders(self.ledger, self.directory, self.texter, self.site_url, self.clock)

    def notifier(
        self,
        progress: Progress | None = None,
        concurrency: int | None = None,
        take_over: bool = False,
    ) -> Notifier:
        from uglymugs.alerts.regions import load_regions

        names = {region_id: region.name for region_id, region in load_regions().items()}
        notifier = Notifier(
            ledger=self.ledger,
            directory=self.directory,
            mailer=self.mailer,
            texter=self.texter,
            site_url=self.site_url,
            region_names=names,
            clock=self.clock,
            concurrency=concurrency or self.concurrency,
            take_over=take_over,
            deadline=Deadline(self.lambda_context),
            rate_share=self.rate_share,
            partners=self.partners,
        )
        if progress is not None:
            notifier.progress = progress
        return notifier
