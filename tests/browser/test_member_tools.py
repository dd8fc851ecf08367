"""The member area's tools in Chromium: select alerts, copy them as text and download
them as Word (only numbers are sent); the member's language in preferences; the mobile
reminder's one-tap confirm; the API tokens page. axe-core clean on each new view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from nacl.signing import SigningKey

from tests.browser.static_server import serve_static
from tests.browser.test_member_pages import FakeMemberApi, _axe_violations, signed_bundle
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.crypto.keys import unlock_bundle_key

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("member-tools"))


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve_static(built_site.output) as url:
        yield url


@pytest.fixture(scope="module")
def bundle_key(built_site) -> SigningKey:
    return unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)


ME = {
    "username": "project1",
    "membership_type": "project",
    "has_mobile": True,
    "language": "pl",
    "mobile_reminder_due": True,
    "preferences": {"channels": ["email", "sms"], "regions": [], "discreet_sms": False},
}


def serious(page) -> list:
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in _axe_violations(page)]


def test_select_copy_and_download_send_only_numbers(built_site, site_url, page, bundle_key):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    api.answer("GET", "/api/members/me", (200, ME))
    api.answer("POST", "/api/alerts/text", (200, "Alert 2026-0008"))
    page.goto(site_url + "/members/")
    page.locator("#alert-list article").first.wait_for()
    assert page.locator("#mobile-reminder").is_visible()
    assert page.locator("#language").input_value() == "pl"
    page.locator("#alerts-copy").click()
    page.locator("#alerts-passing-on-status").filter(has_text=" ").wait_for()
    assert api.bodies("POST", "/api/alerts/text") == []  # nothing selected: nothing sent
    first = page.locator(".alert-select-box").first
    number = first.get_attribute("id").removeprefix("select-")
    first.check()
    page.locator("#alerts-copy").click()
    page.wait_for_function("() => document.getElementById('alerts-passing-on-status').textContent")
    assert api.bodies("POST", "/api/alerts/text") == [{"numbers": [number]}]
    with page.expect_download() as download:
        page.locator("#alerts-docx").click()
    assert download.value.suggested_filename == "alerts.docx"
    assert api.bodies("POST", "/api/alerts/docx") == [{"numbers": [number]}]
    assert serious(page) == []
    page.locator("#mobile-confirm").click()
    page.locator("#mobile-reminder").wait_for(state="hidden")
    assert ("POST", "/api/members/me/mobile-confirmed", None) in api.calls
    page.locator("#preferences-submit").click()
    page.wait_for_function("() => document.getElementById('preferences-status').textContent")
    assert api.bodies("PUT", "/api/members/me/preferences")[-1]["language"] == "pl"


def test_a_project_finds_its_tokens_and_changes_its_number(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    api.answer("GET", "/api/members/me", (200, ME))
    api.answer("PUT", "/api/members/me/mobile", (200, {**ME, "mobile_reminder_due": False}))
    page.goto(site_url + "/members/")
    page.locator("#alert-list article").first.wait_for()
    link = page.locator("#tokens-section a")
    assert link.is_visible() and link.get_attribute("href") == "tokens/"
    page.locator("#mobile-new").fill("07700 900123")
    page.locator("#mobile-form button[type=submit]").click()
    page.locator("#mobile-reminder").wait_for(state="hidden")
    assert api.bodies("PUT", "/api/members/me/mobile") == [{"mobile": "07700 900123"}]
    assert serious(page) == []


def test_an_individual_member_is_not_offered_tokens(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    api.answer("GET", "/api/members/me", (200, {**ME, "membership_type": "individual"}))
    page.goto(site_url + "/members/")
    page.locator("#alert-list article").first.wait_for()
    assert page.locator("#tokens-section").is_hidden()


def test_the_tokens_page_lists_makes_and_shows_a_token_once(site_url, page):
    api = FakeMemberApi(page)
    listed = {"id": "t1", "name": "Newsletter", "created_at": "2026-11-23T10:00:00Z"}
    api.answer(
        "GET",
        "/api/members/me/tokens",
        (200, {"tokens": [{**listed, "last_used": None}]}),
        (200, {"tokens": [{**listed, "last_used": None}, {**listed, "id": "t2", "name": "Web"}]}),
    )
    made = {"token": "umt_" + "x" * 43, **listed, "id": "t2", "name": "Web", "last_used": None}
    api.answer("POST", "/api/members/me/tokens", (201, made))
    page.goto(site_url + "/pl/members/tokens/")
    page.locator("#token-list tr").first.wait_for()
    assert serious(page) == []
    page.locator("#token-name").fill("Web")
    page.locator("#token-submit").click()
    page.locator("#token-new").wait_for(state="visible")
    assert page.locator("#token-value").input_value() == made["token"]
    assert api.bodies("POST", "/api/members/me/tokens") == [{"name": "Web"}]
    page.locator("#token-list tr").nth(1).wait_for()
    assert serious(page) == []


def test_the_tokens_page_asks_to_log_in_without_a_session(site_url, page):
    FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/tokens/")
    page.locator("#tokens-login").wait_for(state="visible")
    assert not page.locator("#tokens-section").is_visible()
