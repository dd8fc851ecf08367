"""WCAG 2.2 AA in Chromium: axe-core on every page the build writes, light and dark;
the report form by keyboard alone; errors announced and reachable; the dark theme.

Every page means every HTML file in the build output, so pages added later (in any
language) are checked without touching this file.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from nacl.public import SealedBox

from tests.browser.device_state import wait_until
from tests.browser.static_server import hold_still_if_moved, serve_static
from tests.browser.test_member_pages import FakeMemberApi, signed_bundle
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.config import repository_root
from uglymugs.crypto.keys import unlock_bundle_key, unlock_report_keys
from uglymugs.website.page_assets import page_url

pytestmark = pytest.mark.browser

AXE = repository_root() / "node_modules" / "axe-core" / "axe.min.js"
NUMBER = "UM-7K3F-92QH-X4PM"
DARK_PAPER = "rgb(18, 18, 18)"
LIGHT_PAPER = "rgb(255, 255, 255)"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("accessibility"))


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve_static(built_site.output) as url:
        yield url


def _not_logged_in(route) -> None:
    error = {"error": {"code": "not_logged_in", "message": "Please log in."}}
    route.fulfill(status=401, content_type="application/json", body=json.dumps(error))


def _axe_problems(page) -> list[tuple[str, str, list]]:
    """Serious and critical violations: (rule, impact, the elements at fault)."""
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert results["testEngine"]["name"] == "axe-core" and results["passes"]
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_page_has_a_serious_accessibility_violation_in_light_or_dark(built_site, site_url, page):
    if not Path(AXE).exists():
        pytest.fail(f"{AXE} is missing: run `npm install`")
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.route("**/api/**", _not_logged_in)
    pages = built_site.html_pages()
    assert len(pages) >= 14
    problems = {}
    for html in pages:
        url = page_url(built_site.output, html)
        hold_still_if_moved(page, site_url + url, html.read_text(encoding="utf-8"))
        page.emulate_media(color_scheme="light")
        page.goto(site_url + url + ("#token=abc" if "set-password" in url else ""))
        page.wait_for_load_state("load")
        page.add_script_tag(url="/__axe.js")
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            paper = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
            assert paper == (DARK_PAPER if scheme == "dark" else LIGHT_PAPER), (url, scheme)
            found = _axe_problems(page)
            if found:
                problems[(url, scheme)] = found
    assert problems == {}


def _report_errors(page, site_url, built_site) -> None:
    page.goto(site_url + "/report/")
    page.locator("#report-submit:enabled").click()
    page.locator("#report-error li").first.wait_for()


def _member_area_with_alerts(page, site_url, built_site) -> None:
    key = unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)
    FakeMemberApi(page, bundle=signed_bundle(built_site, key))
    page.goto(site_url + "/members/")
    page.locator("#alert-list article").first.wait_for()
    page.fill("#check-value", "07700 900123")
    page.click("#check-submit")
    page.locator("#check-result .check-none").wait_for()


def _clearing_asked(page, site_url, built_site) -> None:
    page.goto(site_url + "/device/")
    page.click("#device-clear-start")
    page.locator("#device-clear-confirm").wait_for(state="visible")


@pytest.mark.parametrize("state", [_report_errors, _member_area_with_alerts, _clearing_asked])
def test_pages_in_use_pass_axe_in_both_themes(built_site, site_url, page, state):
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    state(page, site_url, built_site)
    page.add_script_tag(url="/__axe.js")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert _axe_problems(page) == [], scheme


# --- Keyboard alone ---------------------------------------------------------------------


def _focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _tab_to(page, element_id: str, limit: int = 300) -> None:
    """Press Tab until ``element_id`` has the focus (and fail if it never does)."""
    for _ in range(limit):
        if _focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"#{element_id} cannot be reached with the Tab key")


def test_a_report_can_be_written_and_sent_with_the_keyboard_alone(built_site, site_url, page):
    bodies = []

    def answer(route):
        bodies.append(json.loads(route.request.post_data))
        route.fulfill(
            status=201, content_type="application/json", body=json.dumps({"report_number": NUMBER})
        )

    page.route("**/api/reports", answer)
    page.goto(site_url + "/report/")
    page.locator("#report-submit:enabled").wait_for()
    page.keyboard.press("Tab")
    assert _focused(page) == "quick-exit"  # the first stop on every page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")  # skip to the main content
    _tab_to(page, "report_type-full")
    page.keyboard.press("ArrowDown")  # a partial report
    assert page.is_checked("#report_type-partial")
    _tab_to(page, "town_or_area")
    page.keyboard.type("Bradford")
    _tab_to(page, "categories-threats")
    page.keyboard.press("Space")
    _tab_to(page, "what_happened")
    page.keyboard.type("He shouted threats from his car.")
    _tab_to(page, "report-submit")
    page.keyboard.press("Enter")
    page.locator("#report-number").wait_for()
    assert _focused(page) == "report-success"  # announced: the heading and the number
    assert page.inner_text("#report-number") == NUMBER

    (body,) = bodies
    keys = unlock_report_keys(built_site.settings.keys_dir, PASSPHRASE)
    report = json.loads(
        SealedBox(keys[body["key_id"]]).decrypt(base64.b64decode(body["ciphertext"]))
    )
    assert report["report_type"] == "partial"
    assert report["answers"] == {
        "town_or_area": "Bradford",
        "categories": ["threats"],
        "what_happened": "He shouted threats from his car.",
    }


def test_errors_take_the_focus_and_lead_to_the_question_by_keyboard(site_url, page):
    page.goto(site_url + "/report/")
    page.locator("#report-submit:enabled").wait_for()
    page.focus("#report-submit")
    page.keyboard.press("Enter")
    page.locator("#report-error li").first.wait_for()
    assert _focused(page) == "report-error"  # role=alert: read out at once
    assert page.get_attribute("#report-error", "role") == "alert"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#what_happened"
    page.keyboard.press("Enter")
    wait_until(lambda: _focused(page) == "what_happened", what="focus on the question")
    assert page.get_attribute("#what_happened", "aria-invalid") == "true"
    described = page.get_attribute("#what_happened", "aria-describedby").split()
    assert "what_happened-error" in described
    assert "what happened" in page.inner_text("#what_happened-error").lower()


def test_clear_everything_works_by_keyboard_and_asks_first(site_url, page):
    page.goto(site_url + "/device/")
    page.locator("#device-clear").wait_for(state="visible")
    page.focus("#device-clear-start")
    page.keyboard.press("Enter")
    page.locator("#device-clear-confirm").wait_for(state="visible")
    assert _focused(page) == "device-clear-question"
    assert page.get_attribute("#device-clear-start", "aria-expanded") == "true"
    _tab_to(page, "device-clear-no")
    page.keyboard.press("Enter")
    assert page.locator("#device-clear-confirm").is_hidden()
    assert _focused(page) == "device-clear-start"


# --- The dark theme ---------------------------------------------------------------------


def _paper(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def test_the_dark_theme_follows_the_device_unless_a_choice_was_made(site_url, page):
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + "/contacts/", wait_until="domcontentloaded")
    assert _paper(page) == DARK_PAPER

    page.goto(site_url + "/device/")
    page.check("#theme-light")
    assert _paper(page) == LIGHT_PAPER
    page.goto(site_url + "/safety/", wait_until="domcontentloaded")
    assert _paper(page) == LIGHT_PAPER  # kept, and applied before the page is shown

    page.emulate_media(color_scheme="light")
    page.goto(site_url + "/device/")
    page.check("#theme-dark")
    page.goto(site_url + "/", wait_until="domcontentloaded")
    assert page.get_attribute("html", "data-theme") == "dark"
    assert _paper(page) == DARK_PAPER
    page.emulate_media(media="print")
    assert _paper(page) == LIGHT_PAPER  # never printed dark


def test_the_footer_button_switches_the_theme_on_every_page(site_url, page):
    page.emulate_media(color_scheme="light")
    page.goto(site_url + "/")
    toggle = page.locator("#theme-toggle")
    toggle.wait_for(state="visible")
    assert toggle.inner_text() == "Use the dark theme"
    toggle.click()
    assert _paper(page) == DARK_PAPER
    assert toggle.inner_text() == "Use the light theme"
    page.goto(site_url + "/report/", wait_until="domcontentloaded")
    assert _paper(page) == DARK_PAPER


def test_the_neutral_app_name_and_icon_can_be_chosen(site_url, page):
    page.goto(site_url + "/device/")
    page.check("#app-name-neutral")
    assert page.get_attribute("link[rel=manifest]", "href") == "/theme/app-neutral.webmanifest"
    assert page.title() == "Notes"  # at once, without reloading
    page.goto(site_url + "/")
    assert page.get_attribute("link[rel=manifest]", "href") == "/theme/app-neutral.webmanifest"
    assert page.get_attribute("link[rel=icon]", "href") == "/theme/favicon-neutral.svg"
    manifest = page.evaluate(
        "fetch('/theme/app-neutral.webmanifest').then((response) => response.json())"
    )
    assert manifest["name"] == "Notes" and manifest["id"] == "/"
    # Neither the title nor the header names the scheme, in any language.
    for path, name in (("/", "Notes"), ("/contacts/", "Notes"), ("/ro/safety/", "Notițe")):
        page.goto(site_url + path)
        assert page.title() == name
        assert page.locator(".site-name").inner_text() == name
        assert "Ugly Mugs" not in page.title() + page.locator(".site-name").inner_text()
    assert page.get_attribute("link[rel=manifest]", "href") == ("/theme/app-neutral.ro.webmanifest")
    page.goto(site_url + "/device/")
    page.uncheck("#app-name-neutral")
    assert page.get_attribute("link[rel=manifest]", "href") == "/theme/app.webmanifest"
    assert "Ugly Mugs" in page.title()
    assert page.locator(".site-name").inner_text() == "Ugly Mugs"
