"""Languages in Chromium: each language's report form, the switcher, the browser's
language on a first visit (once, never a trap), translated alerts and API refusals,
and answers in any script reaching staff exactly as typed.

Most tests serve the built site as static files with the real security headers and
play the APIs with Playwright routes; the last one uses ``uglymugs dev`` end to end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.static_server import serve_static
from tests.browser.test_member_pages import FakeMemberApi, signed_bundle
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs import i18n
from uglymugs.crypto.keys import unlock_bundle_key
from uglymugs.languages import BY_CODE, LANGUAGES

pytestmark = pytest.mark.browser

ROMANIAN = BY_CODE["ro"]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("languages"))


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve_static(built_site.output) as url:
        yield url


@pytest.fixture
def browser_in(browser):
    """``browser_in("ro-RO")``: a fresh page whose navigator.languages is that language."""
    contexts = []

    def open_page(locale: str, *, storage_blocked: bool = False):
        context = browser.new_context(locale=locale)
        contexts.append(context)
        if storage_blocked:
            context.add_init_script(
                "Storage.prototype.setItem = () => { throw new Error('blocked'); };"
            )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _path(page) -> str:
    return urlsplit(page.url).path


def _gettext(language):
    return i18n.translations(language.locale).gettext


# --- Each language's report form --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_each_language_renders_the_report_form_in_that_language(site_url, page, language):
    _ = _gettext(language)
    page.goto(site_url + language.path("/report/"))
    assert page.get_attribute("html", "lang") == language.tag
    assert page.inner_text("#report-submit") == _("Send report")
    assert page.inner_text("#quick-exit").startswith(_("Quick exit"))
    assert page.inner_text("label[for=what_happened]") == _("What happened")
    assert page.inner_text("#section-incident > legend") == _("What happened")
    assert page.get_attribute("#languages", "aria-label") == _("Language")
    # Nothing sends until the script is ready; then it is enabled, in any language.
    page.locator("#report-submit:enabled").wait_for()
    page.check("#report_type-partial")
    page.click("#report-submit")
    assert page.inner_text("#what_happened-error") == _(
        "Please tell us what happened. It is the only question you must answer."
    )
    assert page.console_problems == []


# --- The switcher ---------------------------------------------------------------------------


def test_the_switcher_opens_the_same_page_in_another_language_and_back(site_url, page):
    page.goto(site_url + "/report/")
    page.click("#languages a[data-language=ro]")
    page.wait_for_url("**/ro/report/")
    assert page.get_attribute("html", "lang") == "ro"
    assert page.inner_text("h1") == "Raportează un incident"
    assert page.get_attribute("#languages a[aria-current=page]", "data-language") == "ro"

    # By keyboard alone: focus the language's link, press Enter.
    page.focus("#languages a[data-language=zh-hans]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zh-hans/report/")
    assert page.get_attribute("html", "lang") == "zh-Hans"

    page.click("#languages a[data-language=en]")
    page.wait_for_url("**/report/")
    assert _path(page) == "/report/" and page.get_attribute("html", "lang") == "en"
    assert page.evaluate("localStorage.getItem('lang')") == "en"


def test_every_switcher_link_is_reachable_by_tab_and_named_in_its_language(site_url, page):
    page.goto(site_url + "/pl/members/join/")
    names = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a.dataset.language ? [a.lang, a.textContent] : null; }"
        )
        if focused:
            names.append(tuple(focused))
    assert names == [(language.tag, language.name) for language in LANGUAGES]


# --- The browser's language on a first visit ----------------------------------------------


def test_a_romanian_browser_lands_on_romanian_once_and_never_again(site_url, browser_in):
    page = browser_in("ro-RO")
    page.goto(site_url + "/report/")
    page.wait_for_url("**/ro/report/")
    assert page.get_attribute("html", "lang") == "ro"
    assert page.evaluate("localStorage.getItem('lang')") == "ro"
    # Back does not return to the English page that moved it (location.replace).
    page.go_back()
    assert _path(page) != "/report/"
    page.goto(site_url + "/ro/report/")

    # Once: an English address opened later stays English.
    page.goto(site_url + "/contacts/")
    page.wait_for_timeout(300)
    assert _path(page) == "/contacts/" and page.get_attribute("html", "lang") == "en"


def test_choosing_english_in_a_romanian_browser_is_remembered(site_url, browser_in):
    page = browser_in("ro-RO")
    page.goto(site_url + "/safety/")
    page.wait_for_url("**/ro/safety/")
    page.click("#languages a[data-language=en]")
    page.wait_for_url("**/safety/")
    page.goto(site_url + "/join/")
    page.wait_for_timeout(300)
    assert _path(page) == "/join/"


def test_an_english_or_unknown_browser_language_stays_and_stores_nothing(site_url, browser_in):
    for locale in ("en-GB", "de-DE", "zh-TW"):
        page = browser_in(locale)
        page.goto(site_url + "/report/")
        page.wait_for_timeout(300)
        assert _path(page) == "/report/", locale
        assert page.evaluate("localStorage.length") == 0, locale


def test_without_storage_the_browser_language_never_moves_anyone(site_url, browser_in):
    page = browser_in("ro-RO", storage_blocked=True)
    page.goto(site_url + "/report/")
    page.wait_for_timeout(300)
    assert _path(page) == "/report/"
    page.click("#languages a[data-language=pl]")  # the switcher still works
    page.wait_for_url("**/pl/report/")


def test_a_set_password_link_keeps_its_token_when_the_language_changes(site_url, browser_in):
    page = browser_in("pl-PL")
    api = FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/set-password/#token=tok_3Fq9-x")
    page.wait_for_url("**/pl/members/set-password/")
    page.fill("#password", "correct horse battery staple")
    page.fill("#password-confirm", "correct horse battery staple")
    page.click("#password-submit")
    page.locator("#password-done").wait_for(state="visible")
    assert api.bodies("POST", "/api/members/password") == [
        {"token": "tok_3Fq9-x", "password": "correct horse battery staple"}
    ]
    assert page.get_attribute("#password-done a", "href") == "/pl/members/"


def test_quick_exit_works_on_a_page_reached_by_the_browser_language(site_url, browser_in):
    page = browser_in("zh-CN")
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="weather"))
    page.goto(site_url + "/report/")
    page.wait_for_url("**/zh-hans/report/")
    page.fill("#what_happened", "私密内容")
    page.click("#quick-exit")
    page.wait_for_url("https://www.bbc.co.uk/weather")


# --- Alerts and refusals in the page's language ----------------------------------------


TRANSLATED_ALERT = {
    "number": "2026-0051",
    "status": "published",
    "issued": "2026-11-21",
    "incident": {"date": "2026-11-19"},
    "region": "west-yorkshire",
    "area": "Leeds city centre",
    "categories": ["threats"],
    "risk": "medium",
    "what_happened": "He threatened her with a knife. She got away.",
    "translations": {
        "pl": {
            "area": "Centrum Leeds",
            "what_happened": "Groził jej nożem. Udało jej się uciec.",
        }
    },
    "expires": None,
}
ENGLISH_ONLY_ALERT = {
    "number": "2026-0052",
    "status": "published",
    "issued": "2026-11-22",
    "region": "kent",
    "area": "Dover",
    "categories": ["robbery"],
    "risk": "high",
    "what_happened": "Took the money back.",
    "expires": None,
}


@pytest.fixture(scope="module")
def bundle_key(built_site):
    return unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)


def test_an_alert_shows_its_translation_with_the_english_original_one_press_away(
    built_site, site_url, page, bundle_key
):
    alerts = [TRANSLATED_ALERT, ENGLISH_ONLY_ALERT]
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key, alerts))
    page.goto(site_url + "/pl/members/")
    card = page.locator("#alert-2026-0051")
    card.wait_for()
    assert "Groził jej nożem." in card.inner_text()
    assert "Centrum Leeds" in card.inner_text()
    assert card.locator(".alert-translation").get_attribute("lang") == "pl"
    original = card.locator(".alert-original-text")
    assert original.is_hidden()
    button = card.locator(".alert-original-toggle")
    assert button.inner_text() == "Pokaż angielski oryginał"
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert original.is_visible() and original.get_attribute("lang") == "en"
    assert "He threatened her with a knife." in original.inner_text()
    assert button.get_attribute("aria-expanded") == "true"
    assert button.inner_text() == "Ukryj angielski oryginał"

    # An alert with no Polish translation shows its English, marked as English.
    other = page.locator("#alert-2026-0052")
    assert other.locator("[lang=en]", has_text="Took the money back.").count() == 1
    assert other.locator(".alert-original-toggle").count() == 0
    assert page.console_problems == []


def test_an_english_page_shows_the_english_alert(built_site, site_url, page, bundle_key):
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key, [TRANSLATED_ALERT]))
    page.goto(site_url + "/members/")
    card = page.locator("#alert-2026-0051")
    card.wait_for()
    assert "He threatened her" in card.inner_text()
    assert "Groził" not in card.inner_text()
    assert card.locator(".alert-original-toggle").count() == 0


def test_a_refusal_is_shown_in_the_page_language_by_its_code(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    refusal = {"code": "invalid_field", "message": "username must be 3 to 32", "field": "username"}
    api.answer("POST", "/api/members", (422, {"error": refusal}))
    page.goto(site_url + "/pl/members/join/")
    page.fill("#username", "ab")
    page.fill("#email", "rosie@example.org")
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#username-error").wait_for(state="visible")
    error = page.inner_text("#username-error")
    assert error.startswith("Nazwa użytkownika ma od 3 do 32 znaków")
    assert "must be" not in page.inner_text("main")


# --- Answers in any language reach staff as typed ---------------------------------------

TYPED = {
    "what_happened": "他拿走了钱，还威胁我。Mi-a luat banii și m-a amenințat; ş/ș ţ/ț. "
    "Zabrał pieniądze, groził mi: źdźbło, żółć. Cafe\u0301 (a combining accent).",
    "town_or_area": "Łódź / Brașov / 曼彻斯特",
    "offender_accent": "Polski akcent, vorbea românește, 说普通话",
}


def test_answers_in_any_language_reach_staff_exactly_as_typed(scheme, page):
    page.goto(scheme.base_url + "/ro/report/")
    page.locator("#report-submit:enabled").wait_for()
    for name, value in TYPED.items():
        page.fill(f"[name={name}]", value)
    page.click("#report-submit")
    number = page.locator("#report-number").inner_text(timeout=20_000).strip()
    assert "曼彻斯特" in page.locator("#report-copy").text_content()

    shown = scheme.uglymugs("reports", "show", number, "--json")
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    assert report["language"] == "ro"
    for name, value in TYPED.items():
        assert report["answers"][name] == value  # same code points: nothing normalised
