"""The report form in Chromium, under the real CSP, with the API played by the test.

The built site is served as static files with the security headers of
``uglymugs.web.security_headers``; ``/api/reports`` is answered by a Playwright route,
so each test decides what the server says and sees exactly what the browser sent.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from nacl.public import SealedBox

from tests.browser.static_server import NO_WORKERS, serve_static
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.crypto.keys import unlock_report_keys

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("report-form"))


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve_static(built_site.output) as url:
        yield url


class FakeApi:
    """Answers POST /api/reports with the queued responses and records each body."""

    def __init__(self, browser_page, responses) -> None:
        self.bodies: list[dict] = []
        self.responses = list(responses)
        browser_page.route("**/api/reports", self.handle)

    def handle(self, route) -> None:
        self.bodies.append(json.loads(route.request.post_data))
        status, body = self.responses.pop(0)
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))


def _open(built_site, body: dict) -> dict:
    keys = unlock_report_keys(built_site.settings.keys_dir, PASSPHRASE)
    sealed = base64.b64decode(body["ciphertext"], validate=True)
    return json.loads(SealedBox(keys[body["key_id"]]).decrypt(sealed))


NUMBER = "UM-7K3F-92QH-X4PM"


def test_a_report_is_sealed_sent_and_numbered(built_site, site_url, page):
    api = FakeApi(page, [(201, {"report_number": NUMBER})])
    page.goto(site_url + "/report/")
    page.fill("#what_happened", "He grabbed my bag and ran.")
    page.fill("#town_or_area", "Leeds")
    page.check("#categories-robbery")
    page.check("#categories-threats")
    page.check("#consent_alert-yes")
    page.click("#report-submit")
    page.locator("#report-number").wait_for(state="visible")
    assert page.inner_text("#report-number") == NUMBER
    assert page.locator("#report-form").is_hidden()

    (body,) = api.bodies
    assert set(body) == {"key_id", "ciphertext", "idempotency_key"}
    assert body["key_id"] == built_site.keys.report_key_id
    assert "grabbed" not in json.dumps(body)
    assert len(base64.urlsafe_b64decode(body["idempotency_key"] + "=")) == 32
    assert _open(built_site, body) == {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": "self",
        "language": "en",
        "answers": {
            "town_or_area": "Leeds",
            "what_happened": "He grabbed my bag and ran.",
            "categories": ["robbery", "threats"],
            "consent_alert": "yes",
        },
    }
    assert "He grabbed my bag" in page.inner_text("#report-copy")
    assert page.console_problems == []


@pytest.mark.parametrize(("init_script", "sealed_in"), [("", "worker"), (NO_WORKERS, "page")])
def test_the_report_is_sealed_in_a_worker_or_else_on_the_page(
    built_site, site_url, page, init_script, sealed_in
):
    """libsodium never compiles on the form's thread where a worker can run it; where
    none can, the page seals the same way, and either way only ciphertext is sent."""
    if init_script:
        page.add_init_script(init_script)
    api = FakeApi(page, [(201, {"report_number": NUMBER})])
    page.goto(site_url + "/report/")
    page.fill("#what_happened", "He grabbed my bag and ran.")
    page.click("#report-submit")
    page.locator("#report-number").wait_for(state="visible")
    assert page.get_attribute("#report-form", "data-sealed-in") == sealed_in
    (body,) = api.bodies
    assert "grabbed" not in json.dumps(body)
    assert _open(built_site, body)["answers"] == {"what_happened": "He grabbed my bag and ran."}
    assert page.console_problems == []


def test_a_retry_resends_the_same_sealed_report_until_the_answers_change(
    built_site,
    site_url,
    page,
):
    api = FakeApi(
        page,
        [
            (503, {"error": {"code": "storage_unavailable", "message": "down"}}),
            (503, {"error": {"code": "storage_unavailable", "message": "down"}}),
            (201, {"report_number": NUMBER}),
        ],
    )
    page.goto(site_url + "/report/")
    page.fill("#what_happened", "First version")
    page.click("#report-submit")
    page.locator("#report-error li").first.wait_for()
    assert page.input_value("#what_happened") == "First version"
    page.click("#report-error button")  # "Try again"
    # The click disables the button at once; it comes back when the retry is answered.
    # (Not wait_for_function with an expression: Playwright polls it with eval, which
    # the page's CSP refuses whenever the first look is not already true.)
    page.locator("#report-submit:enabled").wait_for()
    page.locator("#report-error li").first.wait_for()
    page.fill("#what_happened", "Second version")
    page.click("#report-submit")
    page.locator("#report-number").wait_for(state="visible")

    first, retry, changed = api.bodies
    assert retry == first
    assert changed["idempotency_key"] != first["idempotency_key"]
    assert changed["ciphertext"] != first["ciphertext"]
    assert _open(built_site, changed)["answers"] == {"what_happened": "Second version"}


def test_mistakes_are_caught_in_the_browser_and_nothing_is_sent(site_url, page):
    api = FakeApi(page, [(201, {"report_number": NUMBER})])
    page.goto(site_url + "/report/")
    page.check("#report_type-partial")
    page.locator("#report-submit:enabled").click()
    assert page.locator("#what_happened-error").is_visible()
    assert page.get_attribute("#what_happened", "aria-invalid") == "true"

    page.check("#report_type-follow_up")
    assert page.locator("#follows").is_visible()
    page.fill("#follows", NUMBER[:-1] + "0")  # wrong check character
    page.fill("#vehicle_colour", "Silver")
    page.click("#report-submit")
    assert "does not look right" in page.inner_text("#follows-error")
    assert api.bodies == []


def test_who_is_reporting_changes_the_questions(site_url, page):
    page.goto(site_url + "/report/")
    assert page.locator("#project_name").is_hidden()
    assert page.locator("#section-reporter_details").is_hidden()
    page.check("#reporter-project")
    assert page.locator("#project_name").is_visible()
    assert page.locator("#site_name").is_hidden()
    assert page.locator("#victim_agreed").is_visible()
    page.check("#reporter-site")
    assert page.locator("#site_name").is_visible()
    assert page.locator("#project_name").is_hidden()
    assert page.locator("#victim_agreed").is_visible()  # a site is asked too
    page.check("#reporter-self")
    assert page.locator("#victim_agreed").is_hidden()


def test_quick_exit_clears_the_form_and_leaves(site_url, page):
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="weather"))
    page.goto(site_url + "/report/")
    page.fill("#what_happened", "something private")
    page.click("#quick-exit")
    page.wait_for_url("https://www.bbc.co.uk/weather")
    assert page.url == "https://www.bbc.co.uk/weather"
