"""Issue 18 item 5: a member's plate check finds alerts whose plate is only partly known.

"AB12 CDE" fits an alert's "AB12 C??" or "starts LK6"; the answer says how (same or
compatible, the alert's plate, any character read the other way), and hostile input
(long, regex metacharacters, unicode) is a clear 4xx or an empty answer, never a 500.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime

import pytest

from tests.members.test_published_alerts import (
    KEY,
    KEY_ID,
    TODAY,
    VERIFY_KEYS,
    check,
    logged_in_client,
)
from uglymugs.config import Settings, repository_root
from uglymugs.members.published import PublishedAlerts, build_index, plate_matches
from uglymugs.publishing import publish

PARTIAL = "2026-0090"
PREFIX = "2026-0091"


def alert_with_plate(source: str, number: str, registration: str) -> str:
    text = source.replace("number: 2026-0003", f"number: {number}")
    text = text.replace("status: corrected\n", "status: published\n")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("correction:"))
    text = text.replace("  registration: ZZ99 ZZZ", f'  registration: "{registration}"')
    return text.replace("identifiers:\n  plates: [ZZ99ZZZ]\n", "") + "\n"


@pytest.fixture
def client(member_stores, clock, tmp_path, local_bundle_shelf):
    alerts_dir = tmp_path / "alerts"
    shutil.copytree(repository_root() / "site" / "alerts", alerts_dir)
    source = (alerts_dir / "2026-0003.md").read_text()
    (alerts_dir / f"{PARTIAL}.md").write_text(alert_with_plate(source, PARTIAL, "AB12 C??"))
    (alerts_dir / f"{PREFIX}.md").write_text(alert_with_plate(source, PREFIX, "starts LK6"))
    publish(
        Settings(tmp_path / "publish-data"),
        alerts_dir=alerts_dir,
        shelf=local_bundle_shelf,
        signing_key=KEY,
        key_id=KEY_ID,
        today=TODAY,
        now=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        build_public_site=False,
    )
    published = PublishedAlerts(local_bundle_shelf, VERIFY_KEYS)
    return logged_in_client(member_stores, clock, tmp_path, published)


def test_a_whole_plate_is_compatible_with_an_alerts_partial_plate_and_says_why(client):
    response = check(client, "plate", "ab12 cde")
    assert response.status_code == 200
    (match,) = response.json()["matches"]
    assert match["number"] == PARTIAL
    assert match["plate"] == {"match": "compatible", "alert_plate": "AB12 C??", "misread": []}


def test_a_plate_that_starts_as_the_alert_says_is_compatible(client):
    (match,) = check(client, "plate", "LK61 XYZ").json()["matches"]
    assert match["number"] == PREFIX and match["plate"]["alert_plate"] == "LK6…"


def test_a_misread_character_is_named(client):
    (match,) = check(client, "plate", "A812 CDE").json()["matches"]
    assert match["plate"]["misread"] == [["8", "B"]]


def test_the_same_whole_plate_is_said_to_be_the_same(client):
    (match,) = check(client, "plate", "ZZ99 ZZZ").json()["matches"]
    assert match["number"] == "2026-0003" and match["plate"]["match"] == "same"


def test_a_plate_that_does_not_fit_finds_nothing(client):
    assert check(client, "plate", "AB13 CDE").json() == {"matches": []}
    assert check(client, "plate", "LK71 XYZ").json() == {"matches": []}


HOSTILE = [
    "A" * 254,
    "(a+)+$" * 40,
    "[" * 200,
    ".*" * 100,
    "?" * 254,
    "\\" * 254,
    "AB12 C??" + "\u0000",
    "Ａ Ｂ １ ２",
    "车牌" * 100,
    "\U0001f697" * 60,
    "AB12" + "\u202e" + "CDE",
    "..." * 80,
    "starts " * 30,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_plates_are_answered_or_refused_never_a_500(client, value):
    started = time.perf_counter()
    response = check(client, "plate", value)
    assert time.perf_counter() - started < 2
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert response.json()["error"]["field"] == "value"
        assert value not in response.json()["error"]["message"]


def test_too_long_a_value_is_refused_by_its_rule(client):
    response = check(client, "plate", "A" * 255)
    assert response.status_code == 422 and response.json()["error"]["field"] == "value"


def letters(n: int) -> str:
    return chr(65 + n % 26) + chr(65 + n // 26 % 26)


def test_many_partial_plates_are_searched_quickly():
    alerts = [
        {
            "number": f"2026-{n:04d}",
            "issued": "2026-01-01",
            "region": "kent",
            "risk": "low",
            "vehicle": {"registration": f"{letters(n)}{n % 100:02d} C?"},
        }
        for n in range(5000)
    ]
    index = build_index(json.dumps({"alerts": alerts}).encode())
    started = time.perf_counter()
    for _ in range(50):
        found = plate_matches(index, "AB27 CD")
    assert (time.perf_counter() - started) / 50 < 0.2
    assert [m["plate"]["alert_plate"] for m in found] == ["AB27C?"] * len(found)
