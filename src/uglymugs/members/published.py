"""What members read of the published alerts: the signed bundles and identifier checks.

Both start from the bundle shelf's signed manifest (:mod:`uglymugs.alerts.manifest`),
so a member only ever gets files of one published sequence, each one checked against
the manifest. The identifier index is built from the current ``alerts-all.json`` and
rebuilt when the manifest's sequence grows; it is never replaced by the index of an
older sequence (a rolled-back shelf must not bring withdrawn alerts back). A check's
query is used for the lookup and forgotten: it is never logged or stored.

>>> published = PublishedAlerts(shelf, verify_keys)  # doctest: +SKIP
>>> [match["number"] for match in published.check("phone", "07700 900123")]  # doctest: +SKIP
['2026-0008']
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from uglymugs.alerts.bundles import ALL_SCOPE, bundle_stem, region_scope

if TYPE_CHECKING:
    from uglymugs.alerts.manifest import Manifest
    from uglymugs.alerts.shelf import BundleShelf

# Signature checks (nacl.signing) and phone numbers (phonenumbers) are imported on the
# first bundle or check, not when the alerts function starts: about 40 ms of its cold start.


@cache
def normalisers() -> Mapping[str, Callable[[str], str]]:
    """Each identifier kind's normaliser (:mod:`uglymugs.alerts.identifiers`)."""
    from uglymugs.alerts.identifiers import (
        normalise_email,
        normalise_phone,
        normalise_plate,
        normalise_username,
    )

    return {
        "phone": normalise_phone,
        "email": normalise_email,
        "plate": normalise_plate,
        "username": normalise_username,
    }


_IDENTIFIER_LISTS = {
    "phones": "phone",
    "emails": "email",
    "plates": "plate",
    "usernames": "username",
}


class NotPublishedError(LookupError):
    """Nothing is published yet, or no bundle of that scope is in the current publish."""


@dataclass(frozen=True)
class BundleFile:
    """One bundle of the current publish: its shelf name, bytes (if read) and ``.sig`` bytes."""

    name: str
    signature: bytes
    data: bytes | None = None


def bundle_name(region: str | None) -> str:
    return bundle_stem(region_scope(region) if region else ALL_SCOPE) + ".json"


PLATE_GRAMS = "plate-gram"  # index keys (PLATE_GRAMS, gram) hold plate patterns to compare
MAX_MATCHES = 50  # a very short partial plate could fit many alerts; the first 50 are shown


def build_index(bundle: bytes) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """``{(kind, normalised value): [match, …]}`` from the bytes of ``alerts-all.json``.

    The bundle's identifiers are already normalised (``alerts check`` refuses any that
    are not), so each is only checked for the form its kind takes: re-parsing 100,000
    phone numbers with libphonenumber made the first check after a publish take 13 s.
    A value not in that form is left out rather than guessed at. Every plate, whole or
    partial (``AB12 C??``, ``starts LK6``), is also kept under its runs of characters
    (:mod:`uglymugs.alerts.plates`), so a plate check finds alerts it is compatible with.
    """
    from uglymugs.alerts.plates import parse_plate

    keep = _bundle_forms()
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for alert in json.loads(bundle)["alerts"]:
        match = {key: alert.get(key) for key in ("number", "issued", "region", "risk")}
        found: set[tuple[str, str]] = set()
        identifiers = alert.get("identifiers") or {}
        for field, kind in _IDENTIFIER_LISTS.items():
            form = keep[kind]
            for value in identifiers.get(field) or ():
                normal = form(value) if isinstance(value, str) else None
                if normal is not None:
                    found.add((kind, normal))
        registration = (alert.get("vehicle") or {}).get("registration")
        plates = [p for p in identifiers.get("plates") or () if isinstance(p, str)]
        if isinstance(registration, str) and registration:
            plates.append(registration)
            pattern = parse_plate(registration)
            if pattern is not None and pattern.whole:
                found.add(("plate", pattern.chars))
        for key in found:
            index.setdefault(key, []).append(match)
        _index_plates(index, plates, match)
    return index


def _index_plates(
    index: dict[tuple[str, str], list[dict[str, Any]]], plates: list[str], match: dict[str, Any]
) -> None:
    from uglymugs.alerts.plates import parse_plate

    patterns = {pattern for text in plates if (pattern := parse_plate(text)) is not None}
    for pattern in patterns:
        entry = {**match, "_plate": pattern}
        for gram in pattern.grams():
            index.setdefault((PLATE_GRAMS, gram), []).append(entry)


def plate_matches(
    index: Mapping[tuple[str, str], list[dict[str, Any]]], value: str
) -> list[dict[str, Any]]:
    """Alerts whose plate (whole or partial) is compatible with the plate ``value``.

    Each match says how: ``{"plate": {"match": "same" | "compatible", "alert_plate":
    "AB12 C??", "misread": [["8", "B"], …]}}``, so the member area can say why, in the
    member's language. ``value`` may be partial too; IdentifierError when it holds no plate.
    """
    from uglymugs.alerts.identifiers import IdentifierError
    from uglymugs.alerts.plates import compare, parse_plate

    query = parse_plate(value)
    if query is None:
        raise IdentifierError(f"{value!r} is not a number plate (letters and digits only)")
    found: dict[str, dict[str, Any]] = {}
    for gram in sorted(query.grams()):
        for entry in index.get((PLATE_GRAMS, gram), ()):
            number = str(entry.get("number"))
            pattern = entry["_plate"]
            agreement = compare(query, pattern)
            if agreement is None or number in found:
                continue
            same = agreement.exact and query == pattern
            match = {key: item for key, item in entry.items() if key != "_plate"}
            match["plate"] = {
                "match": "same" if same else "compatible",
                "alert_plate": pattern.shown,
                "misread": [list(pair) for pair in agreement.misread],
            }
            found[number] = match
    return sorted(found.values(), key=_same_first)[:MAX_MATCHES]


