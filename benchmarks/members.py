"""Members: identifier-check latency with 100,000 identifiers published, and login cost.

Check: 25,000 alerts carrying four identifiers each (phone, e-mail, username, plate)
are published to a local bundle shelf; a member's check normalises the typed value,
reads and verifies the current manifest, and looks the value up in the index built
from the verified bundle. The baseline, measured in the same run, is a bare dict
lookup of an already-normalised key in the same index.

Index: building the identifier index from the bytes of a bundle of 1,000, 10,000 and
25,000 alerts (4,000 to 100,000 identifiers), next to building a plain dict of the same
``(kind, value)`` keys from the same bytes in the same run (issue 17: at most 5×).

Login: one Argon2id verification with the parameters members' passwords use
(``uglymugs.members.passwords``), next to libsodium's INTERACTIVE and MIN settings.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from nacl import pwhash
from nacl.signing import SigningKey
from rich.console import Console
from rich.table import Table

from benchmarks.publish import as_records, realistic_records
from uglymugs.alerts.publish import publish_records
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.members.passwords import MEMLIMIT, OPSLIMIT, PasswordHasher
from uglymugs.members.published import PublishedAlerts, build_index

ALERTS = 25_000
CHECKS = 2_000
LOGINS = 5
TODAY = date(2026, 11, 23)


def alerts_with_identifiers(count: int) -> list[dict]:
    alerts = realistic_records(count)
    for index, alert in enumerate(alerts):
        alert["identifiers"] = {
            "phones": [f"+4479{index:08d}"],
            "emails": [f"client{index}@example.com"],
            "usernames": [f"punter_{index}"],
            "plates": [f"ZZ{index % 90 + 10}{chr(65 + index % 26)}{index:05d}"[:8]],
        }
    return alerts


def typed_queries(count: int) -> list[tuple[str, str]]:
    """Half hits, half misses, written as people type them."""
    queries = []
    for n in range(count):
        index = (n * 7919) % ALERTS
        if n % 2:
            queries.append(("phone", f"079{index:08d}"[:5] + " " + f"079{index:08d}"[5:]))
        else:
            queries.append(("email", f"  Nobody{n}@Example.COM "))
    return queries


def _median_us(calls) -> float:
    timings = []
    for call in calls:
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1e6)
    return statistics.median(timings)


def check_figures(console: Console) -> list[tuple[str, str, str]]:
    signing_key = SigningKey.generate()
    verify_keys = {"bundle-bench": signing_key.verify_key.encode()}
    with tempfile.TemporaryDirectory() as tmp, console.status("publishing 25,000 alerts…"):
        shelf = LocalBundleShelf(Path(tmp) / "shelf")
        publish_records(
            as_records(alerts_with_identifiers(ALERTS)),
            shelf=shelf,
            signing_key=signing_key,
            key_id="bundle-bench",
            today=TODAY,
            now=datetime(2026, 11, 23, 12, tzinfo=UTC),
        )
        published = PublishedAlerts(shelf, verify_keys)
        start = time.perf_counter()
        published.check("phone", "07911 123456")  # first check builds the index
        first_ms = (time.perf_counter() - start) * 1000
        index = build_index(published.bundle(None).data)
        queries = typed_queries(CHECKS)
        hits = sum(bool(published.check(kind, value)) for kind, value in queries)
        keys = [("phone", "+447900000001")] * CHECKS
        baseline = _median_us(lambda key=key: index.get(key) for key in keys)
        check = _median_us(lambda q=q: published.check(*q) for q in queries)
    identifiers = len(index)
    return [
        ("identifiers indexed", f"{identifiers:,}", f"from {ALERTS:,} alerts"),
        ("first check (read, verify, index)", f"{first_ms:,.0f} ms", "once per publish"),
        ("baseline: dict lookup", f"{baseline:.2f} µs", "1.0×"),
        (
            "check (normalise, verify manifest, look up)",
            f"{check:.0f} µs",
            f"{check / baseline:,.0f}×",
        ),
        ("queries that matched", f"{hits:,} of {CHECKS:,}", ""),
    ]


INDEX_SIZES = (1_000, 10_000, 25_000)
INDEX_ROUNDS = 5
_KINDS = {"phones": "phone", "emails": "email", "plates": "plate", "usernames": "username"}


def plain_dict(bundle: bytes) -> dict:
    """The peer: the same keys and matches, taken as written, with nothing checked."""
    index: dict = {}
    for alert in json.loads(bundle)["alerts"]:
        match = {key: alert.get(key) for key in ("number", "issued", "region", "risk")}
        for field, kind in _KINDS.items():
            for value in alert["identifiers"].get(field) or ():
                index.setdefault((kind, value), []).append(match)
    return index


def index_figures() -> list[tuple[str, str, str, str]]:
    rows = []
    for count in INDEX_SIZES:
        alerts = alerts_with_identifiers(count)
        bundle = json.dumps({"alerts": alerts}).encode()
        build_index(bundle)  # imports the normalisers once, outside the timing
        plain = built = float("inf")
        for _ in range(INDEX_ROUNDS):  # in turn, so both see the same load
            plain = min(plain, _timed_ms(lambda b=bundle: plain_dict(b)))
            built = min(built, _timed_ms(lambda b=bundle: build_index(b)))
        identifiers = len(build_index(bundle))
        rows.append(
            (f"{identifiers:,}", f"{plain:,.0f} ms", f"{built:,.0f} ms", f"{built / plain:.1f}×")
        )
    return rows


def login_figures() -> list[tuple[str, str, str]]:
    settings = [
        ("members (opslimit 3, 64 MiB)", PasswordHasher(OPSLIMIT, MEMLIMIT)),
        (
            "libsodium INTERACTIVE (2, 64 MiB)",
            PasswordHasher(
                pwhash.argon2id.OPSLIMIT_INTERACTIVE, pwhash.argon2id.MEMLIMIT_INTERACTIVE
            ),
        ),
        (
            "libsodium MIN (1, 8 KiB): baseline",
            PasswordHasher(pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN),
        ),
    ]
    timings = {}
    for name, hasher in settings:
        stored = hasher.hash("correct horse battery staple")
        timings[name] = statistics.median(
            _timed_ms(lambda h=hasher, s=stored: h.verify(s, "correct horse battery staple"))
            for _ in range(LOGINS)
        )
    baseline = timings[settings[-1][0]]
    return [(name, f"{ms:,.1f} ms", f"{ms / baseline:,.0f}×") for name, ms in timings.items()]


def _timed_ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    console = Console(width=120)
    table = Table(title=f"Identifier check (median of {CHECKS:,} typed queries)")
    for column in ("what", "figure", "note"):
        table.add_column(column)
    for row in check_figures(console):
        table.add_row(*row)
    console.print(table)
    index = Table(title=f"Identifier index from a bundle (best of {INDEX_ROUNDS}; goal ≤ 5×)")
    for column in ("identifiers", "plain dict (peer)", "build_index", "× peer"):
        index.add_column(column)
    for row in index_figures():
        index.add_row(*row)
    console.print(index)
    logins = Table(title=f"Login: one Argon2id verification (median of {LOGINS})")
    for column in ("parameters", "time", "× baseline"):
        logins.add_column(column)
    for row in login_figures():
        logins.add_row(*row)
    console.print(logins)
