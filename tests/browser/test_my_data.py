"""A member downloads their data and closes their account from the member area, in
Chromium against the real scheme (``uglymugs dev``)."""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import approve_and_log_in

pytestmark = pytest.mark.browser

USERNAME = "leaving-lou"
EMAIL = "leaving.lou@example.org"
PASSWORD = "a long enough passphrase 43"


def logged_in_member(scheme, page) -> None:
    page.goto(scheme.base_url + "/members/join/")
    page.fill("#username", USERNAME)
    page.fill("#email", EMAIL)
    page.check("#work-agency")
    page.check("#gender-prefer_not_to_say")
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#join-success").wait_for(state="visible")
    approve_and_log_in(scheme, page, USERNAME, PASSWORD)
    page.locator("#my-data-download").wait_for(state="visible", timeout=20_000)


def test_download_my_data_then_close_my_account(scheme, page):
    logged_in_member(scheme, page)
    with page.expect_download() as download:
        page.click("#my-data-download")
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert download.value.suggested_filename == "uglymugs-my-data.json"
    assert saved["member"]["username"] == USERNAME and saved["member"]["email"] == EMAIL
    assert "password_hash" not in json.dumps(saved)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close-account")
    page.locator("#login-section").wait_for(state="visible")
    assert "account is closed" in page.locator("#login-notice").inner_text()
    listed = scheme.uglymugs("members", "list")
    assert listed.returncode == 0 and USERNAME not in listed.stdout

    page.fill("#login", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.locator("#login-error, .error-summary").first.wait_for(state="visible")
