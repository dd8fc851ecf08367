"""An older signed bundle is never shown as current (issue 12, item 5).

Both bundles here are signed with the page's own bundle key, so both verify: what
tells them apart is the sequence and the generation time. The member area is served
sequence 2 (alert 2026-0042 withdrawn), then sequence 1 again (which still has it):
it warns, never shows the withdrawn alert again, and keeps sequence 2 as its saved copy.
"""

from __future__ import annotations

import base64
import json

import pytest

from tests.browser.device_state import records, wait_until
from tests.browser.test_member_pages import (  # noqa: F401 - fixtures
    ALERTS,
    FakeMemberApi,
    built_site,
    bundle_answer,
    bundle_key,
    open_member_area,
    site_url,
    visible_alert_numbers,
)
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.signing import sign_detached

pytestmark = [pytest.mark.browser, pytest.mark.attack("rollback")]

ROLLBACK = "older than alerts this device has already checked"
WITHDRAWN = "2026-0042"


def publish(built_site, key, sequence: int, generated_at: str, alerts) -> dict:  # noqa: F811
    """What GET /api/alerts/bundle answers for this publish, signed as publish signs it."""
    data = canonical_bytes(
        {
            "alerts": alerts,
            "format": "uglymugs.alerts/1",
            "generated_at": generated_at,
            "scope": "all",
            "sequence": sequence,
        }
    )
    return bundle_answer(data, sign_detached(data, key, built_site.keys.bundle_key_id))


def saved_sequence(page) -> int | None:
    saved = records(page, "saved")
    if not saved:
        return None
    [part] = saved[0]["parts"]
    return json.loads(base64.b64decode(part["answer"]["bundle"]))["sequence"]


def seen(page) -> list[dict]:
    return records(page, "seen")


@pytest.fixture
def publishes(built_site, bundle_key):  # noqa: F811
    first = publish(built_site, bundle_key, 1, "2026-11-20T10:00:00Z", ALERTS)
    current = [alert for alert in ALERTS if alert["number"] != WITHDRAWN]
    second = publish(built_site, bundle_key, 2, "2026-11-23T10:00:00Z", current)
    return first, second


def test_an_older_bundle_is_refused_with_a_warning_and_the_saved_copy_kept(
    site_url,  # noqa: F811
    page,
    publishes,
):
    first, second = publishes
    api = FakeMemberApi(page, bundle=second)
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    assert visible_alert_numbers(page) == ["2026-0041"]
    wait_until(lambda: saved_sequence(page) == 2, what="sequence 2 to be saved")
    assert seen(page) == [{"sequence": 2, "generated_at": "2026-11-23T10:00:00Z"}]

    api.bundle = first  # sequence 1 again: validly signed, but older
    page.reload()
    page.locator("#alerts-rollback").wait_for(state="visible")
    assert ROLLBACK in page.inner_text("#alerts-rollback")
    assert page.locator("#alerts-warning").is_hidden()
    page.locator("#alert-list article").first.wait_for()
    assert visible_alert_numbers(page) == ["2026-0041"]  # the saved copy, sequence 2
    assert page.locator(f"#alert-{WITHDRAWN}").count() == 0
    page.wait_for_timeout(300)
    assert saved_sequence(page) == 2
    assert seen(page) == [{"sequence": 2, "generated_at": "2026-11-23T10:00:00Z"}]

    # Logging out forgets the saved alerts but not what was seen: still refused after.
    page.click("#logout")
    page.locator("#login-form").wait_for(state="visible")
    wait_until(lambda: saved_sequence(page) is None, what="the saved bundle to go")
    page.reload()
    page.locator("#alerts-rollback").wait_for(state="visible")
    assert page.locator("#alert-list article").count() == 0
    assert saved_sequence(page) is None

    # A newer publish is shown and saved as usual, and the warning goes.
    api.bundle = second
    page.reload()
    page.locator("#alert-list article").first.wait_for()
    assert page.locator("#alerts-rollback").is_hidden()
    wait_until(lambda: saved_sequence(page) == 2, what="sequence 2 saved again")
    assert page.console_problems == []


def test_the_same_sequence_generated_earlier_is_refused_too(
    built_site,  # noqa: F811
    site_url,  # noqa: F811
    page,
    bundle_key,  # noqa: F811
    publishes,
):
    _, second = publishes
    api = FakeMemberApi(page, bundle=second)
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    wait_until(lambda: saved_sequence(page) == 2, what="sequence 2 to be saved")
    api.bundle = publish(built_site, bundle_key, 2, "2026-11-19T10:00:00Z", ALERTS)
    page.reload()
    page.locator("#alerts-rollback").wait_for(state="visible")
    assert visible_alert_numbers(page) == ["2026-0041"]
    assert saved_sequence(page) == 2
