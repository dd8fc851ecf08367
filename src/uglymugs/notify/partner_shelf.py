"""The alert partners on the bundle shelf: how the deployed notify function finds them.

On AWS the notify function has no partner directory (it lives in the staff checkout,
with its age keys), so ``uglymugs publish`` writes the bureaus and regional units that
get alerts onto the shelf beside the bundles: their id, force areas and contact address
only, signed with the bundle key so that nobody who can write to the bucket can send
alerts elsewhere. Shelf files are never replaced, so each new list is a new file under
``partners/`` named by when it was written; notify reads the newest. The name does not
start with ``seq-``, so CloudFront's signed-URL path for members never serves it.

>>> write_partners(shelf, partners, signing_key=key, key_id=key_id, now=now)  # doctest: +SKIP
'partners/20261129t124500000000z.json'
>>> read_partners(shelf, verify_keys)  # doctest: +SKIP
(AlertPartner(id='example-gmp-bureau', ...),)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime

from nacl.signing import SigningKey

from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.shelf import BundleShelf
from uglymugs.alerts.signing import SIGNATURE_SUFFIX, sign_detached, verify_detached
from uglymugs.notify.recipients import AlertPartner

PREFIX = "partners/"
FORMAT = "uglymugs.alert-partners/1"
KEEP = 2  # the newest list and the one before, for a notify run already reading it


class PartnerListError(Exception):
    """The newest partner list on the shelf is missing its signature, badly signed or malformed."""


def encode(partners: Sequence[AlertPartner]) -> bytes:
    """The list's canonical bytes: id, contact and force areas of each partner, no more.

    >>> encode([AlertPartner("b", "fib@example.org", frozenset({"kent"}))])
    b'{"format":"uglymugs.alert-partners/1","partners":[{"contact":"fib@example.org","force_areas":["kent"],"id":"b"}]}'
    """
    return canonical_bytes(
        {
            "format": FORMAT,
            "partners": [
                {"id": p.id, "contact": p.contact, "force_areas": sorted(p.force_areas)}
                for p in sorted(partners, key=lambda partner: partner.id)
            ],
        }
    )


def decode(data: bytes) -> tuple[AlertPartner, ...]:
    try:
        document = json.loads(data)
        if document["format"] != FORMAT:
            raise PartnerListError(f"partner list format {document['format']!r} is not {FORMAT}")
        return tuple(
            AlertPartner(str(p["id"]), str(p["contact"]), frozenset(map(str, p["force_areas"])))
            for p in document["partners"]
        )
    except (ValueError, KeyError, TypeError) as error:
        raise PartnerListError(f"partner list is malformed ({type(error).__name__})") from None


def _lists(shelf: BundleShelf) -> list[str]:
    return [name for name in shelf.names(PREFIX) if not name.endswith(SIGNATURE_SUFFIX)]


def write_partners(
    shelf: BundleShelf,
    partners: Sequence[AlertPartner],
    *,
    signing_key: SigningKey,
    key_id: str,
    now: datetime,
) -> str | None:
    """Shelve ``partners`` if they differ from the newest list; the name written, or None."""
    data = encode(partners)
    lists = _lists(shelf)
    if lists and shelf.get(lists[-1]) == data:
        return None
    name = f"{PREFIX}{now.strftime('%Y%m%dt%H%M%S%fz')}.json"
    shelf.put(name, data)
    shelf.put(name + SIGNATURE_SUFFIX, sign_detached(data, signing_key, key_id))
    old = _lists(shelf)[:-KEEP]
    shelf.delete([*old, *(n + SIGNATURE_SUFFIX for n in old)])
    return name


def read_partners(shelf: BundleShelf, verify_keys: Mapping[str, bytes]) -> tuple[AlertPartner, ...]:
    """The newest signed list (none shelved yet: no partners); raise :class:`PartnerListError`."""
    lists = _lists(shelf)
    if not lists:
        return ()
    data = shelf.get(lists[-1])
    signature = shelf.get(lists[-1] + SIGNATURE_SUFFIX)
    if data is None or signature is None:
        raise PartnerListError(f"{lists[-1]}: the list or its signature is missing")
    try:
        verify_detached(data, signature, verify_keys)
    except Exception as error:  # BundleSignatureError or a malformed .sig
        raise PartnerListError(f"{lists[-1]}: {error}") from None
    return decode(data)
