"""The report form waits as long as a 503's ``Retry-After`` asks before sending again."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.test_report_form import NUMBER, built_site, site_url  # noqa: F401

pytestmark = pytest.mark.browser


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
