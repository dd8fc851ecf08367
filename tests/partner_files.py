"""Partner directory files for tests: one YAML file a partner, with a fresh age key.

The staff console, ``uglymugs share`` and the notifier all read the same directory;
the tests write it the same way and keep each partner's identity to decrypt what
was sent to it.
"""

from __future__ import annotations

from pathlib import Path

import pyrage


def write_partner(
    directory: Path,
    partner_id: str,
    kind: str,
    areas: str = "[greater-manchester]",
    name: str | None = None,
) -> pyrage.x25519.Identity:
    """Write ``<partner_id>.yaml`` into ``directory``; the partner's age identity."""
    identity = pyrage.x25519.Identity.generate()
    (directory / f"{partner_id}.yaml").write_text(
        f"id: {partner_id}\nname: {name or f'Test {kind}'}\nkind: {kind}\n"
        f"force_areas: {areas}\ncontact: {partner_id}@example.invalid\n"
        f"age_recipient: {identity.to_public()}\n",
        encoding="utf-8",
    )
    return identity
