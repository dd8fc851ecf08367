"""The staff console in Chromium, against ``uglymugs dev`` and ``uglymugs staff``.

A partial report and its follow-up sent from the public form become one incident with
the follow-up's consent; a member of staff triages it by keyboard alone, assigns it,
writes a note, drafts an alert whose region came from the report's town, sees a
problem flagged as they type, fixes it and proposes it to a bare git repository, where
another member of staff's clashing number makes the console renumber it. A reviewer
merges the proposal, ``uglymugs publish`` publishes the merged main against the dev
scheme's data directory, and a member whom the staff member approved in the console
logs in and sees the alert in the member area. axe-core finds no serious or critical
violation on any console page; locking leaves no report text for the back button.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSPHRASE, RunningScheme, staff_console
from uglymugs.config import repository_root

pytestmark = pytest.mark.browser

AXE = repository_root() / "node_modules" / "axe-core" / "axe.min.js"
WHAT_HAPPENED = "canary-staff-3391: he refused to pay and pushed me."
MEMBER = "console-morgan"
MEMBER_EMAIL = "console.morgan@example.org"
MEMBER_PASSWORD = "a long enough passphrase 77"
YEAR = date.today().year


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    """The scheme's repository: a bare one, main holding this checkout's published alerts."""
    root = tmp_path_factory.mktemp("origin")
    bare = root / "origin.git"
    git(root, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = root / "seed"
    git(root, "clone", "-q", str(bare), str(seed))
    shutil.copytree(repository_root() / "site" / "alerts", seed / "site" / "alerts")
    git(seed, "add", ".")
    git(seed, "commit", "-qm", "an alert")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return bare


@pytest.fixture(scope="module")
def staff_url(scheme: RunningScheme, origin: Path, tmp_path_factory) -> Iterator[str]:
    """``uglymugs staff`` on the dev scheme's data, from a clone of ``origin``."""
    checkout = tmp_path_factory.mktemp("sam") / "checkout"
    git(checkout.parent, "clone", "-q", str(origin), str(checkout))
    with staff_console(scheme, checkout, checkout.parent / "staff.log") as url:
        yield url


def send_report(page, base_url: str, fill) -> str:
    page.goto(base_url + "/report/")
    fill(page)
    page.click("#report-submit")
    page.locator("#report-number").wait_for(state="visible")
    return page.inner_text("#report-number").strip()


def partial(page):
    page.check("#report_type-partial")
    page.fill("#what_happened", WHAT_HAPPENED)
    page.fill("#town_or_area", "Linthorpe Road, Middlesbrough")


def follow_up_to(number):
    def fill(page):
        page.check("#report_type-follow_up")
        page.fill("#follows", number)
        page.check("#categories-violence")
        page.check("#consent_alert-yes")
        page.check("#consent_scas-no")

    return fill


def join(page, base_url: str) -> None:
    page.goto(base_url + "/members/join/")
    page.fill("#username", MEMBER)
    page.fill("#email", MEMBER_EMAIL)
    page.check("#work-agency")
    page.check("#gender-prefer_not_to_say")
    page.check("#accept_terms")
    page.click("#join-submit")
    page.locator("#join-success").wait_for(state="visible")


def set_password_link(data_dir: Path) -> str:
    """The set-password link the approval sent to MEMBER_EMAIL (local outbox)."""
    for path in sorted((data_dir / "outbox").glob("*.eml"), reverse=True):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if MEMBER_EMAIL not in str(message["To"]):
            continue
        found = re.search(r"/members/set-password/#token=[A-Za-z0-9_-]+", message.get_content())
        if found:
            return found.group(0)
    raise AssertionError(f"no set-password link to {MEMBER_EMAIL} in the outbox")


def log_in(page, base_url: str, link: str) -> None:
    page.goto(base_url + link)
    page.fill("#password", MEMBER_PASSWORD)
    page.fill("#password-confirm", MEMBER_PASSWORD)
    page.click("#password-submit")
    page.locator("#password-done").wait_for(state="visible")
    page.goto(base_url + "/members/")
    page.fill("#login", MEMBER)
    page.fill("#password", MEMBER_PASSWORD)
    page.click("#login-submit")


