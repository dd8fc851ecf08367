"""Sharing: build and encrypt packets for 1,000 consented incidents, against the bare
``json.dumps`` plus age encryption of the same bytes.

Incidents are built in memory from generated, consented reports (no vault: this
measures the rules, the packet and the encryption). For each incident the same run
times :func:`~uglymugs.sharing.packets.build_packet` + :func:`encrypt` and, as the
peer, ``json.dumps`` of the finished packet's document plus one pyrage encryption of
those bytes to the same recipient. Median of three runs.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from rich.console import Console
from rich.table import Table

SIZE = 1_000
RUNS = 3


def incidents(size: int):
    from uglymugs.reports.incidents import group_incidents
    from uglymugs.reports.reading import OpenedReport

    reports = []
    for index in range(size):
        answers = {
            "incident_date": "2026-11-20",
            "town_or_area": "Ancoats, Manchester",
            "offender_sex": "male",
            "vehicle_registration": f"ZZ{index % 100:02d} ZZZ",
            "what_happened": f"Report {index}: he would not let her leave the car. " * 6,
            "categories": ["rape", "threats"],
            "consent_scas": "yes",
            "contact_preference": "email",
            "contact_details": "someone@example.net",
        }
        content = {"schema": "uglymugs.report/1", "report_type": "full", "reporter": "self"}
        number = f"UM-{index:04d}-AAAA-BBBB"
        reports.append(OpenedReport(number, "2026-11-21", "k", {**content, "answers": answers}))
    return group_incidents(reports)


def main() -> None:
    from uglymugs.sharing.packets import build_packet, encrypt
    from uglymugs.sharing.partners import Partner

    recipient = pyrage.x25519.Identity.generate().to_public()
    partner = Partner(
        "bench-scas", "Bench", "scas", ("all",), "b@example.invalid", str(recipient), True, Path()
    )
    now = datetime.now(UTC)
    built = incidents(SIZE)
    ours, bare = [], []
    for _ in range(RUNS):
        ours_total = bare_total = 0.0
        for incident in built:
            start = time.perf_counter()
            packet = build_packet("scas", incident, partner, now)
            encrypt(packet, partner)
            middle = time.perf_counter()
            pyrage.encrypt(json.dumps(packet.document).encode(), [recipient])
            bare_total += time.perf_counter() - middle
            ours_total += middle - start
        ours.append(ours_total)
        bare.append(bare_total)
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    table = Table(title=f"Sharing: {SIZE:,} consented incidents (median of {RUNS})")
    for column in (
        "bare: json.dumps + age, per packet",
        "share: build + encrypt, per packet",
        "× bare",
    ):
        table.add_column(column)
    table.add_row(
        f"{bare_median / SIZE * 1e6:.0f} µs",
        f"{ours_median / SIZE * 1e6:.0f} µs",
        f"{ours_median / bare_median:.2f}",
    )
    Console().print(table)


if __name__ == "__main__":
    main()
