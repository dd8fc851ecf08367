# ruff: noqa: F401, F811 - the member pages' module fixtures, imported by name
"""A member who chose a few regions downloads only those regions' bundles.

Publish signs a bundle for every alert and one for each region, empty when the region
holds no alert (``alerts-region-<id>.json``); the member area reads the member's regions' own when
they chose a few, checks that each is the region it asked for, and keeps them for
reading offline. The member can still ask for every region's alerts.
"""

from __future__ import annotations

import pytest

from tests.browser.device_state import records, wait_until
from tests.browser.test_member_pages import (
    ALERTS,
    KENT_MEMBER,
    PREFERENCES,
    WARNING,
    FakeMemberApi,
    built_site,
    bundle_answer,
    bundle_key,
    open_member_area,
    signed_bundle,
    site_url,
    visible_alert_numbers,
)
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.signing import sign_detached

pytestmark = pytest.mark.browser

KENT_AND_MERSEYSIDE = {
    **KENT_MEMBER,
    "preferences": {**PREFERENCES, "regions": ["kent", "merseyside"]},
}


def region_bundle(built_site, key, region: str, scope: str | None = None) -> dict:
    data = canonical_bytes(
        {
            "alerts": [alert for alert in ALERTS if alert["region"] == region],
            "format": "uglymugs.alerts/1",
            "generated_at": "2026-11-23T10:00:00Z",
            "scope": scope or f"region:{region}",
            "sequence": 42,
        }
    )
    return bundle_answer(data, sign_detached(data, key, built_site.keys.bundle_key_id))


def bundle_requests(api) -> int:
    return [(method, path) for method, path, _ in api.calls].count(("GET", "/api/alerts/bundle"))


def test_only_the_chosen_regions_bundles_are_downloaded(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(
        page,
        bundle=signed_bundle(built_site, bundle_key),
        regions={
            "kent": region_bundle(built_site, bundle_key, "kent"),
            "merseyside": region_bundle(built_site, bundle_key, "merseyside"),
        },
    )
    api.answer("GET", "/api/members/me", (200, KENT_AND_MERSEYSIDE))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    # Merseyside has no current alert: its signed empty bundle (200), not a warning,
    # and nothing the browser logs as an error.
    assert visible_alert_numbers(page) == ["2026-0041"]
    assert page.console_problems == []
    assert sorted(api.regions_asked) == ["kent", "merseyside"]
    assert bundle_requests(api) == 2  # never the bundle of every alert
    assert page.locator("#alerts-warning").is_hidden()
    assert page.locator("#alerts-regions").is_visible()

    page.click("#alerts-every-region")
    page.locator("#alert-2026-0042").wait_for()
    assert visible_alert_numbers(page) == ["2026-0042", "2026-0041"]
    assert bundle_requests(api) == 3
    assert page.locator("#alerts-regions").is_hidden()


def test_a_bundle_of_another_scope_is_refused(built_site, site_url, page, bundle_key):
    # Validly signed, but the bundle of every alert (or another region's) is not Kent's.
    for wrong in ("all", "region:greater-manchester"):
        api = FakeMemberApi(
            page,
            bundle=signed_bundle(built_site, bundle_key),
            regions={"kent": region_bundle(built_site, bundle_key, "kent", scope=wrong)},
        )
        api.answer("GET", "/api/members/me", (200, KENT_MEMBER))
        open_member_area(page, site_url)
        page.locator("#alerts-warning").wait_for(state="visible")
        assert WARNING in page.inner_text("#alerts-warning")
        assert page.locator("#alert-list article").count() == 0
        page.unroute("**/api/**")


def test_the_regions_bundles_are_read_offline_and_verified_again(
    built_site, site_url, page, bundle_key
):
    api = FakeMemberApi(
        page,
        bundle=signed_bundle(built_site, bundle_key),
        regions={"kent": region_bundle(built_site, bundle_key, "kent")},
    )
    api.answer("GET", "/api/members/me", (200, KENT_MEMBER))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    wait_until(lambda: records(page, "saved"), what="the regions' bundles to be saved")
    [saved] = records(page, "saved")
    assert [part["scope"] for part in saved["parts"]] == ["region:kent"]
    page.unroute("**/api/**")
    page.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    page.reload()
    page.locator("#members-offline").wait_for(state="visible")
    page.locator("#alert-list article").first.wait_for()
    assert visible_alert_numbers(page) == ["2026-0041"]
    assert page.locator("#alerts-warning").is_hidden()
    assert page.locator("#alerts-regions").is_visible()


def test_a_region_without_a_bundle_means_reading_every_alert(
    built_site, site_url, page, bundle_key
):
    # Kent answers 404 no_bundle (an old publish, or a server leaving a region out):
    # no signature covers that answer, so the bundle of every alert is read instead,
    # and Kent's alert is shown, never an empty list.
    api = FakeMemberApi(
        page,
        bundle=signed_bundle(built_site, bundle_key),
        regions={"merseyside": region_bundle(built_site, bundle_key, "merseyside")},
    )
    api.answer("GET", "/api/members/me", (200, KENT_AND_MERSEYSIDE))
    open_member_area(page, site_url)
    page.locator("#alert-2026-0041").wait_for()
    assert visible_alert_numbers(page) == ["2026-0042", "2026-0041"]
    assert sorted(api.regions_asked) == ["kent", "merseyside"]
    assert bundle_requests(api) == 3  # both regions, then every alert
    assert page.locator("#alerts-warning").is_hidden()
    assert page.locator("#alerts-regions").is_hidden()
    wait_until(lambda: records(page, "saved"), what="the bundle to be saved")
    [saved] = records(page, "saved")
    assert [part["scope"] for part in saved["parts"]] == ["all"]
