"""The member pages in Chromium, under the real CSP, with the member API played by the test.

The site is built with throwaway keys and served as static files with the security
headers of ``uglymugs.web.security_headers``; every ``/api/...`` request is answered
by a Playwright route (the contract in the issue), so each test decides what the
server says and sees exactly what the browser sent. Alert bundles are signed here with
the bundle key the page was built with, exactly as ``uglymugs publish`` signs them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from nacl.signing import SigningKey

from tests.browser.static_server import serve_static
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.signing import sign_detached
from uglymugs.config import repository_root
from uglymugs.crypto.keys import unlock_bundle_key

pytestmark = pytest.mark.browser

AXE = repository_root() / "node_modules" / "axe-core" / "axe.min.js"
MEMBER_PAGES = ("/members/", "/members/join/", "/members/set-password/", "/members/terms/")

ALERTS = [
    {
        "number": "2026-0041",
        "status": "published",
        "issued": "2026-11-02",
        "incident": {"date": "2026-10-30", "time": "late evening"},
        "region": "kent",
        "area": "Maidstone town centre",
        "categories": ["robbery"],
        "risk": "medium",
        "vehicle": {"make": "Ford", "model": "Transit", "colour": "white"},
        "identifiers": {"plates": ["ZZ99ZZZ"]},
        "what_happened": "Took back the money at knifepoint.",
        "expires": None,
    },
    {
        "number": "2026-0042",
        "status": "published",
        "issued": "2026-11-20",
        "incident": {"date": "2026-11-18", "time": "21:30–22:00"},
        "region": "greater-manchester",
        "area": "Manchester city centre",
        "categories": ["violence", "non_payment"],
        "risk": "high",
        "offender": {"sex": "male", "age": "40s", "build": "stocky"},
        "identifiers": {"phones": ["+447700900123"]},
        "what_happened": "He refused to pay and pushed her over as she left.\n\n"
        '<img src=x onerror="window.injected=1">',
        "expires": None,
    },
]
WARNING = "These alerts could not be verified: they may have been tampered with."


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("member-pages"))


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    with serve_static(built_site.output) as url:
        yield url


@pytest.fixture(scope="module")
def bundle_key(built_site) -> SigningKey:
    return unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)


def bundle_bytes(alerts=ALERTS) -> bytes:
    return canonical_bytes(
        {
            "alerts": alerts,
            "format": "uglymugs.alerts/1",
            "generated_at": "2026-11-23T10:00:00Z",
            "scope": "all",
            "sequence": 42,
        }
    )


def bundle_answer(data: bytes, signature: bytes) -> dict:
    """What GET /api/alerts/bundle answers: the bundle's base64 and its signature."""
    return {"bundle": base64.b64encode(data).decode(), "signature": json.loads(signature)}


def signed_bundle(built_site, key: SigningKey, alerts=ALERTS) -> dict:
    data = bundle_bytes(alerts)
    return bundle_answer(data, sign_detached(data, key, built_site.keys.bundle_key_id))


PREFERENCES = {"channels": ["email"], "regions": [], "discreet_sms": False}
KENT_MEMBER = {
    "username": "rosie",
    "membership_type": "individual",
    "preferences": {**PREFERENCES, "regions": ["kent"]},
}


