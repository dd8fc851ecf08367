"""``uglymugs reports list|show`` over a local vault of reports sealed in the test."""

import json

import pytest
from nacl.public import PrivateKey, PublicKey, SealedBox

from uglymugs import composition
from uglymugs.cases.records import Casework, decide_link
from uglymugs.cli import main
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.crypto.keys import unlock_case_keys
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault

PASSPHRASE = "staff passphrase"
STORY = "He took the money back at knifepoint near the canal"
CANARY_PHONE = "07700 900461"


def full_report():
    return {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": "project",
        "language": "en",
        "answers": {
            "project_name": "Canal Street Project",
            "incident_date": "2026-11-20",
            "town_or_area": "Ancoats",
            "location_type": "outcall",
            "contact_method": ["online_ad", "phone"],
            "categories": ["robbery", "threats"],
            "phone_numbers": CANARY_PHONE,
            "what_happened": STORY,
            "police_told": "not_sure",
            "legacy_field": "kept from an older form",
        },
    }


def follow_up(number):
    return {
        "schema": "uglymugs.report/1",
        "report_type": "follow_up",
        "follows": number,
        "reporter": "self",
        "language": "en",
        "answers": {"what_happened": "He came back the next week."},
    }


class Scheme:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
        self.vault = LocalReportVault(data_dir / "vault")

    def store(self, content, received_at, key_id=None, public_key=None):
        box = SealedBox(PublicKey(public_key or self.public.report_public_key))
        number = new_report_number()
        self.vault.put_new(
            StoredReport(
                number,
                key_id or self.public.report_key_id,
                box.encrypt(json.dumps(content).encode()),
                received_at,
            )
        )
        return number


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("COLUMNS", "200")
    return Scheme(tmp_path / "data")


@pytest.fixture
def linked(scheme):
    original = scheme.store(full_report(), "2026-11-21T08:00:00Z")
    later = scheme.store(follow_up(original.lower().replace("-", " ")), "2026-11-22T08:00:00Z")
    return original, later


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_incident_without_free_text(scheme, linked, capsys):
    original, later = linked
    code, out, err = run(capsys, "reports", "list")
    assert code == 0, err
    assert original in out and later in out
    assert "2026-11-21T08:00" in out
    assert "Full report" in out and "project" in out and "2026-11-20" in out
    assert "greater-manchester" in out and "Ancoats" in out  # force area from the town
    assert "robbery, threats" in out
    assert "alert: -" in out and "new" in out
    assert "1 incidents (2 reports)." in out
    for secret in (STORY, CANARY_PHONE, "Canal Street Project"):
        assert secret not in out


def test_list_never_cuts_a_report_number_in_80_columns(scheme, linked, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "reports", "list")
    assert code == 0
    assert linked[0] in out and linked[1] in out
    assert max(len(line) for line in out.splitlines()) <= 80


def incident(scheme, received_at, reporter="self", **answers):
    content = {**full_report(), "reporter": reporter}
    content["answers"] = {"what_happened": STORY, **answers}
    return scheme.store(content, received_at)


def listed(capsys, *filters):
    code, out, err = run(capsys, "reports", "list", "--json", *filters)
    assert code == 0, err
    return [row["number"] for row in json.loads(out)["incidents"]]


def test_list_json_and_its_filters(scheme, capsys):
    leeds = incident(
        scheme,
        "2026-11-01T08:00:00Z",
        town_or_area="Chapeltown, Leeds",
        incident_date="2026-10-30",
        categories=["rape"],
        consent_alert="yes",
        consent_scas="yes",
        contact_preference="phone",
    )
    site = incident(
        scheme,
        "2026-11-02T08:00:00Z",
        reporter="site",
        force_area="cleveland",
        incident_date="2026-11-01",
        categories=["robbery"],
        consent_alert="yes",
        victim_agreed="no",
        contact_preference="none",
    )
    code, out, _ = run(capsys, "reports", "list", "--json")
    assert code == 0
    rows = {row["number"]: row for row in json.loads(out)["incidents"]}
    assert rows[leeds]["force_area"] == "west-yorkshire"
    assert rows[leeds]["force_area_source"] == "town"
    assert rows[site]["force_area"] == "cleveland" and rows[site]["force_area_source"] == "report"
    assert rows[site]["consents"]["consent_alert"] == {"answer": "yes", "allowed": False}
    assert rows[leeds]["wants_contact"] is True and rows[site]["wants_contact"] is False
    assert rows[leeds]["status"] == "new" and rows[leeds]["who_reported"] == "self"
    assert STORY not in out
    assert listed(capsys, "--consent", "alert") == [leeds]
    assert listed(capsys, "--consent", "scas") == [leeds]
    assert listed(capsys, "--consent", "police_help") == []
    assert listed(capsys, "--category", "robbery") == [site]
    assert listed(capsys, "--force-area", "cleveland") == [site]
    assert listed(capsys, "--from", "2026-10-31") == [site]
    assert listed(capsys, "--to", "2026-10-31") == [leeds]
    assert listed(capsys, "--wants-contact") == [leeds]
    assert listed(capsys, "--status", "new") == [leeds, site]
    assert listed(capsys, "--status", "closed") == []
    with pytest.raises(SystemExit) as exit_:
        main(["reports", "list", "--from", "last week"])
    assert exit_.value.code == 2 and "not a date" in capsys.readouterr().err


