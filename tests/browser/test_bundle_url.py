"""On AWS the member area fetches the bundle from the signed URL the API gives, on its own
origin only (CloudFront's /seq-* path), without the session cookie, and verifies it."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest

from tests.browser.device_state import records, wait_until
from tests.browser.test_member_pages import (  # noqa: F401 - fixtures
    WARNING,
    FakeMemberApi,
    built_site,
    bundle_bytes,
    bundle_key,
    open_member_area,
    site_url,
    visible_alert_numbers,
)
from uglymugs.alerts.signing import sign_detached

pytestmark = pytest.mark.browser

SIGNED_PATH = "/seq-000007/alerts-all.json"
SIGNED_QUERY = "Policy=eyJ9&Signature=c2ln&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256"


def url_answer(built_site, key, url: str) -> dict:  # noqa: F811 - the fixture's value
    data = bundle_bytes()
    signature = json.loads(sign_detached(data, key, built_site.keys.bundle_key_id))
    return {"url": url, "expires_in": 300, "signature": signature}


def test_the_bundle_is_fetched_from_the_signed_url_without_the_cookie(
    built_site,  # noqa: F811
    site_url,  # noqa: F811
    page,
    bundle_key,  # noqa: F811
):
    page.context.add_cookies([{"name": "probe", "value": "session-like", "url": site_url}])
    answer = url_answer(built_site, bundle_key, f"{SIGNED_PATH}?{SIGNED_QUERY}")
    signature = answer["signature"]
    FakeMemberApi(page, bundle=answer)
    fetched = []

    def serve_bundle(route):
        fetched.append((urlsplit(route.request.url), route.request.headers))
        route.fulfill(status=200, content_type="application/json", body=bundle_bytes())

    page.route("**/seq-*/**", serve_bundle)
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    assert visible_alert_numbers(page) == ["2026-0042", "2026-0041"]
    ((url, headers),) = fetched
    assert (url.path, url.query) == (SIGNED_PATH, SIGNED_QUERY)
    assert "cookie" not in {name.lower() for name in headers}
    # Kept on the device for offline reading as the bytes that verified, not as the URL.
    (saved,) = wait_until(lambda: records(page, "saved"), what="the bundle to be saved")
    kept = {"bundle": base64.b64encode(bundle_bytes()).decode(), "signature": signature}
    assert saved == {"parts": [{"scope": "all", "answer": kept}]}


def test_a_url_on_another_origin_is_not_followed(
    built_site,  # noqa: F811
    site_url,  # noqa: F811
    page,
    bundle_key,  # noqa: F811
):
    elsewhere = (
        f"https://uglymugs-bundles.s3.eu-west-2.amazonaws.com{SIGNED_PATH}?X-Amz-Signature=x"
    )
    FakeMemberApi(page, bundle=url_answer(built_site, bundle_key, elsewhere))
    requested = []
    page.route("**/*amazonaws.com/**", lambda route: requested.append(route.request.url))
    open_member_area(page, site_url)
    page.locator("#alerts-warning").wait_for(state="visible")
    assert WARNING in page.inner_text("#alerts-warning")
    assert page.locator("#alert-list article").count() == 0
    assert requested == []
