"""Staff reading: decrypt by key id, parse, link follow-ups; failures never crash."""

import json

import pytest
from nacl.public import PrivateKey, SealedBox

from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.reading import follow_ups, open_report, open_vault, summary
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault

KEY_ID = "report-aaaaaaaa"
OLD_KEY_ID = "report-bbbbbbbb"


def report(**changes):
    return {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": "self",
        "language": "en",
        "answers": {"incident_date": "2026-11-20", "what_happened": "He refused to pay."},
        **changes,
    }


@pytest.fixture
def keys():
    return {KEY_ID: PrivateKey.generate(), OLD_KEY_ID: PrivateKey.generate()}


@pytest.fixture
def vault(tmp_path):
    return LocalReportVault(tmp_path / "vault")


def seal(keys, content, key_id=KEY_ID, number=None, received_at="2026-11-23T10:00:00Z"):
    plaintext = content if isinstance(content, bytes) else json.dumps(content).encode()
    ciphertext = SealedBox(keys[key_id].public_key).encrypt(plaintext)
    return StoredReport(number or new_report_number(), key_id, ciphertext, received_at)


def test_a_report_opens_with_the_key_named_by_its_key_id(keys):
    for key_id in (KEY_ID, OLD_KEY_ID):
        opened = open_report(seal(keys, report(), key_id=key_id), keys)
        assert opened.problem is None
        assert opened.content == report()
        assert (opened.report_type, opened.reporter, opened.follows) == ("full", "self", None)


def test_an_unknown_key_id_is_a_problem_not_a_crash(keys):
    stored = seal(keys, report())
    opened = open_report(stored, {OLD_KEY_ID: keys[OLD_KEY_ID]})
    assert opened.content is None
    assert KEY_ID in opened.problem and "not in the key ring" in opened.problem


def test_a_corrupt_ciphertext_is_a_problem_not_a_crash(keys):
    stored = seal(keys, report())
    flipped = stored.ciphertext[:-1] + bytes([stored.ciphertext[-1] ^ 1])  # always a change
    broken = StoredReport(stored.report_number, KEY_ID, flipped, "t")
    assert "does not decrypt" in open_report(broken, keys).problem
    too_short = StoredReport(stored.report_number, KEY_ID, b"short", "t")
    assert "does not decrypt" in open_report(too_short, keys).problem


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff not json", "not JSON"),
        (["a", "list"], "not a JSON object"),
        (report(schema="uglymugs.report/9"), "not a uglymugs.report/1 report"),
        (report(answers=["x"]), "answers are not an object"),
        (report(answers={"categories": [1, 2]}), "'categories'"),
    ],
)
def test_plaintext_that_is_not_a_report_is_a_problem(keys, content, problem):
    opened = open_report(seal(keys, content), keys)
    assert opened.content is None
    assert problem in opened.problem


def test_follow_ups_link_to_the_report_they_follow(keys, vault):
    original = seal(keys, report(), received_at="2026-11-01T09:00:00Z")
    later = seal(
        keys,
        report(report_type="follow_up", follows=original.report_number.lower()),
        received_at="2026-11-02T09:00:00Z",
    )
    for stored in (later, original):
        vault.put_new(stored)
    reports = open_vault(vault, keys)
    assert [r.report_number for r in reports] == [original.report_number, later.report_number]
    assert reports[1].follows == original.report_number  # normalised
    assert follow_ups(reports) == {original.report_number: [later.report_number]}


def test_a_corrupt_vault_record_is_listed_with_its_problem(keys, vault, tmp_path):
    good = seal(keys, report())
    vault.put_new(good)
    bad_number = new_report_number()
    (tmp_path / "vault" / f"{bad_number}.json").write_text("{not json")
    reports = {r.report_number: r for r in open_vault(vault, keys)}
    assert reports[good.report_number].problem is None
    assert "corrupt" in reports[bad_number].problem


def test_summary_is_type_date_and_place_or_the_start_of_the_story(keys):
    full = open_report(seal(keys, report()), keys)
    assert summary(full) == "Full report, 2026-11-20"
    partial = open_report(
        seal(keys, report(report_type="partial", answers={"what_happened": "x " * 100})), keys
    )
    assert summary(partial).startswith("Partial report")
    assert summary(partial).endswith("…") and len(summary(partial)) < 120
