"""The partners that receive published alerts through notify: bureaus and regional units.

The issue's rule: force intelligence bureaus and regional intelligence units get the
published alerts (already sanitised, and only those whose person agreed to an alert),
by force area, never incident packets (:func:`~uglymugs.sharing.rules.refusal`
refuses those). This turns the checked partner directory into notify's
:class:`~uglymugs.notify.recipients.AlertPartner` recipients. A partner file that does
not pass ``partners check`` is left out, as it is for packets.

>>> [partner.id for partner in alert_partners(Path("partners"))]  # doctest: +SKIP
['example-gmp-bureau']
"""

from __future__ import annotations

from pathlib import Path

from uglymugs.notify.recipients import AlertPartner
from uglymugs.sharing.partners import ALL_AREAS, check_partners

ALERT_KINDS = ("bureau", "regional")


def alert_partners(directory: Path) -> tuple[AlertPartner, ...]:
    """Every bureau and regional unit in ``directory`` (none when it does not exist)."""
    if not directory.is_dir():
        return ()
    checked = check_partners([directory])
    return tuple(
        AlertPartner(
            partner.id,
            partner.contact,
            frozenset() if ALL_AREAS in partner.force_areas else frozenset(partner.force_areas),
        )
        for partner in sorted(checked.partners.values(), key=lambda partner: partner.id)
        if partner.kind in ALERT_KINDS
    )
