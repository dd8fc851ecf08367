# ruff: noqa: F811 - the member pages' module fixtures, imported by name
"""Alert bundles are verified in a Web Worker, and refused there as on the page.

The worker runs dist/sodium.js started from bytes fetched with the page's SRI hash
(bundle-verifier.mjs); without workers the page verifies the bundle itself. Either
way a bundle that does not verify shows the warning and no alert, and a sodium.js
whose bytes do not match the hash runs nowhere.
"""

from __future__ import annotations

import pytest

from tests.browser.static_server import NO_WORKERS
from tests.browser.test_member_pages import (  # noqa: F401 - module fixtures
    WARNING,
    FakeMemberApi,
    _another_key,
    _tampered_byte,
    built_site,
    bundle_key,
    open_member_area,
    signed_bundle,
    site_url,
    visible_alert_numbers,
)

pytestmark = pytest.mark.browser


def verified_in(page) -> str:
    return page.get_attribute("#members-app", "data-verified-in") or ""


def refused(page) -> bool:
    page.locator("#alerts-warning").wait_for(state="visible")
    return (
        WARNING in page.inner_text("#alerts-warning")
        and page.locator("#alert-list article").count() == 0
        and "Maidstone" not in page.inner_text("main")
    )


def test_a_bundle_is_verified_in_a_worker(built_site, site_url, page, bundle_key):
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    assert visible_alert_numbers(page) == ["2026-0042", "2026-0041"]
    assert verified_in(page) == "worker"
    assert page.console_problems == []


@pytest.mark.parametrize("forge", [_tampered_byte, _another_key])
def test_a_tampered_bundle_is_refused_through_the_worker(
    built_site, site_url, page, bundle_key, forge
):
    FakeMemberApi(page, bundle=forge(built_site, bundle_key))
    open_member_area(page, site_url)
    assert refused(page)
    assert verified_in(page) == "worker"


def test_without_workers_the_page_verifies_and_refuses_itself(
    built_site, site_url, page, bundle_key
):
    page.add_init_script(NO_WORKERS)
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    assert verified_in(page) == "page"
    assert visible_alert_numbers(page) == ["2026-0042", "2026-0041"]

    api.bundle = _tampered_byte(built_site, bundle_key)
    page.reload()
    assert refused(page)
    assert verified_in(page) == "page"


def test_a_libsodium_file_that_fails_its_hash_runs_nowhere(
    built_site, site_url, browser, bundle_key
):
    # No service worker: it would answer from the copy it kept, unaltered.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    fetched = []

    def altered(route):
        fetched.append(route.request.resource_type)
        response = route.fetch()
        route.fulfill(response=response, body=response.body() + b"\n;window.ran=1;\n")

    page.route("**/sodium.js", altered)
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alerts-warning").wait_for(state="visible")
    assert page.locator("#alert-list article").count() == 0
    assert page.evaluate("window.ran") is None
    assert "fetch" in fetched  # the worker's download, refused by its hash
    context.close()
