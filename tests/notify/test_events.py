"""The notify function's metrics: sends and failures by channel, and overdue holds."""

from __future__ import annotations

from uglymugs.notify.events import record_metrics


class RecordingMetrics:
    def __init__(self) -> None:
        self.metrics: list[tuple[str, str, float]] = []

    def add_metric(self, name: str, unit: str, value: float) -> None:
        self.metrics.append((name, unit, value))


def test_deliveries_held_overdue_by_a_dead_run_are_a_metric_to_alarm_on():
    sink = RecordingMetrics()
    record_metrics(sink, {"sent": {"email": 2}, "held_by_other_runs": 5, "held_overdue": 3})
    assert sink.metrics == [
        ("NotificationsSent_email", "Count", 2),
        ("NotificationsHeldOverdue", "Count", 3),
    ]
    quiet = RecordingMetrics()
    record_metrics(quiet, {"sent": {}, "held_by_other_runs": 5, "held_overdue": 0})
    assert quiet.metrics == []  # held by a live run: nothing wrong
