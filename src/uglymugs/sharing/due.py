"""What is due: incidents the rules allow to be shared that have not been yet.

The staff console's queue filters and front page counts ask :func:`due_actions`, so
"meets SCAS criteria, consent given, not yet shared" and "asked for help to report to
police, not yet referred" come from the same rules and consents as the packets.

>>> due_actions(incident, shared={"scas"})  # doctest: +SKIP
frozenset({'referral'})
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from uglymugs.reports.consent import POLICE_HELP, SCAS
from uglymugs.sharing.rules import meets_scas_criteria

if TYPE_CHECKING:
    from uglymugs.audit.log import AuditLog
    from uglymugs.reports.incidents import Incident

DUE = ("scas", "referral")


def due_actions(incident: Incident, shared: Iterable[str]) -> frozenset[str]:
    """The actions of :data:`DUE` the incident is ready for and has not had."""
    if not incident.readable:
        return frozenset()
    done = set(shared)
    due = set()
    consents = incident.consents
    if meets_scas_criteria(incident) and consents.by_name(SCAS).allowed:
        due.add("scas")
    if consents.by_name(POLICE_HELP).allowed and incident.wants_contact:
        due.add("referral")
    return frozenset(due - done)


def shared_actions(ledger: AuditLog) -> dict[str, set[str]]:
    """Every report number in the ledger, with the actions its incident was shared by."""
    from uglymugs.sharing.ledger import shares

    found: dict[str, set[str]] = {}
    for share in shares(ledger):
        for number in share.numbers:
            found.setdefault(number, set()).add(share.action)
    return found
