"""Issue 18 item 5 in the member area: a plate compatible with an alert's partial plate
says so and why, in the member's language, with the usual warning that a miss (or a
partial match) proves nothing."""

from __future__ import annotations

import pytest

from tests.browser import test_member_pages as member_pages
from tests.browser.test_member_pages import FakeMemberApi, open_member_area, signed_bundle

pytestmark = pytest.mark.browser
# The member pages' fixtures: a built site, served, and its bundle key.
built_site = member_pages.built_site
site_url = member_pages.site_url
bundle_key = member_pages.bundle_key

COMPATIBLE = {
    "number": "2026-0042",
    "issued": "2026-11-20",
    "region": "greater-manchester",
    "risk": "high",
    "plate": {"match": "compatible", "alert_plate": "AB12 C??", "misread": [["8", "B"]]},
}


@pytest.mark.parametrize(
    ("prefix", "compatible", "misread", "miss"),
    [
        ("", "only part of the plate (AB12 C??)", "8 and B were mixed up", "does not prove"),
        ("/pl", "tylko część numeru rejestracyjnego (AB12 C??)", "pomylono 8 i B", "nie dowodzi"),
        ("/zh-hans", "部分车牌（AB12 C??）", "8 和 B 被看混", "不能证明"),
    ],
)
def test_a_partial_plate_match_says_why(
    built_site, site_url, page, bundle_key, prefix, compatible, misread, miss
):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    api.answer("POST", "/api/check", (200, {"matches": [COMPATIBLE]}))
    page.goto(site_url + prefix + "/members/")
    page.locator("#member-section").wait_for(state="visible")
    page.select_option("#check-kind", "plate")
    page.fill("#check-value", "A812 CDE")
    page.click("#check-submit")
    page.locator("#check-result li").wait_for()
    result = page.inner_text("#check-result")
    assert compatible in result and misread in result and miss in result
    assert api.bodies("POST", "/api/check") == [{"kind": "plate", "value": "A812 CDE"}]


def test_an_exact_plate_match_has_no_partial_warning(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    same = {**COMPATIBLE, "plate": {"match": "same", "alert_plate": "AB12 CDE", "misread": []}}
    api.answer("POST", "/api/check", (200, {"matches": [same]}))
    open_member_area(page, site_url)
    page.select_option("#check-kind", "plate")
    page.fill("#check-value", "AB12 CDE")
    page.click("#check-submit")
    page.locator("#check-result li").wait_for()
    assert "only part of the plate" not in page.inner_text("#check-result")
