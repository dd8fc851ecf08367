"""The first promise, shown in a real browser: the report leaves it sealed.

Chromium fills in the report form on the site served by ``uglymugs dev``; the test
captures the POST body and finds none of the values typed, then staff open the report
with ``uglymugs reports show`` and find every one of them.
"""

import json

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.attack("leakage"),
]

TYPED = {
    "what_happened": "Canary-WH-5521: he took the money back at knifepoint and drove off",
    "town_or_area": "Canary-Town-Ashbourne-Vale",
    "offender_clothing": "Canary-Clothes grey hoodie with a red fox logo",
    "vehicle_registration": "CN51 QZX",
    "phone_numbers": "07700 900999",
    "emails": "canary.client@example.org",
}


def fill_full_report(page):
    page.check("input[name=report_type][value=full]")
    page.check("input[name=reporter][value=self]")
    for name, value in TYPED.items():
        page.fill(f"[name={name}]", value)


def test_report_post_body_holds_no_plaintext_and_staff_can_read_it(scheme, page):
    page.goto(scheme.base_url + "/report/")
    fill_full_report(page)
    with page.expect_request(
        lambda r: r.url.endswith("/api/reports") and r.method == "POST"
    ) as sent:
        page.click("#report-submit")
    body = sent.value.post_data
    payload = json.loads(body)
    assert set(payload) == {"key_id", "ciphertext", "idempotency_key"}
    for value in TYPED.values():
        for form in {value, value.lower(), json.dumps(value)[1:-1], value.replace(" ", "+")}:
            assert form not in body
    number = page.locator("#report-number").inner_text(timeout=20_000).strip()
    assert number.startswith("UM-")
    assert page.console_problems == []

    shown = scheme.uglymugs("reports", "show", number, "--json")
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    for name, value in TYPED.items():
        assert report["answers"][name] == value
    assert report["report_type"] == "full"

    readable = scheme.uglymugs("reports", "show", number)
    assert readable.returncode == 0, readable.stderr
    words_shown = " ".join(readable.stdout.split())  # the table wraps long answers
    for value in TYPED.values():
        assert value in words_shown


def test_nothing_typed_reaches_a_log_or_a_stored_byte(scheme, page):
    page.goto(scheme.base_url + "/report/")
    fill_full_report(page)
    page.click("#report-submit")
    page.locator("#report-number").wait_for(timeout=20_000)
    server_output = scheme.server_log.read_text()
    stored = [p.read_bytes() for p in scheme.data_dir.rglob("*") if p.is_file()]
    for value in TYPED.values():
        assert value not in server_output
        assert all(value.encode() not in content for content in stored)
    assert "127.0.0.1" not in server_output.replace(scheme.base_url, "")
    assert "HeadlessChrome" not in server_output
