"""Answering police in Chromium: a request for help sent from the partner form is
found with the queue's "From police" filter, counted on the front page, and answered
from its page in the staff console (``uglymugs staff``): a refusal names the field,
the same form sent twice sends one encrypted e-mail to the directory partner's contact, never
to the contact the submission typed; axe finds no serious violation on the form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser

import pyrage
import pytest

from tests.browser.conftest import PASSPHRASE, RunningScheme, staff_console
from tests.browser.test_accessibility import AXE, _axe_problems
from tests.partner_files import write_partner

pytestmark = pytest.mark.browser

TYPED_CONTACT = "canary.impostor@police.example"
REPLY = "Canary-Reply-41c7: we have not seen the van; we will tell you if we do."
HUB = "t-reply-hub"


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> tuple[object, str]:
    """A partner directory with one hub; its age identity and the directory."""
    partners = tmp_path_factory.mktemp("partners")
    identity = write_partner(partners, HUB, "hub", name="Test hub")
    return identity, str(partners)


@pytest.fixture(scope="module")
def staff_url(scheme: RunningScheme, hub, tmp_path_factory) -> Iterator[str]:
    """``uglymugs staff`` on the dev scheme's data, with the partner directory."""
    root = tmp_path_factory.mktemp("staff")
    (root / "checkout").mkdir()
    log = root / "staff.log"
    with staff_console(scheme, root / "checkout", log, UGLYMUGS_PARTNERS_DIR=hub[1]) as url:
        yield url


def request_help(page, base_url: str) -> str:
    page.goto(base_url + "/partners/submit/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    page.check("#submission_kind-help_request")
    page.fill("#what_happened", "Has anyone been offered a lift in a silver van near Piccadilly?")
    page.fill("#organisation", "Example hub")
    page.fill("#town_or_area", "Manchester")
    page.fill("#contact_details", TYPED_CONTACT)
    page.select_option("#force_area", "greater-manchester")
    page.click("#partner-submit")
    page.locator("#partner-success").wait_for(state="visible", timeout=20_000)
    return page.locator("#partner-number").inner_text().strip()


def replies_to(data_dir, address: str) -> list:
    found = []
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if address in str(message["To"]):
            found.append(message)
    return found


def test_a_request_from_police_is_answered_once_from_the_console(scheme, staff_url, hub, browser):
    number = request_help(browser.new_context().new_page(), scheme.base_url)
    page = browser.new_context().new_page()
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.goto(staff_url)
    page.fill("#passphrase", PASSPHRASE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "request for help from police, not yet answered" in page.content()
    page.goto(staff_url.split("/launch")[0] + "/queue?kind=police")
    page.click(f'a[href="/incidents/{number}"]')
    page.locator("#reply").wait_for()

    page.select_option("#reply-to", HUB)
    with page.expect_navigation():
        page.click("text=E-mail the reply, encrypted")  # with no reply written
    assert page.locator("#reply-text").get_attribute("aria-invalid") == "true"
    assert "write the reply" in page.inner_text("#reply-problem")
    page.add_script_tag(url="/__axe.js")
    assert _axe_problems(page) == []
    assert replies_to(scheme.data_dir, HUB) == []

    page.fill("#reply-text", REPLY)
    form = page.evaluate(
        """() => {
            const form = document.querySelector('form[action$="/reply"]');
            return [form.action, new URLSearchParams(new FormData(form)).toString()];
        }"""
    )
    with page.expect_navigation(url=re.compile(r"replied=sent")):
        page.click("text=E-mail the reply, encrypted")
    resent = page.evaluate(  # the same form again, as a double click or a retry sends it
        """async ([url, body]) => {
            const headers = {"Content-Type": "application/x-www-form-urlencoded"};
            const response = await fetch(url, {method: "POST", body, headers});
            return [response.url, await response.text()];
        }""",
        form,
    )
    assert "replied=already" in resent[0] and "nothing was sent again" in resent[1]
    (sent,) = replies_to(scheme.data_dir, HUB)
    assert replies_to(scheme.data_dir, TYPED_CONTACT) == []
    (attachment,) = [part for part in sent.iter_attachments()]
    assert REPLY not in sent.as_string()
    assert REPLY in pyrage.decrypt(attachment.get_content(), [hub[0]]).decode()
    assert "Answered the partner by e-mail" in page.content()
