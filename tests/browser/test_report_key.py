"""The report form seals only to the key built into the page (issue 12, item 1).

Whoever controls the API's answers (a compromised function, its settings, a proxy)
must not be able to choose the key a report is sealed to. Here the API answers
``unknown_key`` and offers another key at ``/api/reports/key``: the page never asks
for it, never posts again, says it is out of date, and keeps everything typed. What
it did post opens with the private half of the key the page was built with.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from tests.browser.device_state import outbox, wait_until
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.crypto.keys import unlock_report_keys

pytestmark = [pytest.mark.browser, pytest.mark.attack("key substitution in the browser")]

NUMBER = "UM-7K3F-92QH-X4PM"
TYPED = {
    "what_happened": "Canary-Key-4410 he grabbed my phone and would not give it back",
    "town_or_area": "Canary-Town-Lowmoor-Edge",
    "offender_clothing": "Canary-Coat long green parka",
}
OUT_OF_DATE = "This page is out of date"
HELD = "this copy of the site is out of date"
ATTACKER_KEY = PrivateKey.generate()
UNKNOWN_KEY = {
    "error": {
        "code": "unknown_key",
        "message": "this report was sealed to a key we do not hold",
        "field": "key_id",
    }
}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("report-key"))


class HostileReportApi:
    """``/api/reports`` refusing every key (``unknown_key``) until told to accept, and
    ``/api/reports/key`` offering a key whose private half is not the scheme's."""

    def __init__(self, context) -> None:
        self.context = context
        self.up = True
        self.accept = False
        self.calls: list[tuple[str, str, dict | None]] = []
        context.route("**/api/**", self.handle)

    def set_online(self, up: bool) -> None:
        self.up = up
        self.context.set_offline(not up)

    def posts(self) -> list[dict]:
        return [body for method, path, body in self.calls if method == "POST"]

    def handle(self, route) -> None:
        if not self.up:
            route.abort("internetdisconnected")
            return
        request = route.request
        path = urlsplit(request.url).path
        body = json.loads(request.post_data) if request.post_data else None
        self.calls.append((request.method, path, body))
        if path == "/api/reports/key":
            offered = {
                "key_id": "report-attacker",
                "public_key": base64.b64encode(bytes(ATTACKER_KEY.public_key)).decode(),
            }
            route.fulfill(status=200, content_type="application/json", body=json.dumps(offered))
        elif self.accept:
            answer = json.dumps({"report_number": NUMBER})
            route.fulfill(status=201, content_type="application/json", body=answer)
        else:
            route.fulfill(status=422, content_type="application/json", body=json.dumps(UNKNOWN_KEY))


def opened(built_site, posted: dict) -> dict:
    """The report in a POST body, opened with the built-in key's private half."""
    assert posted["key_id"] == built_site.keys.report_key_id
    keys = unlock_report_keys(built_site.settings.keys_dir, PASSPHRASE)
    sealed = base64.b64decode(posted["ciphertext"], validate=True)
    return json.loads(SealedBox(keys[posted["key_id"]]).decrypt(sealed))


def fill_report(page) -> None:
    page.check("#report_type-full")
    for name, value in TYPED.items():
        page.fill(f"#{name}", value)
    page.check("#categories-robbery")


def test_unknown_key_never_reseals_says_out_of_date_and_keeps_what_was_typed(
    built_site, site_url, context
):
    api = HostileReportApi(context)
    page = context.new_page()
    page.goto(site_url + "/report/")
    page.locator("#report-submit:enabled").wait_for()
    fill_report(page)
    page.click("#report-submit")
    page.locator("#report-error", has_text=OUT_OF_DATE).wait_for()
    page.wait_for_timeout(500)  # time for a second request, were there one

    # One POST, sealed to the page's own key; the offered key was never even fetched.
    assert [(method, path) for method, path, _ in api.calls] == [("POST", "/api/reports")]
    (posted,) = api.posts()
    report = opened(built_site, posted)
    assert {name: report["answers"][name] for name in TYPED} == TYPED
    assert report["answers"]["categories"] == ["robbery"]
    with pytest.raises(CryptoError):
        SealedBox(ATTACKER_KEY).decrypt(base64.b64decode(posted["ciphertext"]))

    # Nothing typed is lost: the form is still there and still filled in.
    assert page.locator("#report-form").is_visible()
    assert page.locator("#report-success").is_hidden()
    for name, value in TYPED.items():
        assert page.input_value(f"#{name}") == value
    assert page.is_checked("#categories-robbery")
    assert outbox(page) == []  # and nothing was queued to be sealed again later
    error = page.inner_text("#report-error")
    assert "Nothing you typed is lost" in error

    # Sending again sends the same ciphertext, never a new one to another key.
    page.click("#report-submit")
    # The page seals in a worker, so the POST comes after the click returns; Playwright
    # runs route handlers only during its own calls, hence the evaluate while waiting.
    wait_until(lambda: page.evaluate("true") and len(api.posts()) == 2, what="the second attempt")
    assert api.posts()[1] == posted

    # The page offers a reload, which brings the page afresh (with the build's key).
    reload = page.get_by_role("button", name="Reload the page")
    with page.expect_navigation():
        reload.click()
    page.locator("#report-submit:enabled").wait_for()
    assert all(path != "/api/reports/key" for _, path, _ in api.calls)


def test_a_queued_report_refused_for_its_key_is_kept_sealed_and_tried_after_a_reload(
    built_site, site_url, context
):
    api = HostileReportApi(context)
    page = context.new_page()
    page.goto(site_url + "/report/")
    page.locator("#report-submit:enabled").wait_for()
    api.set_online(False)
    fill_report(page)
    page.click("#report-submit")
    page.locator("#report-queued").wait_for(state="visible")
    (queued,) = outbox(page)

    api.set_online(True)
    page.locator("#outbox-notice", has_text=HELD).wait_for(timeout=30_000)
    (held,) = outbox(page)
    assert held["state"] == "held"
    assert (held["id"], held["key_id"], held["ciphertext"]) == (
        queued["id"],
        queued["key_id"],
        queued["ciphertext"],
    )
    assert len(api.posts()) == 1
    assert all(path != "/api/reports/key" for _, path, _ in api.calls)
    assert opened(built_site, api.posts()[0])["answers"]["what_happened"] == TYPED["what_happened"]
    page.wait_for_timeout(500)
    assert len(api.posts()) == 1  # held: not retried in a loop

    # After a reload it is tried again, still exactly as it was sealed.
    api.accept = True
    with page.expect_navigation():
        page.locator("#outbox-notice").get_by_role("button", name="Reload the page").click()
    page.locator("#outbox-notice .report-number").wait_for(timeout=30_000)
    assert page.inner_text("#outbox-notice .report-number") == NUMBER
    assert api.posts() == [api.posts()[0]] * 2
    assert all(path != "/api/reports/key" for _, path, _ in api.calls)
