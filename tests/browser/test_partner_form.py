"""The police partner form (/partners/submit/): sealed in the browser exactly as a report,
nothing typed in the POST body; staff open it as its own kind, "From police"; no
serious accessibility violation."""

import json

import pytest

from tests.browser.conftest import PASSPHRASE
from tests.browser.test_accessibility import AXE, _axe_problems

pytestmark = pytest.mark.browser

TYPED = {
    "what_happened": "Canary-Police-7731: a man offering lifts near Piccadilly assaulted two women",
    "town_or_area": "Canary-Town-Levenshulme",
    "organisation": "Canary-Unit Example Intelligence Bureau",
    "contact_details": "dc.canary@police.example",
}


def fill(page):
    page.check("#submission_kind-circulate")
    for name, value in TYPED.items():
        page.fill(f"#{name}", value)
    page.select_option("#force_area", "greater-manchester")
    page.check("#consent_alert")


@pytest.mark.attack("leakage")
def test_the_post_holds_no_plaintext_and_staff_see_it_from_police(scheme, page):
    page.goto(scheme.base_url + "/partners/submit/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    fill(page)
    with page.expect_request(
        lambda r: r.url.endswith("/api/reports") and r.method == "POST"
    ) as sent:
        page.click("#partner-submit")
    body = sent.value.post_data
    assert set(json.loads(body)) == {"key_id", "ciphertext", "idempotency_key"}
    for value in TYPED.values():
        for form in {value, value.lower(), json.dumps(value)[1:-1], value.replace(" ", "+")}:
            assert form not in body
    assert "greater-manchester" not in body and "police" not in body
    page.locator("#partner-success").wait_for(state="visible", timeout=20_000)
    number = page.locator("#partner-number").inner_text().strip()
    assert number.startswith("UM-")
    assert page.console_problems == []

    shown = scheme.uglymugs("reports", "show", number, "--json")
    assert shown.returncode == 0, shown.stderr
    content = json.loads(shown.stdout)
    assert content["schema"] == "uglymugs.partner/1" and content["reporter"] == "police"
    assert content["answers"]["consent_alert"] == "yes"
    assert content["answers"]["force_area"] == "greater-manchester"
    for name, value in TYPED.items():
        assert content["answers"][name] == value

    from uglymugs.cases.store.sqlite import SQLiteCaseStore
    from uglymugs.reports.vault.files import LocalReportVault
    from uglymugs.staff.unlocked import Keyholder

    data = scheme.data_dir
    keyholder = Keyholder(
        data / "keys", LocalReportVault(data / "vault"), SQLiteCaseStore(data / "state.sqlite3")
    )
    state = keyholder.unlock(PASSPHRASE)
    incident = state.incident_of(number)
    assert incident is not None and incident.who_reported == "police"


def test_a_missing_answer_is_shown_and_nothing_is_sent(scheme, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    page.goto(scheme.base_url + "/partners/submit/")
    page.click("#partner-submit")
    page.locator("#what_happened-error").wait_for()
    assert page.locator("#what_happened").get_attribute("aria-invalid") == "true"
    assert requests == []


def test_the_partner_form_passes_axe(scheme, page):
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.goto(scheme.base_url + "/partners/submit/")
    page.click("#partner-submit")  # with its errors shown too
    page.add_script_tag(url="/__axe.js")
    assert _axe_problems(page) == []
