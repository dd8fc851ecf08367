"""The staff console: unlock and list 1,000 and 10,000 reports, against decrypting them bare.

For each size, a local vault of generated reports (partials, each third one followed
up) is read three ways in the same run, interleaved: the peer, ``open_vault`` (every
report fetched, decrypted and parsed, nothing else); the console's unlock (the same,
plus grouping into incidents and the search text) until the triage queue's first page
is served; and a queue page after that (filter and search in memory, no decryption).
Keys are sealed with the cheapest Argon2id so the passphrase's cost (about 0.5 s at
the default, once per unlock) does not hide the rest.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from nacl.public import PublicKey, SealedBox
from rich.console import Console
from rich.table import Table

SIZES = (1_000, 10_000)
RUNS = 3
PASSPHRASE = "benchmark-violet-harbour-tangent"  # noqa: S105 - benchmark keys only
PORT = 8765
TOWNS = ("Middlesbrough", "Leeds", "Cardiff", "somewhere", "Glasgow")


def fill_vault(directory: Path, size: int):
    from uglymugs.crypto import TEST_KDF, create_keys
    from uglymugs.reports.numbers import new_report_number
    from uglymugs.reports.vault import StoredReport
    from uglymugs.reports.vault.files import LocalReportVault

    public = create_keys(directory / "keys", PASSPHRASE, kdf=TEST_KDF)
    box = SealedBox(PublicKey(public.report_public_key))
    vault = LocalReportVault(directory / "vault")
    previous = None
    for index in range(size):
        follow = index % 3 == 2 and previous
        content = {
            "schema": "uglymugs.report/1",
            "report_type": "follow_up" if follow else "partial",
            "follows": previous if follow else None,
            "reporter": "self",
            "language": "en",
            "answers": {
                "what_happened": f"Report {index}: he refused to pay and threatened me. " * 4,
                "town_or_area": TOWNS[index % len(TOWNS)],
                "incident_date": f"2026-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
                "categories": ["threats", "non_payment"],
                "consent_alert": "yes" if index % 2 else "no",
                "contact_preference": "phone" if index % 4 == 0 else "none",
            },
        }
        number = new_report_number()
        sealed = box.encrypt(json.dumps(content).encode())
        received = f"2026-11-{index % 28 + 1:02d}T{index % 24:02d}:{index % 60:02d}:00Z"
        vault.put_new(StoredReport(number, public.report_key_id, sealed, received))
        previous = number
    return vault


def bare(directory: Path, vault) -> float:
    from uglymugs.crypto.keys import unlock_report_keys
    from uglymugs.reports.reading import open_vault

    start = time.perf_counter()
    open_vault(vault, unlock_report_keys(directory / "keys", PASSPHRASE))
    return time.perf_counter() - start


def console(directory: Path, vault) -> tuple[float, float]:
    """Seconds to an interactive queue (unlock + first page), then one searched page."""
    from starlette.testclient import TestClient

    from uglymugs.audit.log.sqlite import SQLiteAuditLog
    from uglymugs.cases.store.sqlite import SQLiteCaseStore
    from uglymugs.staff.app import create_staff_app
    from uglymugs.staff.guard import Tickets, allowed_hosts
    from uglymugs.staff.services import ConsoleServices
    from uglymugs.staff.unlocked import Keyholder

    db = directory / f"state-{time.monotonic_ns()}.sqlite3"
    services = ConsoleServices(
        staff_name="bench",
        keyholder=Keyholder(directory / "keys", vault, SQLiteCaseStore(db)),
        audit_log=SQLiteAuditLog(db),
        checkout=directory,
        report_keyring=lambda: None,  # type: ignore[arg-type,return-value]
    )
    tickets = Tickets()
    origin = f"http://127.0.0.1:{PORT}"
    client = TestClient(create_staff_app(services, tickets, allowed_hosts(PORT)), base_url=origin)
    client.get(f"/launch?token={tickets.launch_token}")
    headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
    start = time.perf_counter()
    client.post("/unlock", data={"passphrase": PASSPHRASE}, headers=headers)
    assert client.get("/queue").status_code == 200
    ready = time.perf_counter() - start
    start = time.perf_counter()
    client.get("/queue?search=report 99&consent=consent_alert&consent_value=yes&region=cleveland")
    return ready, time.perf_counter() - start


def main() -> None:
    table = Table(title=f"Staff console: unlock and list (median of {RUNS})")
    for column in (
        "reports",
        "bare: decrypt all",
        "console: to the queue",
        "× bare",
        "a filtered, searched page after",
    ):
        table.add_column(column)
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            directory = Path(folder)
            vault = fill_vault(directory, size)
            bare_times, ready_times, page_times = [], [], []
            for _ in range(RUNS):
                bare_times.append(bare(directory, vault))
                ready, page = console(directory, vault)
                ready_times.append(ready)
                page_times.append(page)
        bare_median, ready_median = statistics.median(bare_times), statistics.median(ready_times)
        table.add_row(
            f"{size:,}",
            f"{bare_median:.2f} s",
            f"{ready_median:.2f} s",
            f"{ready_median / bare_median:.2f}",
            f"{statistics.median(page_times) * 1000:.0f} ms",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
