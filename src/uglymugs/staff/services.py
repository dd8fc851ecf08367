"""What the console works with, assembled once by the command (``uglymugs staff``).

The console's pages call domain functions through this one object: the report vault
and keys (through the :class:`~uglymugs.staff.unlocked.Keyholder`), casework, the
audit log, the member directory's staff actions, the notify ledger and publication
feed, and the staff member's git checkout. The command builds it from the same
settings as every other command, through :mod:`uglymugs.composition`, so it works
against the data directory or a deployed stack alike; tests build it from local
adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uglymugs.audit.log import AuditEntry, AuditLog
from uglymugs.audit.trail import entries_for, record
from uglymugs.members.staff import StaffActions
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.staff.unlocked import Keyholder

if TYPE_CHECKING:
    from uglymugs.sharing.ledger import ShareRecord
    from uglymugs.sharing.sending import SendingServices


@dataclass
class ConsoleServices:
    """Everything the console's pages need; built by the command or a test."""

    staff_name: str
    keyholder: Keyholder
    audit_log: AuditLog
    checkout: Path  # the staff member's git checkout (holds site/alerts)
    report_keyring: Callable[[], ReportKeyRing]
    members: StaffActions | None = None
    notify_ledger: Any = None
    publications: Any = None  # a notify PublicationFeed, when a verify key is known
    sharing_ledger: AuditLog | None = None  # what was shared (the due filters)
    survey_store: Any = None  # the member survey's answers (the figures page)
    figures_suppressed_below: int = 5  # the figures page hides counts from 1 to this − 1
    partners_dir: Path | None = None  # the partner directory (share buttons)
    sending: SendingServices | None = None  # e-mailing packets (share buttons)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        self.keyholder.on_lock = lambda why: self.audit("lock", [], why)

    @property
    def alerts_dir(self) -> Path:
        return self.checkout / "site" / "alerts"

    def audit(self, action: str, targets: Iterable[str], detail: str = "") -> None:
        """Record what this staff member did (never content) in the audit trail."""
        record(self.audit_log, self.staff_name, action, targets, detail, self.clock)

    def shared_actions(self) -> dict[str, set[str]]:
        """Report numbers and the share actions their incidents had (empty: no ledger)."""
        from uglymugs.sharing.due import shared_actions

        return shared_actions(self.sharing_ledger) if self.sharing_ledger is not None else {}

    def shares_of(self, numbers: Iterable[str]) -> list[ShareRecord]:
        """The sharing ledger's record of an incident (empty: no ledger)."""
        from uglymugs.sharing.ledger import shares_of

        return shares_of(self.sharing_ledger, numbers) if self.sharing_ledger is not None else []

    def history(self, target: str) -> list[AuditEntry]:
        return entries_for(self.audit_log, target)
