"""Backing up a local scheme of 10,000 reports: time and size against plain ``tar``.

The data directory holds 10,000 sealed reports (3,000 random bytes of ciphertext each,
about what a full report with free text seals to; random, so as incompressible as
real ciphertext) and their 10,000 live idempotency claims in SQLite. Measured, median
of 3 runs: ``uglymugs backup`` (SQLite online backup, ledger before vault, tar streamed
through secretstream to the report key) and ``backup verify``; baseline, same run:
``tar -cf`` of the same database and vault (no consistency, no encryption, no digests).
"""

from __future__ import annotations

import base64
import secrets
import sqlite3
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.operations.backup import create_backup
from uglymugs.operations.restore import verify_backup
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.intake import digest
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.codec import encode_stored_report

REPORTS = 10_000
CIPHERTEXT_BYTES = 3_000
RUNS = 3
PASSPHRASE = "benchmark"  # noqa: S105 - throwaway keys in a temporary directory


def furnish(settings: Settings) -> None:
    """The vault and the ledger of a scheme that took ``REPORTS`` reports today."""
    create_keys(settings.keys_dir, PASSPHRASE, kdf=TEST_KDF)
    SQLiteIdempotencyLedger(settings.state_db)
    settings.vault_dir.mkdir(mode=0o700, parents=True)
    expires = int((datetime.now(UTC) + timedelta(hours=23)).timestamp())
    claims = []
    for _ in range(REPORTS):
        number = new_report_number()
        record = StoredReport(
            number, "report-bench", secrets.token_bytes(CIPHERTEXT_BYTES), "2026-11-29T10:00:00Z"
        )
        (settings.vault_dir / f"{number}.json").write_bytes(encode_stored_report(record))
        claims.append((digest(number.encode()), digest(secrets.token_bytes(8)), number, expires))
    with sqlite3.connect(settings.state_db) as connection:
        connection.executemany("INSERT INTO idempotency_claims VALUES (?, ?, ?, ?)", claims)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        settings = Settings(root / "data")
        furnish(settings)
        backups, verifies, tars = [], [], []
        for run in range(RUNS):
            archive = root / f"run-{run}.backup"
            backups.append(timed(lambda archive=archive: create_backup(settings, archive)))
            verifies.append(timed(lambda a=archive: verify_backup(a, settings, PASSPHRASE)))
            plain = root / f"run-{run}.tar"
            command = ["tar", "-cf", str(plain), "-C", str(settings.data_dir), "state.sqlite3"]
            tars.append(timed(lambda c=command: subprocess.run([*c, "vault"], check=True)))
        sealed_size, tar_size = archive.stat().st_size, plain.stat().st_size
    base = statistics.median(tars)
    table = Table(title=f"Backup of {REPORTS:,} reports (median of {RUNS})")
    for column in ("what", "time", "× tar", "bytes", "× tar bytes"):
        table.add_column(column)
    table.add_row("tar -cf (baseline)", f"{base:.2f} s", "1.00", f"{tar_size:,}", "1.000")
    for label, times in (("uglymugs backup", backups), ("uglymugs backup verify", verifies)):
        median = statistics.median(times)
        table.add_row(
            label,
            f"{median:.2f} s",
            f"{median / base:.2f}",
            f"{sealed_size:,}",
            f"{sealed_size / tar_size:.3f}",
        )
    Console().print(table)
    per_report = base64.b64encode(bytes(CIPHERTEXT_BYTES))
    Console().print(f"(each report file holds {len(per_report):,} bytes of base64 ciphertext)")
