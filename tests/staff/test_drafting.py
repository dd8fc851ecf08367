"""Drafting an alert in the console, checking it as staff type, proposing it with git."""

import subprocess

import pytest

from tests.staff.conftest import make_console, report

FIXED = {
    "incident.date": "2026-11-20",
    "region": "cleveland",
    "area": "Linthorpe",
    "categories": "robbery",
    "risk": "high",
    "what_happened": "A man took back the money by force after the booking.",
}


def git(cwd, *args):
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def remote(tmp_path):
    """A bare repository as origin, with main holding one alert (2026-0001)."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    (seed / "site" / "alerts").mkdir(parents=True)
    (seed / "site" / "alerts" / "2026-0001.md").write_text("---\nnumber: 2026-0001\n---\n")
    git(seed, "add", ".")
    git(seed, "commit", "-qm", "first alert")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return bare


def clone_console(tmp_path, key_files, remote, name):
    console = make_console(tmp_path / name, key_files, name)
    checkout = console.services.checkout
    subprocess.run(["rm", "-rf", str(checkout)], check=True)
    git(tmp_path, "clone", "-q", str(remote), str(checkout))
    return console


def incident(console):
    return console.add(
        report(
            what_happened="secret words",
            consent_alert="yes",
            town_or_area="Middlesbrough",
            categories=["robbery"],
            incident_date="2026-11-20",
            offender_sex="man",
        )
    )


def test_the_draft_is_prefilled_with_the_region_and_never_with_what_happened(console):
    number = incident(console)
    console.unlock()
    page = console.client.get(f"/incidents/{number}/alert").text
    assert '<option value="cleveland" selected>' in page
    assert "secret words" not in page
    assert 'value="robbery" checked' in page


def test_the_check_endpoint_puts_each_problem_beside_its_field(console):
    incident(console)
    console.unlock()
    problems = console.post("/alerts/check", {**FIXED, "region": "atlantis"}).json()["problems"]
    assert "region" in problems and "atlantis" in problems["region"][0]
    problems = console.post("/alerts/check", {**FIXED, "what_happened": "Call 07700 900123"})
    assert "what_happened" in problems.json()["problems"]
    assert console.post("/alerts/check", FIXED).json()["problems"] == {}
    assert console.post("/alerts/check", FIXED, headers={"Origin": "http://x"}).status_code == 403


def test_a_draft_with_problems_is_not_saved_and_a_good_one_is_written(console):
    number = incident(console)
    console.unlock()
    bad = console.post(f"/incidents/{number}/alert", {**FIXED, "risk": ""})
    assert bad.status_code == 422 and 'id="a-risk-problem"' in bad.text
    assert list(console.services.alerts_dir.iterdir()) == []
    good = console.post(f"/incidents/{number}/alert", FIXED)
    assert good.status_code == 303
    written = list(console.services.alerts_dir.iterdir())
    assert len(written) == 1 and good.headers["location"] == f"/alerts/{written[0].stem}"
    text = written[0].read_text()
    assert "region: cleveland" in text and number in text and "secret words" not in text
    assert console.services.keyholder.state.casework.load(number).status == "alert_drafted"
    assert "draft" in [e.action for e in console.services.history(number)]


def test_proposing_pushes_a_branch_and_a_clashing_number_is_renumbered(tmp_path, key_files, remote):
    sam = clone_console(tmp_path, key_files, remote, "Sam")
    alex = clone_console(tmp_path, key_files, remote, "Alex")
    numbers = []
    for console in (sam, alex):
        console.client.get(f"/launch?token={console.tickets.launch_token}")
        number = incident(console)
        console.unlock()
        saved = console.post(f"/incidents/{number}/alert", FIXED)
        numbers.append(saved.headers["location"].rsplit("/", 1)[1])
    assert numbers[0] == numbers[1] == "2026-0002"  # both drafted from the same main
    first = sam.post("/alerts/2026-0002/propose")
    assert first.status_code == 200 and "alert-2026-0002" in first.text
    second = alex.post("/alerts/2026-0002/propose")
    assert second.status_code == 200
    assert "is now 2026-0003" in second.text and "alert-2026-0003" in second.text
    proposed = [e for e in alex.services.audit_log.entries() if e.action == "propose"]
    assert [(e.who, e.targets) for e in proposed][-1] == ("Alex", ("2026-0003",))
    assert "renumbered from 2026-0002" in proposed[-1].detail
    branches = git(remote, "branch", "--list")
    assert "alert-2026-0002" in branches and "alert-2026-0003" in branches
    shown = git(remote, "show", "alert-2026-0003:site/alerts/2026-0003.md")
    assert "number: 2026-0003" in shown
    assert (alex.services.alerts_dir / "2026-0003.md").exists()
    assert git(alex.services.checkout, "status", "--porcelain", "--untracked-files=no") == ""