class FakeMemberApi:
    """Answers /api/... as the contract says; records (method, path, body) of each call.

    ``answers[(method, path)]`` is a list of (status, body) to answer with, in turn;
    without one, a logged-in member gets the ordinary answers.
    """

    def __init__(self, browser_page, *, logged_in=True, bundle=None, regions=None) -> None:
        self.calls: list[tuple[str, str, dict | None]] = []
        self.logged_in = logged_in
        self.bundle = bundle
        self.regions: dict[str, dict] = regions or {}  # region id → its bundle's answer
        self.regions_asked: list[str] = []
        self.answers: dict[tuple[str, str], list[tuple[int, dict | None]]] = {}
        browser_page.route("**/api/**", self.handle)

    def answer(self, method: str, path: str, *responses: tuple[int, dict | None]) -> None:
        self.answers[(method, path)] = list(responses)

    def bodies(self, method: str, path: str) -> list[dict | None]:
        return [body for m, p, body in self.calls if (m, p) == (method, path)]

    def default(self, method: str, path: str) -> tuple[int, dict | None]:
        members_only = path.startswith(("/api/members/me", "/api/alerts/", "/api/check"))
        if members_only and not self.logged_in:
            return 401, {"error": {"code": "not_logged_in", "message": "Please log in."}}
        if (method, path) == ("POST", "/api/session"):
            self.logged_in = True
            return 204, None
        if (method, path) == ("GET", "/api/session"):
            return self.session_status()
        if (method, path) == ("GET", "/api/members/me"):
            return 200, {
                "username": "rosie",
                "membership_type": "individual",
                "preferences": PREFERENCES,
            }
        if (method, path) == ("GET", "/api/alerts/bundle"):
            return 200, self.bundle
        if (method, path) == ("POST", "/api/check"):
            return 200, {"matches": []}
        return 204, None

    def session_status(self) -> tuple[int, dict | None]:
        """As the API answers: what /api/members/me would (queued answers included),
        with 200 {"signed_in": false} in place of its 401."""
        queued = self.answers.get(("GET", "/api/members/me"))
        status, me = queued.pop(0) if queued else self.default("GET", "/api/members/me")
        if status == 401:
            return 200, {"signed_in": False}
        if status != 200:
            return status, me
        return 200, {"signed_in": True, "member": me}

    def region_bundle(self, route, region: str) -> None:
        """A region's bundle, or the API's 404 no_bundle for a region it was not given
        (as a publish made before empty regions were signed answers)."""
        if region in self.regions:
            body, status = self.regions[region], 200
        else:
            body = {"error": {"code": "no_bundle", "message": "no alerts are published"}}
            status = 404
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

    def handle(self, route) -> None:
        request = route.request
        path = urlsplit(request.url).path
        body = json.loads(request.post_data) if request.post_data else None
        self.calls.append((request.method, path, body))
        region = parse_qs(urlsplit(request.url).query).get("region")
        if region and path == "/api/alerts/bundle" and self.logged_in:
            self.regions_asked.append(region[0])
            self.region_bundle(route, region[0])
            return
        queued = self.answers.get((request.method, path))
        status, answer = queued.pop(0) if queued else self.default(request.method, path)
        if answer is None:
            route.fulfill(status=status, body="")
        else:
            route.fulfill(status=status, content_type="application/json", body=json.dumps(answer))


def visible_alert_numbers(page) -> list[str]:
    return page.eval_on_selector_all(
        "#alert-list > li:not([hidden]) article", "cards => cards.map(c => c.id.slice(6))"
    )


def open_member_area(page, site_url) -> None:
    page.goto(site_url + "/members/")
    page.locator("#member-section").wait_for(state="visible")


# --- Join -------------------------------------------------------------------------------


