"""What the notify function does with an event: send publications, or record feedback.

Two kinds of event reach it: ``{"sequence": N}`` from ``uglymugs publish`` (or
``{"catch_up": true}`` from the schedule that retries failures), and SNS deliveries of
SES bounce and complaint notifications. Before sending, SMS opt-outs are read once from
SNS, so a member who replied STOP is marked failing rather than texted. The answer and
the metrics are counts only. The schedule's catch-up also sends the six-monthly
mobile number reminders that are due (:mod:`uglymugs.notify.mobile_reminders`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from uglymugs.notify.feedback import handle_feedback_event, is_feedback_event, mark_opted_out
from uglymugs.notify.services import NotifyServices
from uglymugs.powertools.metrics import MetricsSink


def handle_event(event: Mapping[str, Any], services: NotifyServices) -> dict[str, Any]:
    """Handle one notify event and return a summary of counts."""
    now = services.clock()
    if is_feedback_event(event):
        result = handle_feedback_event(event, services.directory, now)
        return {"feedback": result.as_dict()}
    mark_opted_out(services.directory, services.texter, now)
    report = services.notifier().catch_up(services.feed)
    reminders = services.mobile_reminders() if event.get("catch_up") else None
    reminded = reminders.send_due() if reminders is not None else {}
    return {
        "applications_digest": services.send_applications_digest(),
        "sequences": report.sequences,
        "sent": dict(report.sent),
        "failed": dict(report.failed),
        "retrying": dict(report.retrying),
        "already_sent": dict(report.already_done),
        "not_sent_channel_failing": dict(report.skipped),
        "held_by_other_runs": report.held.count,
        "held_overdue": report.held.overdue,  # the run holding them has probably died
        # Not claimed: out of time or the day's quota spent; the catch-up schedule sends.
        "deferred": dict(report.deferred),
        "out_of_time": report.out_of_time,
        "mobile_reminders": dict(reminded),
    }


def record_metrics(metrics: MetricsSink, summary: Mapping[str, Any]) -> None:
    """Notifications sent and failed, by channel, and deliveries held overdue by a run
    that probably died, as Powertools metrics."""
    for name, key in (
        ("NotificationsSent", "sent"),
        ("NotificationsFailed", "failed"),
        ("NotificationsDeferred", "deferred"),
    ):
        for channel, count in summary.get(key, {}).items():
            metrics.add_metric(name=f"{name}_{channel}", unit="Count", value=count)
    if summary.get("held_overdue"):
        metrics.add_metric(
            name="NotificationsHeldOverdue", unit="Count", value=summary["held_overdue"]
        )
