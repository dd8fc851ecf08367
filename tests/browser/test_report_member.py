"""A project member reports, against the real scheme (``uglymugs dev``), in Chromium.

The form starts with the membership's reporter answer; the report goes without the
session cookie; the member may ask for its number by e-mail, which arrives in the
outbox while nothing the scheme stores, and nothing it logs, ties the number to them.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from tests.browser.conftest import approve_and_log_in
from tests.browser.device_state import wait_until

pytestmark = pytest.mark.browser

USERNAME = "harbour-project"
EMAIL = "office@harbour-project.example.org"
PASSWORD = "a long enough passphrase 44"
WHAT_HAPPENED = "Canary-Member-5521 he refused to pay and followed her out."


def _logged_in_project_member(scheme, page) -> None:
    page.goto(scheme.base_url + "/members/join/")
    page.check("#membership_type-project")
    page.fill("#organisation", "Harbour Project")
    page.fill("#contact_role", "Outreach worker")
    page.fill("#username", USERNAME)
    page.fill("#email", EMAIL)
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#join-success").wait_for(state="visible")
    approve_and_log_in(scheme, page, USERNAME, PASSWORD)
    page.locator("#member-name").wait_for(state="visible", timeout=20_000)


def _mails_to(scheme, address: str) -> list[str]:
    texts = []
    for path in sorted((scheme.data_dir / "outbox").glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if message["To"] == address:
            texts.append(message.get_body(("plain",)).get_content())
    return texts


def _files_holding(scheme, texts: list[str]) -> set[str]:
    """Every file of the data directory (outside the outbox) holding one of ``texts``."""
    found = set()
    for path in scheme.data_dir.rglob("*"):
        if not path.is_file() or "outbox" in path.relative_to(scheme.data_dir).parts:
            continue
        data = path.read_bytes()
        if any(text.encode() in data for text in texts):
            found.add(str(path.relative_to(scheme.data_dir)))
    return found


def test_a_member_reports_as_their_type_and_gets_the_number_by_email_alone(scheme, page):
    _logged_in_project_member(scheme, page)
    report_requests = []
    page.on("request", lambda r: r.url.endswith("/api/reports") and report_requests.append(r))

    page.goto(scheme.base_url + "/report/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    assert page.is_checked("#reporter-project")  # the membership's answer
    legend = page.inner_text("#consent_alert > legend")
    assert "the person it happened to" in legend
    page.check("#report_type-partial")
    page.check("#victim_agreed-yes")
    page.fill("#what_happened", WHAT_HAPPENED)
    page.click("#report-submit")
    page.locator("#report-number").wait_for(state="visible", timeout=20_000)
    number = page.inner_text("#report-number")

    (request,) = report_requests
    assert "cookie" not in {name.lower() for name in request.all_headers()}
    assert WHAT_HAPPENED not in (request.post_data or "")
    assert USERNAME not in (request.post_data or "")

    assert page.locator("#report-mail").is_visible()
    assert "e-mail provider" in page.inner_text("#report-mail")
    stored_before = _files_holding(scheme, [number, number.replace("-", "")])
    log_before = scheme.server_log.read_text()
    assert not any(number in text for text in _mails_to(scheme, EMAIL))

    page.click("#report-mail-send")
    wait_until(lambda: page.inner_text("#report-mail-status") != "", what="the mail's answer")
    assert page.inner_text("#report-mail-status") == "Sent. Check your e-mail."
    assert page.locator("#report-mail-send").is_disabled()

    (mail,) = [text for text in _mails_to(scheme, EMAIL) if number in text]
    assert WHAT_HAPPENED not in mail
    # Nothing the scheme keeps, outside the mail itself, gained the number, and the
    # log names neither the number nor the member.
    assert _files_holding(scheme, [number, number.replace("-", "")]) == stored_before
    logged = scheme.server_log.read_text()[len(log_before) :]
    assert number not in logged and USERNAME not in logged and EMAIL not in logged
