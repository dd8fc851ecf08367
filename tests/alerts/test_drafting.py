"""``uglymugs alerts new``: blank drafts, drafts from a sealed report, consent, numbering.

Reports are sealed in the test to real keys (``TEST_KDF``) in a local vault, as the
report function would store them; unique canary strings are planted in every answer
that must never reach an alert file, and the drafted file is searched for them.
"""

import json
from datetime import date, timedelta

import pytest
from nacl.public import PublicKey, SealedBox

from uglymugs.alerts.check import check_alerts
from uglymugs.alerts.drafting import (
    NoConsentError,
    draft_from_report,
    write_new_alert,
)
from uglymugs.alerts.front_matter import parse
from uglymugs.alerts.model import PLACEHOLDER
from uglymugs.cli import main
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.reading import OpenedReport
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault

PASSPHRASE = "staff passphrase"
INCIDENT = date.today() - timedelta(days=3)
CANARIES = {
    "what_happened": "canary-story-5c1e he followed her home to 14 Elm Road",
    "injuries": "canary-injuries-9a7b",
    "project_name": "canary-project-2f4d",
    "contact_details": "canary-contact-6e3a jess@example.net",
    "offender_marks": "tattoo of a swallow on the left hand",
}
FORBIDDEN_WORDS = (
    "injur",
    "police_told",
    "consent",
    "contact_details",
    "contact_preference",
    "project",
    "victim_agreed",
    "location_type",
    "what_happened",
)


def full_report(**answers):
    return {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": "project",
        "language": "en",
        "answers": {
            "project_name": CANARIES["project_name"],
            "victim_agreed": "yes",
            "incident_date": INCIDENT.isoformat(),
            "incident_time": "about 21:30",
            "town_or_area": "Ancoats, Manchester",
            "location_type": "outcall",
            "contact_method": ["online_ad", "phone"],
            "sites_used": "escorts.example.org, chat.example.com",
            "offender_sex": "male",
            "offender_age": "40s",
            "offender_build": "stocky",
            "offender_glasses": "no",
            "offender_marks": CANARIES["offender_marks"],
            "vehicle_make": "Ford",
            "vehicle_colour": "white",
            "vehicle_registration": "zz99 zzz",
            "phone_numbers": "07700 900123\n+44 7700 900124\n",
            "emails": "Dave@Example.org",
            "usernames": "DaveM\n",
            "what_happened": CANARIES["what_happened"],
            "categories": ["robbery", "threats"],
            "injuries": CANARIES["injuries"],
            "police_told": "yes",
            "consent_alert": "yes",
            "consent_scas": "yes",
            "consent_police_help": "no",
            "contact_preference": "email",
            "contact_details": CANARIES["contact_details"],
            **answers,
        },
    }


class Scheme:
    """Keys and a local vault under a data directory, as on a staff laptop."""

    def __init__(self, data_dir):
        self.public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
        self.vault = LocalReportVault(data_dir / "vault")

    def store(self, content, received_at="2026-11-21T08:00:00Z"):
        number = new_report_number()
        box = SealedBox(PublicKey(self.public.report_public_key))
        ciphertext = box.encrypt(json.dumps(content).encode())
        self.vault.put_new(StoredReport(number, self.public.report_key_id, ciphertext, received_at))
        return number


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    return Scheme(tmp_path / "data")


@pytest.fixture
def alerts_dir(tmp_path):
    directory = tmp_path / "alerts"
    directory.mkdir()
    return directory


def new_alert(capsys, alerts_dir, *options):
    code = main(["alerts", "new", "--dir", str(alerts_dir), *options])
    out, err = capsys.readouterr()
    return code, out, err


def first_number():
    return f"{date.today().year}-0001"


def test_a_draft_copies_only_alert_safe_answers(scheme, alerts_dir, capsys):
    number = scheme.store(full_report())
    code, out, err = new_alert(capsys, alerts_dir, "--from-report", number)
    assert code == 0, err
    path = alerts_dir / f"{first_number()}.md"
    assert str(path) in out
    text = path.read_text()
    for name, canary in CANARIES.items():
        if name != "offender_marks":
            assert canary not in text, name
    for word in FORBIDDEN_WORDS:
        assert word not in text.lower(), word
    data = parse(text).data
    assert data["reports"] == [number]
    assert data["incident"] == {"date": INCIDENT.isoformat(), "time": "about 21:30"}
    assert data["area"] == "Ancoats, Manchester"
    assert data["region"] == "greater-manchester"  # suggested from the town
    assert data["risk"] is None
    assert "suggested from the town" in text and "suggested from the town" in out
    assert data["categories"] == ["robbery", "threats"]
    assert data["contact_method"] == ["online_ad", "phone"]
    assert data["offender"]["marks"] == CANARIES["offender_marks"]
    assert data["vehicle"] == {"make": "Ford", "colour": "white", "registration": "zz99 zzz"}
    assert data["identifiers"] == {
        "phones": ["+447700900123", "+447700900124"],
        "emails": ["dave@example.org"],
        "usernames": ["DaveM"],
        "sites": ["escorts.example.org", "chat.example.com"],
        "plates": ["ZZ99ZZZ"],
    }
    assert parse(text).body.strip() == PLACEHOLDER