def test_list_marks_reports_that_cannot_be_opened(scheme, linked, capsys):
    foreign = scheme.store(
        full_report(),
        "2026-11-23T08:00:00Z",
        key_id="report-zzzzzzzz",
        public_key=bytes(PrivateKey.generate().public_key),
    )
    code, out, _ = run(capsys, "reports", "list")
    assert code == 0
    assert f"UNREADABLE {foreign}: sealed to key report-zzzzzzzz" in out
    assert linked[0] in out


def test_list_of_an_empty_vault(scheme, capsys):
    code, out, _ = run(capsys, "reports", "list")
    assert (code, "No reports" in out) == (0, True)


def test_show_prints_every_answer_with_its_label_and_its_follow_ups(scheme, linked, capsys):
    original, later = linked
    code, out, err = run(capsys, "reports", "show", original.lower())
    assert code == 0, err
    for expected in (
        original,
        "When and where",  # a section legend
        "Date it happened",
        "2026-11-20",
        "Outcall (their place or a hotel they chose)",
        "Through an online advert, By phone or text",
        "Robbery",
        "Not sure",
        STORY,
        CANARY_PHONE,
        "Canal Street Project",
        "Other answers",
        "legacy_field",
        f"{later}, received 2026-11-22T08:00:00Z: Follow-up",
    ):
        assert expected in out, expected


def test_show_of_a_follow_up_names_the_report_it_follows(scheme, linked, capsys):
    original, later = linked
    code, out, _ = run(capsys, "reports", "show", later)
    assert code == 0
    assert f"{original}, received 2026-11-21T08:00:00Z: Full report, 2026-11-20, Ancoats" in out
    assert "He came back the next week." in out


def test_show_json(scheme, linked, capsys):
    original, later = linked
    code, out, _ = run(capsys, "reports", "show", original, "--json")
    assert code == 0
    document = json.loads(out)
    consents = document.pop("consents")
    assert consents["consent_alert"]["answer"] is None
    assert consents["consent_alert"]["allowed"] is False
    assert document.pop("incident")["numbers"] == [original, later]
    case = document.pop("case")
    assert (case["status"], case["version"], case["notes"]) == ("new", 0, [])
    assert document == {
        **full_report(),
        "report_number": original,
        "received_at": "2026-11-21T08:00:00Z",
        "follows": None,
        "follow_ups": [later],
    }
    code, out, _ = run(capsys, "reports", "show", later, "--json")
    assert json.loads(out)["follows"] == original


def test_report_text_cannot_drive_the_terminal_or_rich_markup(scheme, capsys):
    hostile = full_report()
    hostile["answers"]["what_happened"] = "[red]markup[/red] \x1b]0;owned\x07 \u202eevil"
    number = scheme.store(hostile, "2026-11-21T08:00:00Z")
    code, out, _ = run(capsys, "reports", "show", number)
    assert code == 0
    assert "[red]markup[/red]" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07" in out and "\\u202eevil" in out


def test_wrong_passphrase_is_one_line(scheme, linked, monkeypatch, capsys):
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "guess")
    for argv in (["reports", "list"], ["reports", "show", linked[0]]):
        code, out, err = run(capsys, *argv)
        assert code == 1
        assert err.startswith("uglymugs: wrong passphrase for key file")
        assert err.count("\n") == 1 and out == ""


def test_malformed_number(scheme, capsys):
    code, _, err = run(capsys, "reports", "show", "UM-1234")
    assert code == 1 and "is not a report number" in err and err.count("\n") == 1


def test_number_with_a_wrong_check_character(scheme, linked, capsys):
    original = linked[0]
    wrong = original[:-1] + ("0" if original[-1] != "0" else "1")
    code, _, err = run(capsys, "reports", "show", wrong)
    assert code == 1 and "wrong character" in err


def test_unknown_number(scheme, capsys):
    number = new_report_number()
    code, _, err = run(capsys, "reports", "show", number)
    assert code == 1 and f"there is no report {number}" in err


def test_show_leaves_no_plaintext_in_the_data_directory(scheme, linked, capsys, tmp_path):
    before = sorted(path for path in tmp_path.rglob("*"))
    for argv in (["reports", "show", linked[0]], ["reports", "show", linked[0], "--json"]):
        assert run(capsys, *argv)[0] == 0
    run(capsys, "reports", "list")
    audit = scheme.data_dir / "state.sqlite3"  # the audit trail: who read what, no content
    index = scheme.data_dir / "index"  # the report index, sealed with the case key
    assert (index / "vault.sealed").is_file()
    written = [path for path in tmp_path.rglob("*") if path != audit and index not in path.parents]
    assert sorted(path for path in written if path != index) == before
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (STORY, CANARY_PHONE, "Canal Street Project", "Ancoats", "robbery"):
                assert secret.encode() not in data, path


