"""Run every benchmark: ``make bench`` or ``python -m benchmarks [NAME ...]``."""

import importlib
import sys

BENCHMARKS = (
    "cli",
    "report_function",
    "report_api_load",
    "functions",
    "publish",
    "members",
    "notify",
    "backup",
    "staff",
    "alerts_check",
    "member_area",
    "region_bundles",
    "lighthouse",
    "report_seal",
    "seo",
    "sharing",
    "report_index",
    "links",
)


def main(names: list[str]) -> int:
    for name in names or BENCHMARKS:
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


raise SystemExit(main(sys.argv[1:]))