def test_check_rejects_a_draft_until_staff_finish_it(scheme, alerts_dir, capsys):
    number = scheme.store(full_report())
    assert new_alert(capsys, alerts_dir, "--from-report", number)[0] == 0
    path = alerts_dir / f"{first_number()}.md"
    result = check_alerts(alerts_dir, today=date.today())
    assert ("placeholder", _body_line(path)) in {(p.code, p.line) for p in result.problems}
    assert {p.code for p in result.problems} == {"missing-field", "placeholder"}
    finished = (
        path.read_text()
        .replace("\nregion:\n", "\nregion: greater-manchester\n")
        .replace("\nrisk:\n", "\nrisk: high\n")
        .replace(PLACEHOLDER, "He took her money and threatened her.")
    )
    path.write_text(finished)
    assert check_alerts(alerts_dir, today=date.today()).problems == []


def _body_line(path):
    return parse(path.read_text()).body_line


def test_a_report_without_consent_to_an_alert_is_refused(scheme, alerts_dir, capsys):
    for consent in ("no", None):
        content = full_report(consent_alert=consent)
        if consent is None:
            del content["answers"]["consent_alert"]
        number = scheme.store(content)
        code, _, err = new_alert(capsys, alerts_dir, "--from-report", number)
        assert code == 1
        assert len(err.strip().splitlines()) == 1 and number in err
        assert "consent_alert" in err and "no alert may be drafted" in err
        assert list(alerts_dir.iterdir()) == []


def partial(**answers):
    return {
        "schema": "uglymugs.report/1",
        "report_type": "partial",
        "follows": None,
        "reporter": "self",
        "language": "en",
        "answers": {"what_happened": CANARIES["what_happened"], **answers},
    }


def follow_up_of(number, reporter="self", **answers):
    return {
        "schema": "uglymugs.report/1",
        "report_type": "follow_up",
        "follows": number,
        "reporter": reporter,
        "language": "en",
        "answers": {"what_happened": "He came back.", **answers},
    }


@pytest.mark.parametrize("start_from", ["partial", "follow-up"])
def test_a_partial_whose_follow_up_gives_consent_is_drafted_from_either_number(
    scheme, alerts_dir, capsys, start_from
):
    original = scheme.store(partial(town_or_area="Linthorpe Road, Middlesbrough"))
    later = scheme.store(
        follow_up_of(original, consent_alert="yes", categories=["robbery"], offender_age="30s"),
        received_at="2026-11-22T08:00:00Z",
    )
    code, out, err = new_alert(
        capsys, alerts_dir, "--from-report", original if start_from == "partial" else later
    )
    assert code == 0, err
    data = parse((alerts_dir / f"{first_number()}.md").read_text()).data
    assert data["reports"] == [original, later]
    assert data["region"] == "cleveland"
    assert data["categories"] == ["robbery"] and data["offender"] == {"age": "30s"}
    assert original in out and later in out


def test_a_later_no_withdraws_consent_given_earlier(scheme, alerts_dir, capsys):
    original = scheme.store(full_report())
    scheme.store(follow_up_of(original, consent_alert="no"), received_at="2026-11-22T08:00:00Z")
    code, _, err = new_alert(capsys, alerts_dir, "--from-report", original)
    assert code == 1 and "did not agree" in err
    assert list(alerts_dir.iterdir()) == []


@pytest.mark.parametrize("reporter", ["project", "site"])
@pytest.mark.parametrize("agreed", ["no", None])
def test_a_project_or_site_report_without_the_persons_agreement_is_refused(
    scheme, alerts_dir, capsys, reporter, agreed
):
    content = {**full_report(), "reporter": reporter}
    if agreed is None:
        del content["answers"]["victim_agreed"]
    else:
        content["answers"]["victim_agreed"] = agreed
    number = scheme.store(content)
    code, _, err = new_alert(capsys, alerts_dir, "--from-report", number)
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    expected = "did not agree" if agreed == "no" else "was not asked"
    assert expected in err and "victim_agreed" in err
    assert list(alerts_dir.iterdir()) == []


