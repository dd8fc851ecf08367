"""A member's whole first visit, against the real scheme (``uglymugs dev``), in Chromium.

Join → staff approve → the set-password link from the outbox → log in → the alert list
from a bundle the browser verified → a check that finds the example alert's phone
number typed the way a person would type it.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import set_password_link

pytestmark = pytest.mark.browser

USERNAME = "journey-rosie"
PASSWORD = "a long enough passphrase 42"


def test_join_approve_set_password_login_read_alerts_and_check(scheme, page):
    published = scheme.uglymugs("publish", "--no-site")
    assert published.returncode == 0, published.stderr

    page.goto(scheme.base_url + "/members/join/")
    page.fill("#username", USERNAME)
    page.fill("#email", "journey.rosie@example.org")
    page.check("#work-agency")  # the page's choices must be the API's choices
    page.check("#gender-prefer_not_to_say")
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#join-success").wait_for(state="visible")

    approved = scheme.uglymugs("members", "approve", USERNAME)
    assert approved.returncode == 0, approved.stderr

    link = set_password_link(scheme)
    page.goto(scheme.base_url + link)
    assert urlsplit(page.url).fragment == ""
    page.fill("#password", PASSWORD)
    page.fill("#password-confirm", PASSWORD)
    page.click("#password-submit")
    page.locator("#password-done").wait_for(state="visible")

    page.goto(scheme.base_url + "/members/")
    page.fill("#login", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.locator("#alert-2026-0008").wait_for(timeout=20_000)
    assert page.locator("#alerts-warning").is_hidden()  # the bundle verified
    assert page.locator("#alert-list article").count() >= 6

    page.select_option("#check-kind", "phone")
    page.fill("#check-value", "07700 900123")
    page.click("#check-submit")
    page.locator("#check-result li").wait_for()
    assert "2026-0008" in page.inner_text("#check-result")
    assert page.console_problems == []  # a logged-out visit asks /api/session: no 401
