"""The report form and the offline queue wait as long as a 503's ``Retry-After`` asks."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.device_state import outbox, wait_until
from tests.browser.static_server import serve_static
from tests.browser.test_offline_app import Network, _fill_report
from tests.browser.test_report_form import NUMBER, built_site, site_url  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site_url(built_site):  # noqa: F811
    with serve_static(built_site.output) as url:
        yield url


def test_a_retry_waits_for_retry_after(site_url, page):  # noqa: F811
    posted: list[float] = []
    answers = [
        (503, {"Retry-After": "2"}, {"error": {"code": "storage_unavailable", "message": "x"}}),
        (201, {}, {"report_number": NUMBER}),
    ]

    def handle(route) -> None:
        posted.append(time.monotonic())
        status, headers, body = answers.pop(0)
        route.fulfill(
            status=status, headers=headers, content_type="application/json", body=json.dumps(body)
        )

    page.route("**/api/reports", handle)
    page.goto(site_url + "/report/")
    page.fill("#what_happened", "Something happened")
    page.click("#report-submit")
    page.locator("#report-error button").wait_for()
    page.click("#report-error button")  # "Try again", at once
    page.locator("#report-number").wait_for(state="visible", timeout=10_000)
    assert len(posted) == 2
    assert posted[1] - posted[0] >= 1.9


class BusyNetwork(Network):
    """/api/reports answers 503 with ``Retry-After`` until told otherwise."""

    def __init__(self, context, retry_after: str) -> None:
        super().__init__(context)
        self.retry_after = retry_after
        self.busy = True

    def reports(self, route) -> None:
        if self.up and self.busy:
            self.posts.append(json.loads(route.request.post_data))
            body = {"error": {"code": "storage_unavailable", "message": "x"}}
            route.fulfill(
                status=503,
                headers={"Retry-After": self.retry_after},
                content_type="application/json",
                body=json.dumps(body),
            )
            return
        super().reports(route)


def test_the_offline_queue_sends_nothing_before_retry_after(offline_site_url, context):
    network = BusyNetwork(context, retry_after="8")
    page = context.new_page()
    page.goto(offline_site_url + "/report/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    network.set_online(False)
    _fill_report(page)
    page.click("#report-submit")
    page.locator("#report-queued").wait_for(state="visible")
    page.locator("#outbox-notice p").first.wait_for()

    network.set_online(True)  # the queue sends at once, and hears "not for 8 seconds"
    # Playwright answers routes only while the test waits on it: wait through the page.
    wait_until(lambda: page.wait_for_timeout(100) or network.posts, what="the first attempt")
    first_post_at = time.monotonic()
    wait_until(lambda: outbox(page)[0].get("not_before"), what="the wait to be kept")
    network.busy = False
    network.set_online(False)
    network.set_online(True)  # a reconnection within the wait sends nothing
    page.wait_for_timeout(1_000)
    assert time.monotonic() - first_post_at < 8  # still within the wait
    assert len(network.posts) == 1

    page.wait_for_timeout(max(0.0, first_post_at + 8.5 - time.monotonic()) * 1000)
    network.set_online(False)
    network.set_online(True)  # after it, the report goes
    page.locator("#report-number").wait_for(timeout=10_000)
    assert len(network.posts) == 2 and network.posts[0] == network.posts[1]