def test_joining_as_an_individual_posts_exactly_the_fields_typed(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    api.answer("POST", "/api/members", (202, {"status": "pending"}))
    page.goto(site_url + "/members/join/")
    assert page.locator("#organisation").is_hidden()
    page.fill("#username", " Rosie ")
    page.fill("#email", "rosie@example.org")
    page.check("#work-independent_indoor")
    page.check("#gender-prefer_not_to_say")
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#join-success").wait_for(state="visible")

    assert api.bodies("POST", "/api/members") == [
        {
            "membership_type": "individual",
            "username": "Rosie",
            "email": "rosie@example.org",
            "monitoring": {"work": "independent_indoor", "gender": "prefer_not_to_say"},
            "accept_terms": True,
            "language": "en",  # the page's language: their e-mails will be in it
        }
    ]
    assert "staff will review" in page.inner_text("#join-success")
    assert page.locator("#join-form").is_hidden()
    assert page.console_problems == []


def test_joining_as_a_project_sends_the_organisation_and_service_users(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    api.answer("POST", "/api/members", (202, {"status": "pending"}))
    page.goto(site_url + "/members/join/")
    page.check("#membership_type-project")
    assert page.locator("#work").is_hidden() and page.locator("#service_users").is_visible()
    page.fill("#organisation", "Northern Outreach")
    page.fill("#contact_role", "Outreach worker")
    page.fill("#username", "northern-outreach")
    page.fill("#email", "team@outreach.example")
    page.fill("#mobile", "07700 900123")
    page.check("#service_users-women")
    page.check("#service_users-migrants")
    page.check("#areas-cleveland")
    page.check("#areas-durham")
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#join-success").wait_for(state="visible")

    assert api.bodies("POST", "/api/members") == [
        {
            "membership_type": "project",
            "username": "northern-outreach",
            "email": "team@outreach.example",
            "mobile": "07700 900123",
            "organisation": "Northern Outreach",
            "contact_role": "Outreach worker",
            "service_users": ["women", "migrants"],
            "areas": ["cleveland", "durham"],
            "accept_terms": True,
            "language": "en",
        }
    ]


def test_joining_without_accepting_the_terms_sends_nothing_and_says_why(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/join/")
    page.fill("#username", "rosie")
    page.fill("#email", "rosie@example.org")
    page.click("#join-submit")
    page.locator("#accept_terms-error").wait_for(state="visible")
    assert "accept the terms" in page.inner_text("#join-error")
    assert page.get_attribute("#accept_terms", "aria-invalid") == "true"
    assert api.calls == []


# --- Set password -----------------------------------------------------------------------


def test_set_password_reads_the_token_from_the_fragment_and_posts_it(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/set-password/#token=tok_3Fq9-x")
    assert urlsplit(page.url).fragment == ""  # out of the address bar and history
    page.fill("#password", "correct horse battery staple")
    page.fill("#password-confirm", "correct horse battery staple")
    page.click("#password-submit")
    page.locator("#password-done").wait_for(state="visible")
    assert api.bodies("POST", "/api/members/password") == [
        {"token": "tok_3Fq9-x", "password": "correct horse battery staple"}
    ]
    assert page.get_attribute("#password-done a", "href") == "/members/"
    assert page.console_problems == []


def test_set_password_checks_the_two_passwords_match(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/set-password/#token=abc")
    page.fill("#password", "one long password")
    page.fill("#password-confirm", "another long password")
    page.click("#password-submit")
    page.locator("#password-confirm-error").wait_for(state="visible")
    assert api.calls == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("link_expired", "This link has expired."),
        ("link_used", "This link has already been used."),
        ("link_unknown", "This link has expired or has already been used."),
    ],
)
def test_an_expired_or_used_link_says_so_and_offers_a_new_one(site_url, page, code, expected):
    api = FakeMemberApi(page, logged_in=False)
    error = {"error": {"code": code, "message": "Link refused.", "field": "token"}}
    api.answer("POST", "/api/members/password", (410, error))
    page.goto(site_url + "/members/set-password/#token=abc")
    page.fill("#password", "a long new password")
    page.fill("#password-confirm", "a long new password")
    page.click("#password-submit")
    page.locator("#password-link-refused").wait_for(state="visible")
    assert expected in page.inner_text("#password-link-refused")
    assert page.locator("#password-form").is_hidden()


def test_set_password_without_a_token_explains_instead_of_showing_the_form(site_url, page):
    FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/set-password/")
    page.locator("#password-no-token").wait_for(state="visible")
    assert page.locator("#password-form").is_hidden()


# --- Logging in and the member area ----------------------------------------------------


def test_login_shows_the_check_box_first_then_the_verified_alerts(
    built_site, site_url, page, bundle_key
):
    api = FakeMemberApi(page, logged_in=False, bundle=signed_bundle(built_site, bundle_key))
    page.goto(site_url + "/members/")
    page.locator("#login-form").wait_for(state="visible")
    assert page.locator("#member-section").is_hidden()
    page.fill("#login", "rosie")
    page.fill("#password", "correct horse battery staple")
    page.click("#login-submit")
    page.locator("#alert-list article").first.wait_for()

    assert api.bodies("POST", "/api/session") == [
        {"login": "rosie", "password": "correct horse battery staple"}
    ]
    assert page.inner_text("#member-name") == "rosie"
    sections = page.eval_on_selector_all(
        "#member-section section", "sections => sections.map(s => s.id)"
    )
    assert sections == [
        "check-section",
        "alerts-section",
        "survey-section",  # hidden: shown only while a survey round is open and unanswered
        "preferences-section",
        "mobile-section",  # hidden: shown only to members with a mobile number
        "tokens-section",  # hidden: shown only to projects and sites
        "my-data-section",
    ]
    assert not page.locator("#mobile-section").is_visible()
    assert page.locator("#check-value").is_visible()
    assert visible_alert_numbers(page) == ["2026-0042", "2026-0041"]  # newest first
    card = page.inner_text("#alert-2026-0042")
    assert "Greater Manchester" in card and "High risk" in card
    assert "Refused to pay" in card and "+447700900123" in card
    # Alert text is text: markup in it is shown, never run.
    assert '<img src=x onerror="window.injected=1">' in card
    assert page.evaluate("window.injected") is None
    assert page.locator("#alerts-warning").is_hidden()
    # "Who is logged in?" answers 200 while logged out: no console error at all.
    assert page.console_problems == []
    assert ("GET", "/api/members/me", None) not in api.calls


def test_wrong_login_and_lockout_are_announced(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    api.answer(
        "POST",
        "/api/session",
        (401, {"error": {"code": "login_failed", "message": "Wrong login."}}),
        (429, {"error": {"code": "too_many_attempts", "message": "Locked for 15 minutes."}}),
    )
    page.goto(site_url + "/members/")
    page.fill("#login", "rosie")
    page.fill("#password", "wrong")
    page.click("#login-submit")
    page.locator("#login-error li").wait_for()
    assert "not right" in page.inner_text("#login-error")
    assert page.get_attribute("#login-error", "role") == "alert"
    page.fill("#password", "wrong again")
    page.click("#login-submit")
    # The page's own (translatable) words for the code, never the server's English.
    page.wait_for_function(
        "() => document.querySelector('#login-error').textContent.includes('paused')"
    )
    assert "Locked for 15" not in page.inner_text("#login-error")
    assert page.locator("#member-section").is_hidden()


def test_forgot_password_posts_the_login(site_url, page):
    api = FakeMemberApi(page, logged_in=False)
    api.answer("POST", "/api/members/password-reset", (202, {"status": "sent"}))
    page.goto(site_url + "/members/")
    page.fill("#forgot-login", "rosie@example.org")
    page.click("#forgot-submit")
    page.wait_for_function("() => document.querySelector('#forgot-done').textContent.length > 0")
    assert api.bodies("POST", "/api/members/password-reset") == [{"login": "rosie@example.org"}]


def _tampered_byte(built_site, key):
    data = bytearray(bundle_bytes())
    signature = sign_detached(bytes(data), key, built_site.keys.bundle_key_id)
    index = data.index(b"Maidstone")
    data[index] = ord("W")  # one byte of the signed bundle changed
    return bundle_answer(bytes(data), signature)


def _resigned_with_matching_digest(built_site, key):
    # The digest is recomputed by the attacker; only the signature can catch it.
    data = bytearray(bundle_bytes())
    data[data.index(b"Maidstone")] = ord("W")
    signature = json.loads(sign_detached(bundle_bytes(), key, built_site.keys.bundle_key_id))
    signature["signed"] = json.loads(sign_detached(bytes(data), key, "x"))["signed"]
    return {"bundle": base64.b64encode(bytes(data)).decode(), "signature": signature}


def _another_key(built_site, _key):
    data = bundle_bytes()
    return bundle_answer(
        data, sign_detached(data, SigningKey.generate(), built_site.keys.bundle_key_id)
    )


def _unknown_key_id(built_site, key):
    data = bundle_bytes()
    return bundle_answer(data, sign_detached(data, key, "bundle-someoneelse"))


@pytest.mark.parametrize(
    "forge", [_tampered_byte, _resigned_with_matching_digest, _another_key, _unknown_key_id]
)
def test_a_bundle_that_does_not_verify_shows_the_warning_and_no_alert(
    built_site, site_url, page, bundle_key, forge
):
    FakeMemberApi(page, bundle=forge(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alerts-warning").wait_for(state="visible")
    assert WARNING in page.inner_text("#alerts-warning")
    assert page.locator("#alert-list article").count() == 0
    assert page.locator("#alert-filters").is_hidden()
    assert "Maidstone" not in page.inner_text("main")


def test_a_check_shows_the_matching_alerts(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    match = {"number": "2026-0042", "issued": "2026-11-20", "region": "greater-manchester"}
    api.answer(
        "POST",
        "/api/check",
        (200, {"matches": [{**match, "risk": "high"}]}),
        (200, {"matches": []}),
        (429, {"error": {"code": "rate_limited", "message": "Too many checks: wait a minute."}}),
    )
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    page.select_option("#check-kind", "phone")
    page.fill("#check-value", "07700 900123")
    page.click("#check-submit")
    page.locator("#check-result li").wait_for()
    result = page.inner_text("#check-result")
    assert "Alert 2026-0042" in result and "2026-11-20" in result
    assert "Greater Manchester" in result and "High risk" in result
    assert page.get_attribute("#check-result a", "href") == "#alert-2026-0042"
    assert page.get_attribute("#check-result", "aria-live") == "polite"

    page.select_option("#check-kind", "plate")
    page.fill("#check-value", "AB12 CDE")
    page.click("#check-submit")
    page.locator("#check-result .check-none").wait_for()
    assert "No alerts match" in page.inner_text("#check-result")

    page.click("#check-submit")
    page.locator("#check-error li").wait_for()
    assert "Too many tries in a short time" in page.inner_text("#check-error")
    assert "Too many checks" not in page.inner_text("#check-error")
    assert api.bodies("POST", "/api/check") == [
        {"kind": "phone", "value": "07700 900123"},
        {"kind": "plate", "value": "AB12 CDE"},
        {"kind": "plate", "value": "AB12 CDE"},
    ]


def test_filters_and_search_narrow_the_alert_list(built_site, site_url, page, bundle_key):
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    both = ["2026-0042", "2026-0041"]
    assert visible_alert_numbers(page) == both
    assert page.inner_text("#alerts-count") == "Showing 2 of 2 alerts."

    steps = [
        ("#filter-region", "kent", ["2026-0041"]),
        ("#filter-region", "", both),
        ("#filter-risk", "high", ["2026-0042"]),
        ("#filter-risk", "", both),
        ("#filter-category", "robbery", ["2026-0041"]),
        ("#filter-category", "", both),
    ]
    for selector, value, expected in steps:
        page.select_option(selector, value)
        assert visible_alert_numbers(page) == expected, (selector, value)

    page.fill("#filter-from", "2026-11-01")
    assert visible_alert_numbers(page) == ["2026-0042"]
    page.fill("#filter-from", "")
    page.fill("#filter-to", "2026-11-01")
    assert visible_alert_numbers(page) == ["2026-0041"]
    page.fill("#filter-to", "")
    page.fill("#filter-search", "transit")
    assert visible_alert_numbers(page) == ["2026-0041"]
    page.fill("#filter-search", "manchester stocky")
    assert visible_alert_numbers(page) == ["2026-0042"]
    # Typed on, a search narrows what matched; typed back, it widens again.
    page.fill("#filter-search", "m")
    assert visible_alert_numbers(page) == both
    page.type("#filter-search", "aidstone")
    assert visible_alert_numbers(page) == ["2026-0041"]
    page.fill("#filter-search", "ma")
    assert visible_alert_numbers(page) == both
    page.select_option("#filter-region", "greater-manchester")  # same search, other filter
    assert visible_alert_numbers(page) == ["2026-0042"]
    page.select_option("#filter-region", "")
    assert visible_alert_numbers(page) == both
    page.fill("#filter-search", "nowhere")
    assert visible_alert_numbers(page) == []
    assert page.inner_text("#alerts-count") == "No alerts match these filters."
    page.click("#alert-filters button[type=reset]")
    page.wait_for_function(
        "() => document.querySelectorAll('#alert-list > li:not([hidden])').length == 2"
    )


def test_print_view_shows_the_alerts_and_hides_the_forms(built_site, site_url, page, bundle_key):
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    page.select_option("#filter-region", "kent")
    page.emulate_media(media="print")
    assert page.locator("#alert-2026-0041").is_visible()
    assert page.locator("#alert-2026-0042").is_hidden()  # filtered out: not printed
    for hidden in ("#check-section", "#preferences-section", "#alert-filters", "#quick-exit"):
        assert page.locator(hidden).is_hidden(), hidden


def test_preferences_are_shown_and_put_as_chosen(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    api.answer("GET", "/api/members/me", (200, KENT_MEMBER))
    open_member_area(page, site_url)
    assert page.is_checked("#channels-email") and not page.is_checked("#channels-sms")
    assert page.is_checked("#regions-kent") and not page.is_checked("#discreet_sms")
    page.check("#channels-sms")
    page.check("#discreet_sms")
    page.uncheck("#regions-kent")
    page.check("#regions-west-yorkshire")
    page.check("#regions-merseyside")
    page.click("#preferences-submit")
    page.wait_for_function(
        "() => document.querySelector('#preferences-status').textContent.length > 0"
    )
    assert api.bodies("PUT", "/api/members/me/preferences") == [
        {
            "channels": ["email", "sms"],
            "regions": ["merseyside", "west-yorkshire"],
            "discreet_sms": True,
            "language": "en",  # the page's list starts with English; the member had none
        }
    ]


def test_choosing_no_channel_and_no_region_puts_empty_lists(built_site, site_url, page, bundle_key):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    api.answer("GET", "/api/members/me", (200, KENT_MEMBER))
    open_member_area(page, site_url)
    page.uncheck("#channels-email")
    page.uncheck("#regions-kent")
    page.click("#preferences-submit")
    page.wait_for_function(
        "() => document.querySelector('#preferences-status').textContent.length > 0"
    )
    assert api.bodies("PUT", "/api/members/me/preferences") == [
        {"channels": [], "regions": [], "discreet_sms": False, "language": "en"}
    ]


def test_logging_out_deletes_the_session_and_clears_the_page(
    built_site, site_url, page, bundle_key
):
    api = FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    open_member_area(page, site_url)
    page.locator("#alert-list article").first.wait_for()
    page.click("#logout")
    page.locator("#login-form").wait_for(state="visible")
    assert ("DELETE", "/api/session", None) in api.calls
    assert page.locator("#alert-list article").count() == 0
    assert page.inner_text("#member-name") == ""


# --- Accessibility ----------------------------------------------------------------------


def _axe_violations(page) -> list[dict]:
    """Run axe-core in the page (served same-origin by a route, so the CSP allows it)."""
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url="/__axe.js")
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert results["testEngine"]["name"] == "axe-core" and results["passes"]
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_member_pages_have_no_serious_accessibility_violations(
    built_site, site_url, page, bundle_key, path
):
    if not Path(AXE).exists():
        pytest.fail(f"{AXE} is missing: run `npm install`")
    FakeMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    page.goto(site_url + path + ("#token=abc" if "set-password" in path else ""))
    if path == "/members/":
        page.locator("#alert-list article").first.wait_for()
    violations = _axe_violations(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_the_login_form_has_no_serious_accessibility_violations(site_url, page):
    FakeMemberApi(page, logged_in=False)
    page.goto(site_url + "/members/")
    page.locator("#login-form").wait_for(state="visible")
    violations = _axe_violations(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
