"""A long alert list is built a page at a time, and printing still prints every
selected alert (issue 17, item 1).

Building every card at once froze a cheap phone for tens of seconds at 10,000 alerts;
the list now holds a page of cards and adds the next as its end scrolls into view.
"""

from __future__ import annotations

import pytest

from tests.browser.device_state import wait_until
from tests.browser.test_member_pages import (  # noqa: F401 - fixtures
    ALERTS,
    FakeMemberApi,
    built_site,
    bundle_key,
    open_member_area,
    signed_bundle,
    site_url,
)

pytestmark = pytest.mark.browser

COUNT = 45
PAGE_SIZE = 20  # member-area.mjs


def many_alerts() -> list[dict]:
    alerts = []
    for index in range(COUNT):
        alert = dict(ALERTS[0], number=f"2026-{100 + index:04d}")
        alert["region"] = "kent" if index % 3 else "greater-manchester"
        alerts.append(alert)
    return alerts


def cards(page) -> int:
    return page.locator("#alert-list article").count()


def test_the_list_grows_as_it_scrolls_and_prints_every_selected_alert(
    built_site,  # noqa: F811
    site_url,  # noqa: F811
    page,
    bundle_key,  # noqa: F811
):
    page.set_viewport_size({"width": 390, "height": 844})
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key, many_alerts()))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    wait_until(lambda: cards(page) == PAGE_SIZE, what="the first page of alerts")
    assert f"{COUNT}" in page.locator("#alerts-count").inner_text()

    page.locator(".alert-list-end").scroll_into_view_if_needed()
    wait_until(lambda: cards(page) > PAGE_SIZE, what="the next page of alerts")

    # Back at the top, as a member choosing a filter is: at the end of the list, the
    # next page would (rightly) load at once.
    page.evaluate("window.scrollTo(0, 0)")
    page.select_option("#filter-region", "greater-manchester")
    selected = len([a for a in many_alerts() if a["region"] == "greater-manchester"])
    wait_until(lambda: cards(page) == min(selected, PAGE_SIZE), what="a page of the region")
    page.select_option("#filter-region", "kent")
    kent = COUNT - selected
    wait_until(lambda: cards(page) == PAGE_SIZE, what="a page of the other region")
    assert kent > PAGE_SIZE
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert cards(page) == kent
    numbers = page.eval_on_selector_all(
        "#alert-list article", "cards => cards.map(c => c.id.slice(6))"
    )
    assert sorted(numbers) == sorted(a["number"] for a in many_alerts() if a["region"] == "kent")
