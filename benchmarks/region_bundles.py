"""How much a member who chose a few regions saves by downloading only their bundles.

The member area reads the chosen regions' own bundles (``alerts-region-<id>.json``)
when a member chose at most one in four of the police force areas, and the bundle of
every alert (``alerts-all.json``) otherwise. This measures the bytes of each, as
``publish`` builds them from the publish benchmark's generated alerts (spread evenly
at random over the 45 areas), uncompressed and gzipped (level 6, about what a CDN
uses). The chosen regions are those of median size: the region whose bundle is the
median one, and for three regions the three around it. The peer is the bundle of
every alert, from the same records.

A benchmark, never a test: sizes, not times, so the machine's load does not matter.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime

from rich.console import Console
from rich.table import Table

from benchmarks.publish import as_records, realistic_records
from uglymugs.alerts.bundles import build_bundles
from uglymugs.alerts.publish import region_names

SIZES = (10_000, 25_000)
CHOSEN = (1, 3)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
PREFIX, SUFFIX = "alerts-region-", ".json"


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def median_regions(regional: dict[str, bytes], count: int) -> list[str]:
    """``count`` regions around the median-sized one (by uncompressed bytes)."""
    ordered = sorted(regional, key=lambda name: (len(regional[name]), name))
    middle = len(ordered) // 2
    start = max(0, middle - count // 2)
    return ordered[start : start + count]


def sizes(count: int) -> dict[str, dict[str, int]]:
    """``{"all": {...}, "1": {...}, "3": {...}}``: bytes and gzip bytes of each download."""
    files = build_bundles(
        as_records(realistic_records(count)),
        sequence=1,
        generated_at=NOW,
        today=TODAY,
        region_names=region_names(),
    )
    regional = {
        name: data
        for name, data in files.items()
        if name.startswith(PREFIX) and name.endswith(SUFFIX)
    }
    whole = files["alerts-all.json"]
    found = {"all": {"bytes": len(whole), "gzip": gzipped(whole), "alerts": count}}
    for chosen in CHOSEN:
        names = median_regions(regional, chosen)
        found[str(chosen)] = {
            "bytes": sum(len(regional[name]) for name in names),
            "gzip": sum(gzipped(regional[name]) for name in names),
            "alerts": sum(len(json.loads(regional[name])["alerts"]) for name in names),
        }
    return found


def main() -> None:
    console = Console(width=140)
    table = Table(title="Region-only downloads against the bundle of every alert (same records)")
    for column in (
        "alerts",
        "download",
        "alerts in it",
        "bytes",
        "× all",
        "gzip bytes",
        "× all (gzip)",
    ):
        table.add_column(column)
    for count in SIZES:
        with console.status(f"building bundles of {count:,} alerts…"):
            found = sizes(count)
        whole = found["all"]
        for key, label in (("all", "every alert"), *((str(n), f"{n} region(s)") for n in CHOSEN)):
            each = found[key]
            table.add_row(
                f"{count:,}",
                label,
                f"{each['alerts']:,}",
                f"{each['bytes']:,}",
                f"{each['bytes'] / whole['bytes']:.3f}",
                f"{each['gzip']:,}",
                f"{each['gzip'] / whole['gzip']:.3f}",
            )
    console.print(table)


if __name__ == "__main__":
    main()
