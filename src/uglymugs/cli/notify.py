"""``uglymugs notify``: send published alert changes to members, and see how far it got.

    uglymugs notify [--concurrency N]
    uglymugs notify status [ALERT]

``notify`` sends every recent publication not yet fully sent (``uglymugs publish``
already does this after publishing; run it by hand after a failure — it never sends
anything twice). ``status`` counts, per alert version and channel, how many members
were sent it, how many failed, are being retried or are still pending. It never lists
members. Services come from the environment, as for the notify function
(:mod:`uglymugs.notify.services`), else the data directory.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from uglymugs.cli import CommandError
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notify", help="send published alert changes to members by e-mail and SMS"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="batches sent at once (default: $UGLYMUGS_NOTIFY_CONCURRENCY or 8)",
    )
    parser.set_defaults(handler=run_notify)
    commands = parser.add_subparsers(dest="notify_command")
    status = commands.add_parser("status", help="sent, failed and pending counts per alert")
    status.add_argument("alert", nargs="?", help="one alert number, e.g. 2026-0008")
    status.set_defaults(handler=run_status)


def services(settings: Settings) -> Any:
    from uglymugs import composition
    from uglymugs.notify.services import NotifySetupError

    try:
        return composition.notify_services(settings)
    except NotifySetupError as error:
        raise CommandError(str(error)) from None


class ProgressBar:
    """Rich's progress bar as notify's :class:`~uglymugs.notify.fanout.Progress`."""

    def __init__(self, progress: Progress, label: str) -> None:
        self._progress = progress
        self._task = progress.add_task(label, total=None)

    def total(self, count: int) -> None:
        self._progress.update(self._task, total=count, completed=0)

    def advance(self, count: int) -> None:
        self._progress.advance(self._task, count)


def run_notify(args: argparse.Namespace, settings: Settings) -> int:
    return notify_now(services(settings), Console(highlight=False), args.concurrency)


def notify_now(notify_services: Any, console: Console, concurrency: int | None = None) -> int:
    """Catch up on every publication not yet sent, with a progress bar; print a summary."""
    from uglymugs.notify.publications import PublicationError

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        bar = ProgressBar(progress, "Sending alerts")
        notifier = notify_services.notifier(progress=bar, concurrency=concurrency)
        try:
            report = notifier.catch_up(notify_services.feed)
        except PublicationError as error:
            raise CommandError(str(error)) from None
    if not report.sequences:
        console.print("Nothing to send: every recent publication has been sent.", markup=False)
        return 0
    table = Table(
        "Channel",
        "Sent",
        "Already sent",
        "Failed",
        "To retry",
        "Not sent (channel failing)",
        title="Publications " + ", ".join(map(str, report.sequences)),
    )
    for channel in ("email", "sms"):
        table.add_row(
            channel,
            *(
                str(getattr(report, name)[channel])
                for name in ("sent", "already_done", "failed", "retrying", "skipped")
            ),
        )
    console.print(table)
    if sum(report.retrying.values()):
        console.print(
            "Some messages failed and will be tried again: run `uglymugs notify` later "
            "(on AWS the schedule does).",
            markup=False,
        )
    return 0


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.notify.ledger import count_channel

    notify_services = services(settings)
    ledger = notify_services.ledger
    plans = ledger.plans(args.alert)
    if not plans:
        what = f"alert {args.alert}" if args.alert else "any alert"
        Console(highlight=False).print(plain(f"No notifications recorded for {what}."))
        return 0
    table = Table(title="Notifications")
    for column in ("Alert", "Version", "Change", "Channel"):
        table.add_column(column, no_wrap=True)
    for column in ("Members", "Sent", "Failed", "Retrying", "Pending"):
        table.add_column(column, justify="right")
    deliveries: dict[tuple[str, str], Any] = {}
    for plan in plans:
        version = (plan.alert, plan.version)
        if version not in deliveries:
            deliveries[version] = ledger.deliveries(*version).values()
        counts = count_channel(plan, deliveries[version])
        table.add_row(
            plain(plan.alert),
            plain(plan.version.removeprefix("withdrawn-")[:8]),
            plain(plan.kind),
            plain(plan.channel),
            *(
                str(value)
                for value in (
                    counts.recipients,
                    counts.sent,
                    counts.failed,
                    counts.retrying,
                    counts.pending,
                )
            ),
        )
    Console(highlight=False).print(table)
    return 0
