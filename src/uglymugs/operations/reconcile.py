"""The idempotency ledger against the vault: every claim's report stored, and the reverse.

A claim binds an idempotency key to a report number *before* the report is written,
and the reporter is told the number only *after* the write. So:

- a live claim without its report is a write that has not happened: still running,
  crashed before it (the sender's retry stores the report under that number within
  24 hours), or a report the vault has lost. Someone should look: it needs a human.
- a report without a claim was sent without an idempotency key, or its claim expired
  after 24 hours. Only recent ones are listed, and none needs a human.

Only report numbers and counts are ever shown, never anything a report holds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from uglymugs.config import Settings
from uglymugs.operations.layout import open_existing
from uglymugs.reports.claims import IDEMPOTENCY_TTL, utc_now
from uglymugs.reports.claims.sqlite import live_claim_numbers
from uglymugs.reports.vault.codec import (
    VaultRecordError,
    decode_stored_report,
    is_canonical_number,
)
from uglymugs.reports.vault.files import SUFFIX

LISTED_AT_MOST = 20  # report numbers printed per finding; the count is always exact


@dataclass(frozen=True)
class VaultContents:
    """Every report in a vault directory by number, with when it was received."""

    received: dict[str, str]  # report number -> received_at (ISO 8601, UTC)
    unreadable: tuple[str, ...]  # file names that are not the record they are named for


@dataclass(frozen=True)
class LedgerCheck:
    """What comparing the ledger with the vault found."""

    reports: int
    claims: int
    claims_without_report: tuple[str, ...]
    recent_without_claim: tuple[str, ...]
    unreadable: tuple[str, ...]

    @property
    def needs_human(self) -> bool:
        return bool(self.claims_without_report or self.unreadable)

    def lines(self) -> list[str]:
        """What a person at the terminal is told: counts and report numbers only."""
        lines = [f"Ledger and vault: {self.reports} reports, {self.claims} live claims."]
        if self.claims_without_report:
            lines.append(
                f"  Claims without a report: {_listed(self.claims_without_report)}. Each is a "
                "report whose write never finished: a retry from its sender within 24 hours "
                "stores it under that number; if none comes, or after a restore, the vault "
                "may have lost it (look in the latest backup)."
            )
        if self.recent_without_claim:
            lines.append(
                f"  Reports of the last 24 hours without a claim: "
                f"{_listed(self.recent_without_claim)} (sent without an idempotency key; "
                "nothing to do)."
            )
        if self.unreadable:
            lines.append(
                f"  Unreadable vault files: {_listed(self.unreadable)} (not the sealed record "
                "their name says: restore them from a backup)."
            )
        if not (self.claims_without_report or self.recent_without_claim or self.unreadable):
            lines[0] += " They agree."
        return lines


def read_vault(vault_dir: Path) -> VaultContents:
    """Read every ``<number>.json`` in ``vault_dir``; temporary files are not reports."""
    received: dict[str, str] = {}
    unreadable: list[str] = []
    paths = sorted(vault_dir.glob(f"*{SUFFIX}")) if vault_dir.is_dir() else []
    for path in paths:
        number = path.name.removesuffix(SUFFIX)
        if not is_canonical_number(number):
            continue
        try:
            report = decode_stored_report(path.read_bytes())
        except (OSError, VaultRecordError):
            unreadable.append(path.name)
            continue
        if report.report_number != number:
            unreadable.append(path.name)
            continue
        received[number] = report.received_at
    return VaultContents(received, tuple(unreadable))


def read_claims(db_path: Path, now: datetime) -> set[str]:
    """Report numbers of the live claims in the SQLite file ``db_path``."""
    if not db_path.is_file():
        return set()
    with contextlib.closing(open_existing(db_path)) as connection:
        return live_claim_numbers(connection, now)


def compare(claims: set[str], vault: VaultContents, now: datetime) -> LedgerCheck:
    """The findings for ``claims`` against ``vault`` at ``now``."""
    since = now - IDEMPOTENCY_TTL
    recent = [
        number
        for number, received_at in vault.received.items()
        if number not in claims and _parse(received_at) >= since
    ]
    return LedgerCheck(
        reports=len(vault.received),
        claims=len(claims),
        claims_without_report=tuple(sorted(claims - vault.received.keys())),
        recent_without_claim=tuple(sorted(recent)),
        unreadable=vault.unreadable,
    )


def check_ledger(settings: Settings, now: datetime | None = None) -> LedgerCheck:
    """Compare the data directory's idempotency ledger with its vault."""
    now = now or utc_now()
    return compare(read_claims(settings.state_db, now), read_vault(settings.vault_dir), now)


def _parse(received_at: str) -> datetime:
    try:
        return datetime.fromisoformat(received_at.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=utc_now().tzinfo)


def _listed(numbers: Iterable[str]) -> str:
    numbers = list(numbers)
    shown = ", ".join(numbers[:LISTED_AT_MOST])
    more = f" and {len(numbers) - LISTED_AT_MOST} more" if len(numbers) > LISTED_AT_MOST else ""
    return f"{len(numbers)} ({shown}{more})"
