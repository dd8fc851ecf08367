"""Run every benchmark: ``make bench`` or ``python -m benchmarks [NAME ...]``."""

import importlib
import sys

BENCHMARKS = (
    "cli",
    "report_function",
    "functions",
    "publish",
    "alerts_check",
    "members",
    "member_area",
    "notify",
    "backup",
    "lighthouse",
)


def main(names: list[str]) -> int:
    for name in names or BENCHMARKS:
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


raise SystemExit(main(sys.argv[1:]))
