"""Reports kept past their retention years because of sharing.

A report a partner was sent stays while the ledger names it: when the person
withdraws consent, staff must still be able to say which partners hold it and ask
them to delete it (:func:`~uglymugs.sharing.ledger.to_ask_for_deletion`). A report
that is **due** to be shared (the rules and consent allow it, not yet done:
:mod:`uglymugs.sharing.due`) stays too, so retention never deletes what the person
asked to reach SCAS or the police before it went. Knowing what is due needs the
reports opened, so the caller passes ``incidents`` (the retention command opens the
vault with the staff passphrase only when some report is past its years).

:class:`SharingHolds` is a :class:`~uglymugs.operations.retention.RetentionHolds`.

>>> SharingHolds(ledger).held_reports()  # doctest: +SKIP
{'R-7KQ2-M9XD'}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from uglymugs.sharing.due import due_actions, shared_actions

if TYPE_CHECKING:
    from uglymugs.audit.log import AuditLog
    from uglymugs.reports.incidents import Incident


class SharingHolds:
    """Every report number in the sharing ledger, and those of incidents due to be shared."""

    def __init__(
        self, ledger: AuditLog, incidents: Callable[[], Iterable[Incident]] | None = None
    ) -> None:
        self.ledger = ledger
        self.incidents = incidents

    def held_reports(self) -> set[str]:
        shared = shared_actions(self.ledger)
        held = set(shared)
        if self.incidents is not None:
            held |= due_numbers(self.incidents(), shared)
        return held


def due_numbers(incidents: Iterable[Incident], shared: dict[str, set[str]]) -> set[str]:
    """The report numbers of every incident with a share action due."""
    held: set[str] = set()
    for incident in incidents:
        done = set().union(*(shared.get(number, set()) for number in incident.numbers))
        if due_actions(incident, done):
            held.update(incident.numbers)
    return held