def test_drafting_is_recorded_in_the_audit_trail(scheme, alerts_dir, capsys, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_STAFF_NAME", "Sam")
    number = scheme.store(full_report())
    assert new_alert(capsys, alerts_dir, "--from-report", number)[0] == 0
    assert main(["audit", "log", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert [(e["who"], e["action"], e["targets"], e["detail"]) for e in entries] == [
        ("Sam", "draft", [number], first_number()),
        ("Sam", "status", [number], "alert_drafted"),
    ]
    assert main(["cases", "show", number, "--json"]) == 0
    case = json.loads(capsys.readouterr().out)
    assert (case["status"], case["saved_by"]) == ("alert_drafted", "Sam")


def test_an_unknown_report_or_a_wrong_passphrase_is_a_clear_error(
    scheme, alerts_dir, capsys, monkeypatch
):
    code, _, err = new_alert(capsys, alerts_dir, "--from-report", new_report_number())
    assert code == 1 and "there is no report" in err
    code, _, err = new_alert(capsys, alerts_dir, "--from-report", "UM-1234")
    assert code == 1 and "not a report number" in err
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "wrong")
    number = scheme.store(full_report())
    code, _, err = new_alert(capsys, alerts_dir, "--from-report", number)
    assert code == 1 and "wrong passphrase" in err
    assert list(alerts_dir.iterdir()) == []


def test_blank_drafts_take_the_next_numbers_and_never_overwrite(alerts_dir, capsys):
    year = date.today().year
    existing = alerts_dir / f"{year}-0001.md"
    existing.write_text("staff are still writing this one")
    assert new_alert(capsys, alerts_dir)[0] == 0
    assert new_alert(capsys, alerts_dir)[0] == 0
    assert existing.read_text() == "staff are still writing this one"
    assert sorted(path.name for path in alerts_dir.iterdir()) == [
        f"{year}-0001.md",
        f"{year}-0002.md",
        f"{year}-0003.md",
    ]
    blank = parse((alerts_dir / f"{year}-0002.md").read_text())
    assert blank.data["number"] == f"{year}-0002"
    assert blank.data["status"] == "published"
    assert blank.data["issued"] == date.today().isoformat()


def test_a_number_taken_while_drafting_is_skipped_not_overwritten(alerts_dir):
    issued = date(2026, 11, 23)

    def render(number):
        if number == "2026-0001":  # another draft is saved first
            (alerts_dir / "2026-0001.md").write_text("theirs")
        return f"mine {number}"

    path = write_new_alert(alerts_dir, issued, render)
    assert path.name == "2026-0002.md"
    assert (alerts_dir / "2026-0001.md").read_text() == "theirs"
    assert path.read_text() == "mine 2026-0002"


def test_the_alerts_directory_must_exist(tmp_path, capsys):
    code, _, err = new_alert(capsys, tmp_path / "nowhere")
    assert code == 1 and "not a directory" in err


def opened(content):
    return OpenedReport(new_report_number(), "2026-11-21T08:00:00Z", "report-x", content)


def test_report_text_cannot_break_out_of_its_yaml_value():
    hostile = "x\n---\nregion: kent\x1b[2J\u202e"
    report = opened(full_report(offender_marks=hostile, town_or_area="a: b # c"))
    text = draft_from_report(report, "2026-0042", date(2026, 11, 23))
    matter = parse(text)
    assert matter.data["offender"]["marks"] == "x --- region: kent [2J"
    assert matter.data["area"] == "a: b # c"
    assert matter.data["region"] is None  # "a: b # c" names no known town
    assert "\x1b" not in text and "\u202e" not in text


def test_unparseable_answers_are_copied_for_staff_to_fix():
    report = opened(
        full_report(
            incident_date="last Tuesday", phone_numbers="ring me", vehicle_registration="ZZ9?"
        )
    )
    data = parse(draft_from_report(report, "2026-0042", date(2026, 11, 23))).data
    assert data["incident"]["date"] == "last Tuesday"
    assert data["identifiers"]["phones"] == ["ring me"]
    assert "plates" not in data["identifiers"]


def test_the_drafting_functions_refuse_directly_too():
    with pytest.raises(NoConsentError):
        draft_from_report(opened(full_report(consent_alert="no")), "2026-0042", date.today())
    site_without_agreement = {**full_report(victim_agreed="no"), "reporter": "site"}
    with pytest.raises(NoConsentError):
        draft_from_report(opened(site_without_agreement), "2026-0042", date.today())
