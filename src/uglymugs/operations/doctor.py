"""``uglymugs doctor``: check a local data directory and clear what crashes leave behind.

It runs at every ``uglymugs dev`` start-up too. It checks every SQLite database with
``PRAGMA integrity_check``, compares the idempotency ledger with the vault
(:mod:`uglymugs.operations.reconcile`), and removes the temporary files an atomic
write leaves when it is killed between writing and linking: each is a full copy of a
sealed report, an e-mail or a key, and nothing would ever remove it. A temporary file
younger than a minute may belong to a write still running, so it is left alone.

>>> print("\\n".join(run_doctor(settings).lines()))  # doctest: +SKIP
Databases: state.sqlite3 ok.
Ledger and vault: 12 reports, 3 live claims. They agree.
Temporary files: none left over.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from uglymugs.config import Settings
from uglymugs.operations.layout import not_state, open_existing, sqlite_databases
from uglymugs.operations.reconcile import LedgerCheck, check_ledger
from uglymugs.private_files import TEMPORARY_PREFIX
from uglymugs.reports.claims import utc_now

# A write takes milliseconds; one whose temporary file is a minute old has died.
TEMPORARY_GRACE = timedelta(minutes=1)
PROBLEMS_SHOWN = 5


@dataclass(frozen=True)
class DatabaseCheck:
    """``PRAGMA integrity_check`` of one database: no problems means "ok"."""

    name: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Leftovers:
    """Temporary files removed, by directory, and those too young to touch."""

    removed: dict[str, int]
    young: int


@dataclass(frozen=True)
class DoctorReport:
    databases: tuple[DatabaseCheck, ...]
    ledger: LedgerCheck
    leftovers: Leftovers

    @property
    def needs_human(self) -> bool:
        return self.ledger.needs_human or any(check.problems for check in self.databases)

    def lines(self) -> list[str]:
        return [*_database_lines(self.databases), *self.ledger.lines(), _leftover_line(self)]


def integrity_problems(db_path: Path) -> tuple[str, ...]:
    """What ``PRAGMA integrity_check`` says is wrong with ``db_path`` (empty when ok)."""
    try:
        with contextlib.closing(open_existing(db_path)) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        return (f"cannot be read as SQLite: {error}",)
    return tuple(str(row[0]) for row in rows if row[0] != "ok")


def remove_leftovers(settings: Settings, now: datetime) -> Leftovers:
    """Remove temporary files (and directories) older than :data:`TEMPORARY_GRACE`."""
    removed: dict[str, int] = {}
    young = 0
    skipped = {settings.data_dir / name for name in not_state(settings)} - {settings.keys_dir}
    for path in sorted(settings.data_dir.rglob(f"{TEMPORARY_PREFIX}*")):
        if any(parent in skipped for parent in path.parents) or not path.exists():
            continue  # the built site is not ours; or removed with its directory
        with contextlib.suppress(FileNotFoundError):
            if now.timestamp() - path.lstat().st_mtime < TEMPORARY_GRACE.total_seconds():
                young += 1
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            where = path.parent.relative_to(settings.data_dir).as_posix()
            removed[where] = removed.get(where, 0) + 1
    return Leftovers(removed, young)


def run_doctor(settings: Settings, now: datetime | None = None) -> DoctorReport:
    """Check everything, remove leftovers, and say what was found and done."""
    now = now or utc_now()
    databases = tuple(
        DatabaseCheck(path.name, integrity_problems(path)) for path in sqlite_databases(settings)
    )
    leftovers = remove_leftovers(settings, now) if settings.data_dir.is_dir() else Leftovers({}, 0)
    return DoctorReport(databases, check_ledger(settings, now), leftovers)


def _database_lines(databases: tuple[DatabaseCheck, ...]) -> list[str]:
    if not databases:
        return ["Databases: none yet."]
    lines = []
    healthy = [check.name for check in databases if not check.problems]
    if healthy:
        lines.append(f"Databases: {', '.join(healthy)} ok (integrity_check).")
    for check in databases:
        if check.problems:
            shown = "; ".join(check.problems[:PROBLEMS_SHOWN])
            lines.append(
                f"Database {check.name} is damaged ({len(check.problems)} problems: {shown}). "
                "Stop the scheme and restore it from a backup."
            )
    return lines


def _leftover_line(report: DoctorReport) -> str:
    removed = report.leftovers.removed
    if removed:
        where = ", ".join(f"{count} in {name}/" for name, count in sorted(removed.items()))
        line = f"Temporary files left by interrupted writes: removed {where}."
    else:
        line = "Temporary files: none left over."
    if report.leftovers.young:
        line += f" {report.leftovers.young} younger than a minute left alone (a write running)."
    return line
