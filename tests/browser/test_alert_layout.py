"""Alerts that read like alerts (issue 18, item 3), on a phone and on paper, in Chromium.

The seven example alerts of ``site/alerts``, checked and bundled as ``uglymugs publish``
does them, shown two ways in every language: as cards in the member area (the site
built with throwaway keys and served as static files, the member API played by the
test as in ``test_member_pages``), and as the printable pages of the bundle. One example
is withdrawn, so in no bundle: a copy of the longest makes the seven. The goals: the
example alert 2026-0008 is at most 600 px tall on a 390 px wide phone; the
seven alerts print on at most three A4 pages; no raw key (``non_payment``) anywhere;
axe-core finds nothing serious.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from tests.browser.static_server import serve_static
from tests.browser.test_member_pages import FakeMemberApi, bundle_answer
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.alerts.bundles import build_bundles
from uglymugs.alerts.check import check_alerts
from uglymugs.alerts.printable import page_name
from uglymugs.alerts.publish import records_from_check, region_names
from uglymugs.alerts.signing import sign_detached
from uglymugs.config import repository_root
from uglymugs.crypto.keys import unlock_bundle_key
from uglymugs.languages import LANGUAGES

pytestmark = pytest.mark.browser

AXE = repository_root() / "node_modules" / "axe-core" / "axe.min.js"
TODAY = date(2026, 11, 29)
PHONE = {"width": 390, "height": 844}
EXAMPLE = "2026-0008"
MAX_HEIGHT = 600
MAX_PAGES = 3
ALERTS = 7
# Coded values of the example alerts that must never be shown as they are stored.
RAW_KEYS = (
    "non_payment",
    "online_ad",
    "sexual_assault",
    "not_sure",
    "facial_hair",
    "contact_method",
)
CODES = [language.code for language in LANGUAGES]


@pytest.fixture(scope="module")
def bundle_files() -> dict[str, bytes]:
    """The example alerts' bundles and printable pages, as a publish writes them."""
    checked = check_alerts(repository_root() / "site" / "alerts", today=TODAY)
    records = records_from_check(checked)
    assert len(records) == 7
    # One example is withdrawn, so in no bundle: the longest one, again, makes seven.
    longest = next(record for record in records if record.number == EXAMPLE)
    records.append(
        replace(longest, number="2026-0009", data={**longest.data, "number": "2026-0009"})
    )
    now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    files = build_bundles(records, sequence=3, generated_at=now, region_names=region_names())
    assert files["alerts-all.html"].count(b'<section class="alert') == ALERTS
    return files


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("alert-layout"))


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve_static(built_site.output) as url:
        yield url


@pytest.fixture(scope="module")
def answer(built_site, bundle_files) -> dict:
    key: SigningKey = unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)
    data = bundle_files["alerts-all.json"]
    return bundle_answer(data, sign_detached(data, key, built_site.keys.bundle_key_id))


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium wrote (Skia writes one ``/Type /Page`` object per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def axe_problems(page) -> list[tuple[str, list]]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def open_alerts(browser, site_url, answer, language, *, axe=False):
    # axe-core is added as a script, which the page's CSP would rightly refuse.
    context = browser.new_context(viewport=PHONE, bypass_csp=axe)
    page = context.new_page()
    page.console_problems = []
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    FakeMemberApi(page, bundle=answer)
    page.goto(site_url + language.path("/members/"))
    page.locator(f"#alert-{EXAMPLE}").wait_for(state="visible")
    return context, page


@pytest.mark.parametrize("code", CODES)
def test_the_example_alert_reads_in_order_and_fits_600px_on_a_phone(
    browser, site_url, answer, code
):
    language = next(language for language in LANGUAGES if language.code == code)
    context, page = open_alerts(browser, site_url, answer, language)
    try:
        card = page.locator(f"#alert-{EXAMPLE}")
        height = card.bounding_box()["height"]
        assert height <= MAX_HEIGHT, f"{code}: alert {EXAMPLE} is {height:.0f} px tall"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{code}: the page is {width} px wide"
        # Date, place and risk first; what happened; the description; identifiers.
        classes = card.evaluate("c => [...c.children].map(e => e.tagName + '.' + e.className)")
        assert classes[:3] == ["H3.", "P.alert-when", "P.alert-kind"], classes
        assert classes.index("DIV.alert-text") < classes.index("P.alert-fact"), classes
        text = page.inner_text("#alert-list")
        for raw in RAW_KEYS:
            assert raw not in text, (code, raw)
        if code == "en":
            when = card.locator(".alert-when").inner_text()
            assert when.startswith("Saturday, 31 October 2026, 21:30–22:00 · Newcastle upon Tyne")
            assert "High risk" in card.locator("h3").inner_text()
            assert (
                "Description: Male; aged 40–50; white; about 5 ft 10; large or heavy build; "
                "hair: grey, short; facial hair: grey beard; no glasses; accent: Geordie; "
                "wearing dark suit"
            ) in card.inner_text()
        # A correction is the first thing in its card, highlighted.
        corrected = page.locator("#alert-2026-0003 > :first-child")
        assert corrected.get_attribute("class") == "alert-correction"
        assert corrected.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        assert page.console_problems == []
    finally:
        context.close()


@pytest.mark.parametrize("code", CODES)
def test_the_seven_alerts_print_from_the_member_area_on_three_a4_pages(
    browser, site_url, answer, code
):
    language = next(language for language in LANGUAGES if language.code == code)
    context, page = open_alerts(browser, site_url, answer, language)
    try:
        assert page.locator("#alert-list article").count() == ALERTS
        page.emulate_media(media="print")
        pages = pdf_pages(page.pdf(format="A4"))
        assert 1 <= pages <= MAX_PAGES, f"{code}: {pages} A4 pages"
    finally:
        context.close()


@pytest.mark.parametrize("code", CODES)
def test_the_printable_page_of_the_seven_alerts_is_translated_and_fits_three_a4_pages(
    browser, bundle_files, tmp_path, code
):
    language = next(language for language in LANGUAGES if language.code == code)
    html = bundle_files[page_name("alerts-all", language)]
    text = html.decode()
    assert f'<html lang="{language.tag}">' in text
    for raw in RAW_KEYS:
        assert raw not in text, (code, raw)
    path = tmp_path / page_name("alerts-all", language)
    path.write_bytes(html)
    context = browser.new_context(bypass_csp=True)  # for axe-core's script
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        assert page.locator("section.alert").count() == ALERTS
        assert axe_problems(page) == []
        pages = pdf_pages(page.pdf(format="A4"))
        assert 1 <= pages <= MAX_PAGES, f"{code}: {pages} A4 pages"
    finally:
        context.close()


def test_alert_cards_have_no_serious_accessibility_violation_light_or_dark(
    browser, site_url, answer
):
    if not Path(AXE).exists():
        pytest.fail(f"{AXE} is missing: run `npm install`")
    for language in LANGUAGES:
        context, page = open_alerts(browser, site_url, answer, language, axe=True)
        try:
            toggle = page.locator("#alert-2026-0007 .alert-original-toggle")
            if toggle.count():
                toggle.click()
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                assert axe_problems(page) == [], (language.code, scheme)
        finally:
            context.close()
