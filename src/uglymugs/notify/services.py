"""Everything notify needs, chosen from the environment: AWS when a deployment names it.

Batches sent at once: ``$UGLYMUGS_NOTIFY_CONCURRENCY`` (default 8). The ledger
(``$UGLYMUGS_NOTIFY_LEDGER_TABLE`` or SQLite), the member directory, the
mailer (SES when ``$UGLYMUGS_MAIL_FROM`` is set, with ``$UGLYMUGS_SES_CONFIGURATION_SET``
for bounce and complaint events), the texter (see :mod:`uglymugs.messaging.texter`) and
the bundle shelf with the keys its change records are trusted with.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from uglymugs.config import Settings
from uglymugs.members.directory import MemberDirectory
from uglymugs.messaging.mailer import Mailer, mailer_from_environment
from uglymugs.messaging.texter import Texter
from uglymugs.notify.fanout import DEFAULT_CONCURRENCY, Notifier, Progress
from uglymugs.notify.ledger import NotificationLedger
from uglymugs.notify.publications import PublicationFeed

SITE_URL_VARIABLE = "UGLYMUGS_SITE_URL"
CONCURRENCY_VARIABLE = "UGLYMUGS_NOTIFY_CONCURRENCY"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


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
        )
        if progress is not None:
            notifier.progress = progress
        return notifier


def notify_services_from_environment(environ: Mapping[str, str] | None = None) -> NotifyServices:
    from uglymugs.messaging.texter import texter_from_environment
    from uglymugs.storage import selection

    environ = os.environ if environ is None else environ
    settings = Settings.from_env(environ)
    verify_keys = selection.bundle_verify_keys(environ, settings)
    if verify_keys is None:
        raise NotifySetupError(
            "no bundle verify key: set $UGLYMUGS_BUNDLE_VERIFY_KEYS or create keys "
            "(uglymugs keys init)"
        )
    return NotifyServices(
        ledger=selection.notification_ledger(environ, settings),
        directory=selection.member_directory(environ, settings),
        mailer=mailer_from_environment(environ, settings.data_dir),
        texter=texter_from_environment(environ, settings.data_dir),
        feed=PublicationFeed(selection.bundle_shelf(environ, settings), verify_keys),
        site_url=environ.get(SITE_URL_VARIABLE, DEFAULT_SITE_URL),
        clock=lambda: datetime.now(UTC),
        concurrency=int(environ.get(CONCURRENCY_VARIABLE) or DEFAULT_CONCURRENCY),
    )
