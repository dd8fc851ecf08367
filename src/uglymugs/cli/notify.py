"""``uglymugs notify``: send published alert changes to members, and see how far it got.

    uglymugs notify [--concurrency N] [--take-over]
    uglymugs notify status [ALERT]

``notify`` sends every recent publication not yet fully sent (``uglymugs publish``
already does this after publishing; run it by hand after a failure — it sends nothing
twice that was recorded sent). Deliveries claimed by another run are left to it: notify
says how many and until when, and exits 1 while any are **overdue** (held longer than
a live run holds a claim: :func:`uglymugs.notify.ledger.overdue`), as after a crash.
``--take-over``, for staff who know no other run is alive, ends those claims at once
and sends them. ``status`` counts, per alert version and channel, how many members
were sent it, how many failed, are being retried, are held by a run or still pending.
It never lists members. Services come from the environment, as for the notify function
(:mod:`uglymugs.notify.services`), else the data directory.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from uglymugs.cli import CommandError
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings

if TYPE_CHECKING:
    from uglymugs.notify.ledger import Held


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
    parser.add_argument(
        "--take-over",
        action="store_true",
        help="take over at once deliveries held by other runs (only if none is running)",
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
    console = Console(highlight=False)
    return notify_now(services(settings), console, args.concurrency, args.take_over)


def notify_now(
    notify_services: Any,
    console: Console,
    concurrency: int | None = None,
    take_over: bool = False,
) -> int:
    """Catch up on every publication not yet sent, with a progress bar; print a summary.

    1 while deliveries are held past their expected time by another run (see
    :func:`say_held`), else 0."""
    from uglymugs.notify.publications import PublicationError

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        bar = ProgressBar(progress, "Sending alerts")
        notifier = notify_services.notifier(
            progress=bar, concurrency=concurrency, take_over=take_over
        )
        try:
            report = notifier.catch_up(notify_services.feed)
        except PublicationError as error:
            raise CommandError(str(error)) from None
    told = notify_services.send_applications_digest()
    if told:
        console.print(f"Told staff of {told} new member application(s).", markup=False)
    say_reminders(console, notify_services)
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
    if report.taken_over:
        console.print(
            f"Took over {report.taken_over} deliveries held by other runs.",
            markup=False,
        )
    return say_held(console, report.held, "other runs, so this run did not send them")


def say_reminders(console: Console, notify_services: Any) -> None:
    """Send the mobile number reminders that are due and say how many went."""
    reminders = notify_services.mobile_reminders()
    counts = reminders.send_due() if reminders is not None else {}
    if counts.get("sent") or counts.get("failed"):
        console.print(
            f"Mobile number reminders: {counts.get('sent', 0)} sent, "
            f"{counts.get('failed', 0)} failed (tried again on a later run).",
            markup=False,
        )


def say_held(console: Console, held: Held, by: str = "runs that have not recorded them yet") -> int:
    """Say how many deliveries are held by ``by`` and until when (counts only, never
    who); 1 if any are overdue, else 0."""
    from uglymugs.notify.ledger import CLAIM_OVERDUE

    if not held.count:
        return 0
    console.print(
        f"{held.count} deliveries are held by {by}: claimed since {_when(held.since)}, "
        f"held until {_when(held.until)} at the latest.",
        markup=False,
    )
    if not held.overdue:
        console.print(
            "The run holding them is within its time; should it die, the first run after "
            f"{_when(held.until)} takes them over.",
            markup=False,
        )
        return 0
    minutes = int(CLAIM_OVERDUE.total_seconds() // 60)
    console.print(
        f"{held.overdue} of them are overdue: held for more than {minutes} minutes, "
        "longer than a live run holds them, so the run holding them has probably died. "
        "If no other `uglymugs notify` or `uglymugs publish` is running (and, on AWS, "
        "no notify function), run `uglymugs notify --take-over` to send them now.",
        markup=False,
    )
    return 1


def _pace_text(name: str, count: int, quota: Any, share: float) -> str:
    if quota is None or not quota.rate:
        return f"{name} {count:,} (not paced)"
    return f"{name} {count:,} at {quota.rate * share:.1f} a second"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "unknown"


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.notify.ledger import Held, count_channel, held_counts

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
    for column in ("Members", "Sent", "Failed", "Retrying", "Held", "Pending"):
        table.add_column(column, justify="right")
    deliveries: dict[tuple[str, str], Any] = {}
    held, now = Held(), notify_services.clock()
    all_counts = []
    for plan in plans:
        version = (plan.alert, plan.version)
        if version not in deliveries:
            deliveries[version] = ledger.deliveries(*version).values()
            held += held_counts(deliveries[version], now)
        counts = count_channel(plan, deliveries[version])
        all_counts.append(counts)
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
                    counts.held,
                    counts.pending,
                )
            ),
        )
    console = Console(highlight=False)
    console.print(table)
    say_progress(console, all_counts, notify_services, on_aws=bool(settings.notify_ledger_table))
    say_held(console, held)
    return 0


def say_progress(console: Console, counts: list[Any], notify_services: Any, on_aws: bool) -> None:
    """How many deliveries are settled, how many are left, at what pace, and when the
    rest will be sent (from the accounts' sending rates and what is left)."""
    from uglymugs.notify.fanout import sending_quota
    from uglymugs.notify.pacing import expected_finish

    due = sum(c.recipients for c in counts)
    settled = sum(c.sent + c.failed for c in counts)
    left = {"email": 0, "sms": 0}
    for c in counts:
        left[c.channel] = left.get(c.channel, 0) + c.pending + c.retrying + c.held
    share = getattr(notify_services, "rate_share", 1.0)
    percent = 100 * settled / due if due else 100.0
    console.print(
        f"Progress: {settled:,} of {due:,} deliveries settled ({percent:.1f} %).", markup=False
    )
    if not sum(left.values()):
        return
    paces = {
        "email": sending_quota(notify_services.mailer) if left["email"] else None,
        "sms": sending_quota(notify_services.texter) if left["sms"] else None,
    }
    names = {"email": "e-mail", "sms": "SMS"}
    rates = [_pace_text(names[c], left[c], paces[c], share) for c in names if left[c]]
    now = notify_services.clock()
    finish = expected_finish(now, left, paces, share, on_lambda=on_aws)
    if finish is None or finish == now:
        when = "the next run sends them at once"
    else:
        when = f"expected to finish by {_when(finish)}"
        if on_aws:
            when += " (runs every 15 minutes, each stopping before its time is up)"
    console.print(f"Left: {', '.join(rates)}; {when}.", markup=False)