def _same_first(match: dict[str, Any]) -> tuple[int, int]:
    plate = match["plate"]
    return (plate["match"] != "same", len(plate["misread"]))


@cache
def _bundle_forms() -> Mapping[str, Callable[[str], str | None]]:
    """Each kind's value as the index keeps it, or None when it is not of that kind.

    Phones in a bundle are E.164 already: their form is checked, never re-parsed. The
    other kinds' normalisers are a regex or two each, cheap enough to run again.
    """
    from uglymugs.alerts.identifiers import IdentifierError, is_e164

    normalise = normalisers()

    def normalised(kind: str) -> Callable[[str], str | None]:
        def keep(value: str) -> str | None:
            try:
                return normalise[kind](value)
            except IdentifierError:
                return None

        return keep

    return {
        "phone": lambda value: value if is_e164(value) else None,
        "email": normalised("email"),
        "plate": normalised("plate"),
        "username": normalised("username"),
        "registration": normalised("plate"),
    }


class PublishedAlerts:
    """The current publish on ``shelf``, trusted through ``verify_keys``."""

    def __init__(
        self,
        shelf: BundleShelf,
        verify_keys: Mapping[str, bytes],
        presign: Callable[[str], str] | None = None,
    ) -> None:
        self.shelf = shelf
        self.verify_keys = verify_keys
        self.presign = presign  # name -> short-lived URL, when the shelf is a bucket
        self._lock = threading.Lock()
        self._indexed: tuple[int, dict[tuple[str, str], list[dict[str, Any]]]] | None = None
        self._verified: tuple[bytes, Manifest] | None = None

    def bundle(self, region: str | None, with_data: bool = True) -> BundleFile:
        """The current bundle of ``region`` (all regions if None) and its signature file."""
        from uglymugs.alerts.manifest import ManifestChangingError, read_published
        from uglymugs.alerts.signing import SIGNATURE_SUFFIX

        def wanted(manifest: Manifest) -> list[str]:
            name = manifest.prefix + bundle_name(region)
            if name not in manifest.files:
                raise NotPublishedError("no bundle of that scope in the current publish")
            return [name + SIGNATURE_SUFFIX, *([name] if with_data else [])]

        try:
            published = read_published(
                self.shelf, self.verify_keys, wanted, verify=self._verified_manifest
            )
        except ManifestChangingError:
            raise NotPublishedError("the bundles kept changing while reading") from None
        if published is None:
            raise NotPublishedError("nothing is published yet")
        signature_name = next(iter(published.files))
        name = signature_name.removesuffix(SIGNATURE_SUFFIX)
        return BundleFile(name, published.files[signature_name], published.files.get(name))

    def check(self, kind: str, value: str) -> list[dict[str, Any]]:
        """Alerts naming this identifier; ``value`` is normalised first (IdentifierError).

        A plate is compared with every plate of the alerts, whole or partial
        (:func:`plate_matches`): each match says whether it is the same or compatible.
        """
        if kind == "plate":
            return plate_matches(self._index(), value)
        normalised = normalisers()[kind](value)
        return list(self._index().get((kind, normalised), ()))

    def _index(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """The index of the newest sequence seen: never one older than the index held.

        A shelf that goes back to an older (validly signed) manifest, or a slower
        thread that built an older index, would bring withdrawn alerts back into checks.
        """
        manifest = self._manifest()
        with self._lock:
            if self._indexed is not None and self._indexed[0] >= manifest.sequence:
                return self._indexed[1]
        from uglymugs.alerts.manifest import sequence_of

        bundle = self.bundle(None)
        index = build_index(bundle.data or b'{"alerts":[]}')
        sequence = sequence_of(bundle.name) or manifest.sequence
        with self._lock:
            if self._indexed is None or self._indexed[0] < sequence:
                self._indexed = (sequence, index)
            return self._indexed[1]

    def _manifest(self) -> Manifest:
        """The current manifest, read every time, verified only when its bytes change.

        Verification is a pure function of the bytes; re-verifying the same 35 KB on
        every check cost ~1.5 ms of a check's 1.6 ms (``benchmarks/members.py``).
        """
        data = self.shelf.get_manifest()
        if data is None:
            raise NotPublishedError("nothing is published yet")
        return self._verified_manifest(data)

    def _verified_manifest(self, data: bytes) -> Manifest:
        with self._lock:
            if self._verified is not None and self._verified[0] == data:
                return self._verified[1]
        from uglymugs.alerts.manifest import verify_manifest

        manifest = verify_manifest(data, self.verify_keys)
        with self._lock:
            self._verified = (data, manifest)
        return manifest