@contextlib.contextmanager
def changed_entry(db: Path, sequence: int, **changes) -> Iterator[None]:
    """One audit entry changed in place (as someone with the database file could),
    put back afterwards."""
    with sqlite3.connect(db) as connection:
        (text,) = connection.execute(
            "SELECT entry FROM audit_log WHERE sequence = ?", (sequence,)
        ).fetchone()
        forged = json.dumps({**json.loads(text), **changes})
        connection.execute("UPDATE audit_log SET entry = ? WHERE sequence = ?", (forged, sequence))
    try:
        yield
    finally:
        with sqlite3.connect(db) as connection:
            connection.execute(
                "UPDATE audit_log SET entry = ? WHERE sequence = ?", (text, sequence)
            )


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until ``selector`` has the focus: it is reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def follow(page, key: str) -> None:
    """Press ``key`` and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def axe_problems(page) -> list:
    page.add_script_tag(url="/__axe.js")
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_report_from_the_public_form_is_triaged_proposed_published_and_seen_by_a_member(
    scheme, staff_url, origin, browser, tmp_path
):
    public = browser.new_context().new_page()
    first = send_report(public, scheme.base_url, partial)
    second = send_report(public, scheme.base_url, follow_up_to(first))

    context = browser.new_context()
    page = context.new_page()
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    accessibility = {}
    page.goto(staff_url)
    accessibility["unlock"] = axe_problems(page)
    tab_to(page, "#passphrase")
    page.keyboard.type(PASSPHRASE)
    follow(page, "Enter")
    assert page.url.endswith("/"), page.content()[:600]
    accessibility["overview"] = axe_problems(page)

    tab_to(page, 'a[href="/queue"]')
    follow(page, "Enter")
    accessibility["queue"] = axe_problems(page)
    row = page.locator("tr", has_text=first)
    assert second in row.inner_text() and "Cleveland" in row.inner_text()
    assert "Yes" in row.inner_text()  # the follow-up's consent to an alert

    tab_to(page, f'a[href="/incidents/{first}"]')
    follow(page, "Enter")
    assert WHAT_HAPPENED in page.content()
    accessibility["incident"] = axe_problems(page)
    tab_to(page, "#status")
    page.keyboard.press("ArrowDown")  # new → in progress
    tab_to(page, "#assignee")
    page.keyboard.type("Sam")
    tab_to(page, "#note")
    page.keyboard.type("Called the project; she is safe.")
    tab_to(page, "#case button[type=submit], form[action$='/case'] button")
    follow(page, "Enter")
    assert "Called the project; she is safe." in page.content()
    assert page.locator("#assignee").input_value() == "Sam"

    tab_to(page, f'a[href="/incidents/{first}/alert"]')
    follow(page, "Enter")
    assert page.url.endswith("/alert")
    accessibility["draft"] = axe_problems(page)
    assert page.locator("#a-region").input_value() == "cleveland"
    assert WHAT_HAPPENED not in page.content()
    page.fill("#a-incident-date", f"{YEAR}-01-05")
    page.select_option("#a-risk", "high")
    page.fill("#a-area", "Linthorpe Road")
    page.fill("#a-what_happened", "He refused to pay. Call me on 07700 900123.")
    problem = page.locator("#a-what_happened-problem")
    expect(problem).to_contain_text(re.compile(r"\w"))
    assert page.get_attribute("#a-what_happened", "aria-invalid") == "true"
    page.fill("#a-what_happened", "He refused to pay and became violent when asked.")
    expect(problem).to_have_text("")
    page.click("form#alert-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/alerts/{YEAR}-\d{{4}}$"))
    number = page.url.rsplit("/", 1)[1]
    accessibility["saved alert"] = axe_problems(page)

    other = tmp_path / "alex"
    git(tmp_path, "clone", "-q", str(origin), str(other))
    (other / "site" / "alerts" / f"{number}.md").write_text(f"---\nnumber: {number}\n---\n")
    git(other, "add", ".")
    git(other, "commit", "-qm", "Alex's alert")
    git(other, "push", "-q", "origin", f"HEAD:refs/heads/alert-{number}")

    page.click("text=Propose for review")
    page.locator(".done").wait_for()
    renumbered = f"{YEAR}-{int(number[-4:]) + 1:04d}"
    assert f"is now {renumbered}" in page.inner_text(".done")
    shown = git(origin, "show", f"alert-{renumbered}:site/alerts/{renumbered}.md")
    assert f"number: {renumbered}" in shown and "region: cleveland" in shown

    # A reviewer merges the proposal (the console committed it on the newest main) and
    # the merged main is published against the dev scheme's data directory.
    git(origin, "update-ref", "refs/heads/main", f"refs/heads/alert-{renumbered}")
    merged = tmp_path / "merged"
    git(tmp_path, "clone", "-q", str(origin), str(merged))
    alerts = str(merged / "site" / "alerts")
    published = scheme.uglymugs("publish", "--alerts", alerts, "--no-site", "--no-notify")
    assert published.returncode == 0, published.stdout + published.stderr
    assert renumbered in published.stdout

    # Someone applies; the staff member approves them in the console.
    member = browser.new_context().new_page()
    join(member, scheme.base_url)
    console_base = staff_url.split("/launch")[0]
    page.goto(console_base + "/")
    assert int(page.inner_text('.counts a[href="/members"] strong')) >= 1  # told of it
    page.goto(console_base + "/members")
    applicant = page.locator("section.member", has_text=MEMBER)
    with page.expect_navigation():
        applicant.locator("button", has_text="Approve").click()
    assert "(approved)" in page.locator("section.member", has_text=MEMBER).inner_text()

    for name, path in (
        ("enter", "/reports/new"),
        ("members", "/members"),
        ("publishing", "/publishing"),
        ("figures", "/figures"),
    ):
        page.goto(staff_url.split("/launch")[0] + path)
        accessibility[name] = axe_problems(page)
    assert {name: found for name, found in accessibility.items() if found} == {}

    # The member sets a password, logs in and sees the alert among the published ones.
    log_in(member, scheme.base_url, set_password_link(scheme.data_dir))
    card = member.locator(f"#alert-{renumbered}")
    card.wait_for(timeout=20_000)
    assert member.locator("#alerts-warning").is_hidden()  # the bundle verified
    assert "became violent" in card.inner_text()
    assert WHAT_HAPPENED not in member.content()
    member.context.close()

    # Each step is in the audit trail (who, what, which report; never what it says).
    listed = scheme.uglymugs("audit", "log", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)["entries"]
    steps = {(e["who"], e["action"]) for e in entries}
    for action in ("unlock", "read", "status", "assign", "note", "draft", "propose", "approve"):
        assert ("Sam", action) in steps, action
    assert any(e["action"] == "publish" and renumbered in e["targets"] for e in entries)
    assert any(e["action"] == "read" and first in e["targets"] for e in entries)
    assert WHAT_HAPPENED not in listed.stdout and "Called the project" not in listed.stdout
    verified = scheme.uglymugs("audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout
    proposed = next(e for e in entries if e["action"] == "propose")
    with changed_entry(scheme.data_dir / "state.sqlite3", proposed["sequence"], who="Alex"):
        broken = scheme.uglymugs("audit", "verify")
        assert broken.returncode == 1
        assert f"entry {proposed['sequence']}: changed" in broken.stdout, broken.stdout

    page.goto(staff_url.split("/launch")[0] + f"/incidents/{first}")
    page.click("header button[type=submit]")  # Lock
    page.wait_for_url(re.compile("/unlock$"))
    locked = json.loads(scheme.uglymugs("audit", "log", "--json").stdout)["entries"][-1]
    assert (locked["who"], locked["action"], locked["detail"]) == ("Sam", "lock", "by hand")
    page.go_back()
    page.wait_for_load_state("load")
    assert WHAT_HAPPENED not in page.content()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate("caches.keys().then(keys => keys.length)") == 0
    context.close()
