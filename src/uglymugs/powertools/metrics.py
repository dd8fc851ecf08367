"""Where the APIs count things: Powertools ``Metrics`` on Lambda, nothing locally.

Counts only (reports received, members joined): never a value, a member or a report.
"""

from __future__ import annotations

from typing import Protocol


class MetricsSink(Protocol):
    """Anything with Powertools' ``add_metric``; ``None`` where nothing is counted."""

    def add_metric(self, name: str, unit: str, value: float) -> None: ...