def test_stats_json_counts_incidents_and_hides_small_numbers(scheme, capsys, tmp_path):
    for n in range(6):
        incident(
            scheme,
            f"2026-11-2{n}T08:00:00Z",
            force_area="merseyside",
            incident_date="2026-11-01",
            categories=["rape"],
        )
        if n < 5:
            incident(scheme, f"2026-11-2{n}T09:00:00Z", force_area="cleveland")
    original = incident(scheme, "2026-11-20T09:00:00Z", force_area="not_sure")
    scheme.store(follow_up(original), "2026-11-21T09:00:00Z")
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(capsys, "stats", "--json")
    assert code == 0, err
    table = json.loads(out)
    assert table["suppressed_below"] == 5 and table["totals"]["reports"] == 12
    rows = {row["force_area"]: row for row in table["incidents"]}
    assert rows["merseyside"]["year"] == 2026 and rows["merseyside"]["reports"] == 6
    assert rows["merseyside"]["by_category"]["rape"] == 6
    assert rows["unknown"]["reports"] is None  # one incident: a report and its follow-up
    assert rows["cleveland"]["reports"] is None  # else 12 - 6 - 5 would give it away
    assert sorted(tmp_path.rglob("*")) == before  # nothing written
    page = tmp_path / "figures.html"
    code, out, err = run(capsys, "figures", "--html", str(page), "--force-area", "merseyside")
    assert code == 0, err
    assert "merseyside" in page.read_text() and "hidden" in page.read_text()
    assert STORY not in page.read_text()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.read_text()  # the trend chart
    pdf = tmp_path / "figures.pdf"
    code, out, err = run(capsys, "figures", "--pdf", str(pdf), "--force-area", "merseyside")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF-") and STORY.encode() not in pdf.read_bytes()


@pytest.mark.parametrize(
    "argv",
    [
        ["--force-area", "atlantis"],
        ["--from", "2025-01-01", "--to", "2024-01-01"],
    ],
)
def test_stats_refuses_an_unknown_area_or_an_impossible_range(scheme, capsys, argv):
    code, out, err = run(capsys, "stats", *argv)
    assert code == 1 and len(err.strip().splitlines()) == 1 and not out


def test_stats_counts_approved_members_by_the_areas_they_work_in(scheme, capsys):
    from dataclasses import replace

    from tests.members.factories import a_member
    from uglymugs import composition
    from uglymugs.config import Settings

    directory = composition.member_directory(Settings())
    for n in range(6):
        member = a_member(f"member{n}", f"m{n}@example.org", monitoring={"areas": "cleveland"})
        directory.add(replace(member, status="approved"))
    code, out, err = run(capsys, "stats", "--json")
    assert code == 0, err
    table = json.loads(out)
    assert table["members"] == [
        {"force_area": "cleveland", "individual": 6, "project": 0, "site": 0}
    ]
    assert table["member_totals"] == {"individual": 6, "project": 0, "site": 0}
    code, out, err = run(capsys, "stats")
    assert code == 0 and "cleveland" in out and "individual 6" in out


def test_links_json_pairs_incidents_with_a_shared_phone(scheme, capsys, tmp_path):
    first = incident(scheme, "2026-11-20T08:00:00Z", phone_numbers="07700 900461")
    second = incident(scheme, "2026-11-21T08:00:00Z", phone_numbers="+447700900461")
    incident(scheme, "2026-11-22T08:00:00Z", phone_numbers="07700 900999")
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(capsys, "links", "--json")
    assert code == 0, err
    link, *others = json.loads(out)["links"]  # all three tell one method: weaker links
    assert {link["a"], link["b"]} == {first, second}
    assert 0 <= link["score"] <= 1 and link["reasons"][0] == "same phone +44 7700 900461"
    assert all(other["score"] < link["score"] for other in others)
    assert sorted(tmp_path.rglob("*")) == before
    code, out, err = run(capsys, "links")
    assert code == 0 and f"{1 + len(others)} suggested links, " in out


def test_links_lists_a_pair_a_caseworker_linked_by_hand_as_confirmed(scheme, capsys):
    first = incident(scheme, "2026-11-20T08:00:00Z", phone_numbers="07700 900461")
    second = incident(scheme, "2026-11-21T08:00:00Z", phone_numbers="07700 900999")
    settings = Settings()
    casework = Casework(
        composition.case_store(settings), unlock_case_keys(settings.keys_dir, PASSPHRASE)
    )
    decide_link(casework, first, second, "confirmed", "Sam", "outreach: the same voice")
    code, out, err = run(capsys, "links", "--json")
    assert code == 0, err
    document = json.loads(out)
    [link] = [x for x in document["links"] if {x["a"], x["b"]} == {first, second}]
    assert link["confirmed"] is True and 0 <= link["score"] <= 1
    assert link["reasons"][0] == "linked by a caseworker: outreach: the same voice"
    assert sorted([first, second]) in document["series"]
