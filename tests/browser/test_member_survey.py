"""The member survey in the member area, against the real scheme (``uglymugs dev``).

Staff open a round → a member logs in on a 320 px phone → the survey is offered, with
no sideways scroll and no serious axe-core violation → a missing answer is named →
the answers are sent and stored without the member → it is not offered again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.members.factories import a_member
from uglymugs.config import repository_root
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.survey.sqlite import SQLiteSurveyStore

pytestmark = pytest.mark.browser

AXE = repository_root() / "node_modules" / "axe-core" / "axe.min.js"
USERNAME = "survey-sam"
PASSWORD = "a long enough passphrase 42"
ROUND = "2026-browser"


def serious_violations(page, selector: str) -> list:
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url="/__axe.js")
    results = page.evaluate(f"axe.run({selector!r}, {{resultTypes: ['violations']}})")
    assert results["passes"]
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def member_and_round(scheme):
    directory = SQLiteMemberDirectory(scheme.data_dir / "state.sqlite3")
    member = a_member(
        USERNAME,
        "survey.sam@example.org",
        status="approved",
        password_hash=TEST_PARAMETERS.hash(PASSWORD),
    )
    directory.add(member)
    closes = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    opened = scheme.uglymugs("survey", "open", ROUND, "--closes", closes)
    assert opened.returncode == 0, opened.stderr
    return member


def log_in(page, scheme, path="/members/"):
    page.on("response", lambda r: r.status == 404 and page.not_found.append(r.url))
    page.goto(scheme.base_url + path)
    page.fill("#login", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.locator("#member-section").wait_for(state="visible", timeout=20_000)


def test_a_member_answers_the_survey_once_on_a_small_phone(scheme, page, member_and_round):
    page.not_found = []
    page.set_viewport_size({"width": 320, "height": 740})
    log_in(page, scheme)
    section = page.locator("#survey-section")
    section.wait_for(state="visible")
    assert page.locator("#alert_helped legend").inner_text() == (
        "Has an alert from the scheme helped you avoid someone?"
    )
    assert page.locator("#feel_safer input[type=radio]").count() == 3
    section.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert serious_violations(page, "#survey-section") == []

    page.click("#survey-submit")  # nothing chosen: both questions are named
    page.locator("#alert_helped-error").wait_for(state="visible")
    assert page.locator("#feel_safer-error").is_visible()
    assert page.locator("#survey-error li").count() == 2

    page.check("#alert_helped-yes")
    page.check("#feel_safer-prefer_not_to_say")
    page.fill("#comment", "The van alert kept me safe.")
    with page.expect_response("**/api/members/me/survey") as answered:
        page.click("#survey-submit")
    assert answered.value.status == 201
    assert page.locator("#survey-status").inner_text() == (
        "Thank you. Your answers are saved, without your name."
    )
    assert page.locator("#survey-form").is_hidden()

    [stored] = SQLiteSurveyStore(scheme.data_dir / "state.sqlite3").responses(ROUND)
    assert stored.answers == {"alert_helped": "yes", "feel_safer": "prefer_not_to_say"}
    assert stored.comment == "The van alert kept me safe."
    assert member_and_round.id not in repr(stored)

    with page.expect_response("**/api/members/me/survey") as asked:
        page.goto(scheme.base_url + "/pl/members/")
    assert asked.value.json()["answered"] is True
    assert page.locator("#survey-section").is_hidden()
    assert page.locator("#survey-title").text_content() == "Krótka ankieta"
    # no page asset is missing (the alert bundle may be absent: nothing is published)
    assert {url.split("?")[0].rsplit("/", 1)[-1] for url in page.not_found} <= {"bundle"}
    # Nothing is published in this scheme: the bundle's 404 is the member area's own.
    assert [p for p in page.console_problems if "401" not in p and "404" not in p] == []
