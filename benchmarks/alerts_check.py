"""``alerts check`` at 1,000 and 10,000 alert files, against libyaml reading the same files.

The peer, measured in the same run: read each file and parse its front matter with
PyYAML's ``CSafeLoader`` (libyaml) — the least any check must do. The check reads,
parses with line numbers, validates every field and looks for identifying text
(issue 17: at most 2× the peer). Best of a few rounds, each over the same files, in
wall-clock time and in this process's CPU time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from benchmarks.publish import TODAY, realistic_records, write_alert_files
from uglymugs.alerts.check import alert_files, check_alerts

SIZES = (1_000, 10_000)
ROUNDS = 5


def libyaml_only(directory: Path) -> int:
    """Read each file and load its front matter with libyaml: the peer."""
    loaded = 0
    for path in alert_files(directory):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0].removeprefix("---\n")
        loaded += yaml.load(front, Loader=yaml.CSafeLoader) is not None
    return loaded


def _best_s(*calls) -> tuple[list[float], list[float]]:
    """Each call's best wall-clock and best CPU time over the rounds, taken in turn so
    that both see the same load on a shared machine. CPU time (this process's) is the
    steadier of the two when other work shares the cores."""
    wall = [float("inf")] * len(calls)
    cpu = [float("inf")] * len(calls)
    for _ in range(ROUNDS):
        for index, call in enumerate(calls):
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            cpu[index] = min(cpu[index], time.process_time() - start_cpu)
            wall[index] = min(wall[index], time.perf_counter() - start)
    return wall, cpu


def figures(count: int) -> tuple[str, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "alerts"
        write_alert_files(realistic_records(count), directory)
        result = check_alerts(directory, today=TODAY)
        if not result.ok:
            raise SystemExit(f"generated alerts do not pass: {result.problems[:3]}")
        (peer, check), (peer_cpu, check_cpu) = _best_s(
            lambda: libyaml_only(directory), lambda: check_alerts(directory, today=TODAY)
        )
    return (
        f"{count:,}",
        f"{peer * 1000:,.0f} ms",
        f"{check * 1000:,.0f} ms",
        f"{check / count * 1e6:,.0f} µs",
        f"{check / peer:.1f}×",
        f"{peer_cpu * 1000:,.0f} / {check_cpu * 1000:,.0f} ms",
        f"{check_cpu / peer_cpu:.1f}×",
    )


def main() -> None:
    console = Console(width=140)
    table = Table(title=f"alerts check vs libyaml on the same files (best of {ROUNDS}; goal ≤ 2×)")
    columns = ("files", "libyaml (peer)", "alerts check", "per file", "× peer")
    for column in (*columns, "CPU: peer / check", "CPU × peer"):
        table.add_column(column)
    for count in SIZES:
        table.add_row(*figures(count))
    console.print(table)


if __name__ == "__main__":
    main()
