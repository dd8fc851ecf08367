"""The sealed report index: correct after new reports and follow-ups, rebuilt when it
cannot be trusted, and never plaintext at rest."""

import json
import stat

import nacl.utils
import pytest
from nacl.public import PrivateKey, SealedBox

from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.index import (
    SealedIndex,
    incident_numbers,
    index_path,
    list_incidents,
    refresh,
)
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.reading import open_vault
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault

STORY = "He followed me to the bus station and took my phone"
CANARY_PHONE = "07700 900873"
KEY_ID = "report-test"


class CountingVault(LocalReportVault):
    """The local vault, counting the reports fetched (each one is a decryption)."""

    fetched = 0

    def get(self, report_number):
        self.fetched += 1
        return super().get(report_number)


@pytest.fixture
def private_key():
    return PrivateKey.generate()


@pytest.fixture
def vault(tmp_path):
    return CountingVault(tmp_path / "vault")


@pytest.fixture
def case_keys():
    return {"case-one": nacl.utils.random(32)}


@pytest.fixture
def index(tmp_path, case_keys):
    return SealedIndex(index_path(tmp_path / "data", None), case_keys)


def store(vault, private_key, received_at, follows=None, key_id=KEY_ID, **answers):
    number = new_report_number()
    content = {
        "schema": "uglymugs.report/1",
        "report_type": "follow_up" if follows else "full",
        "follows": follows,
        "reporter": "self",
        "answers": {
            "what_happened": STORY,
            "phone_numbers": CANARY_PHONE,
            "town_or_area": "Leeds",
            "categories": ["robbery"],
            **answers,
        },
    }
    sealed = SealedBox(private_key.public_key).encrypt(json.dumps(content).encode())
    vault.put_new(StoredReport(number, key_id, sealed, received_at))
    return number


def summaries(reports):
    return [incident.summary() for incident in group_incidents(reports)]


def test_list_from_the_index_equals_decrypting_the_whole_vault(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z", consent_alert="no")
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first, consent_alert="yes")
    store(vault, private_key, "2026-11-03T10:00:00Z", incident_date="2026-10-30")
    refresh(index, vault, keys)
    from_index = refresh(index, vault, keys)
    assert from_index.opened == 0
    assert summaries(from_index.reports.values()) == summaries(open_vault(vault, keys))


def test_new_reports_and_follow_ups_are_opened_alone_and_shown(vault, index, private_key):
    keys = {KEY_ID: private_key}
    numbers = [store(vault, private_key, f"2026-11-0{n}T10:00:00Z") for n in range(1, 6)]
    refresh(index, vault, keys)
    later = store(vault, private_key, "2026-11-09T10:00:00Z", follows=numbers[2])
    vault.fetched = 0
    refreshed = refresh(index, vault, keys)
    assert (refreshed.opened, vault.fetched) == (1, 1)
    incidents = group_incidents(refreshed.reports.values())
    assert (numbers[2], later) in [incident.numbers for incident in incidents]
    vault.fetched = 0
    assert incident_numbers(later, index, vault, keys) == sorted([numbers[2], later])
    assert vault.fetched == 0  # the links said which reports; show opens only those


def test_show_sees_a_follow_up_that_arrived_after_the_index(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    store(vault, private_key, "2026-11-02T10:00:00Z")
    refresh(index, vault, keys)
    later = store(vault, private_key, "2026-11-03T10:00:00Z", follows=first)
    assert incident_numbers(first, index, vault, keys) == sorted([first, later])
    assert index.links() is not None and later in index.links().numbers


def test_reports_the_vault_no_longer_holds_are_forgotten(vault, index, private_key):
    keys = {KEY_ID: private_key}
    gone = store(vault, private_key, "2026-11-01T10:00:00Z")
    kept = store(vault, private_key, "2026-11-02T10:00:00Z")
    refresh(index, vault, keys)
    vault.delete(gone)
    assert list(refresh(index, vault, keys).reports) == [kept]
    assert index.links().numbers == {kept}


@pytest.mark.parametrize("damage", ["missing", "corrupt", "other key ring"])
def test_an_index_that_cannot_be_trusted_is_rebuilt(vault, index, private_key, damage, tmp_path):
    keys = {KEY_ID: private_key}
    number = store(vault, private_key, "2026-11-01T10:00:00Z")
    refresh(index, vault, keys)
    if damage == "missing":
        index.path.unlink()
    elif damage == "corrupt":
        data = bytearray(index.path.read_bytes())
        data[-5] ^= 1
        index.path.write_bytes(bytes(data))
    else:
        index = SealedIndex(index.path, {"case-other": nacl.utils.random(32)})
    vault.fetched = 0
    assert list(refresh(index, vault, keys).reports) == [number]
    assert vault.fetched == 1
    assert index.entries() is not None


def test_an_index_sealed_with_an_older_case_key_is_resealed(vault, index, private_key):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    refresh(index, vault, keys)
    rotated = SealedIndex(index.path, {**index.keys, "case-two": nacl.utils.random(32)})
    assert refresh(rotated, vault, keys).opened == 0
    header = json.loads(index.path.read_bytes().split(b"\n", 1)[0])
    assert header["key_id"] == "case-two"


def test_an_unreadable_report_is_not_indexed_and_tried_again(vault, index, private_key):
    keys = {KEY_ID: private_key}
    other = PrivateKey.generate()
    number = store(vault, other, "2026-11-01T10:00:00Z")
    assert refresh(index, vault, keys).reports[number].problem
    assert refresh(index, vault, {KEY_ID: other}).reports[number].content is not None


def test_nothing_plaintext_is_written(vault, index, private_key, tmp_path):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z", incident_date="2026-10-31")
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    refresh(index, vault, keys)
    written = [path for path in (tmp_path / "data").rglob("*") if path.is_file()]
    assert written == [index.path]
    assert stat.S_IMODE(index.path.stat().st_mode) == 0o600
    data = index.path.read_bytes()
    for secret in (STORY, CANARY_PHONE, "Leeds", "robbery", "2026-10-31", first):
        assert secret.encode() not in data


def test_free_text_is_never_indexed(vault, index, private_key):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    refresh(index, vault, keys)
    (entry,) = index.entries().values()
    assert "what_happened" not in entry.answers and "phone_numbers" not in entry.answers
    assert entry.answers["town_or_area"] == "Leeds"


def listed(index, vault, keys):
    return list_incidents(index, vault, keys).incidents


def test_list_incidents_equals_grouping_the_whole_vault_as_reports_arrive(
    vault, index, private_key
):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z", consent_alert="no")
    store(vault, private_key, "2026-11-02T10:00:00Z", incident_date="2026-10-30")
    assert listed(index, vault, keys) == summaries(open_vault(vault, keys))
    later = store(vault, private_key, "2026-11-03T10:00:00Z", follows=first, consent_alert="yes")
    assert listed(index, vault, keys) == summaries(open_vault(vault, keys))
    assert listed(index, vault, keys) == summaries(open_vault(vault, keys))  # from the index
    vault.delete(later)
    assert listed(index, vault, keys) == summaries(open_vault(vault, keys))
    (incident, _) = listed(index, vault, keys)
    assert incident["consents"]["consent_alert"]["answer"] == "no"


def test_an_unreadable_original_is_listed_then_joined_when_it_opens(vault, index, private_key):
    keys = {KEY_ID: private_key}
    other = PrivateKey.generate()
    original = store(vault, other, "2026-11-01T10:00:00Z", key_id="report-other")
    later = store(vault, private_key, "2026-11-02T10:00:00Z", follows=original, consent_alert="yes")
    listing = list_incidents(index, vault, keys)
    assert listing.incidents == summaries(open_vault(vault, keys))
    assert listing.incidents[0]["problem"] and listing.incidents[0]["numbers"] == [original, later]
    assert [report.report_number for report in listing.unreadable] == [original]
    assert listed(index, vault, keys) == summaries(open_vault(vault, keys))  # from the index
    both = {KEY_ID: private_key, "report-other": other}
    listing = list_incidents(index, vault, both)
    assert listing.incidents == summaries(open_vault(vault, both))
    assert listing.incidents[0]["problem"] is None and not listing.unreadable


def test_a_list_with_nothing_new_opens_nothing_and_writes_nothing(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    expected = listed(index, vault, keys)
    written = index.path.stat()
    vault.fetched = 0
    assert listed(index, vault, keys) == expected
    assert vault.fetched == 0
    assert (index.path.stat().st_ino, index.path.stat().st_mtime_ns) == (
        written.st_ino,
        written.st_mtime_ns,
    )


def test_a_new_follow_up_is_the_only_report_opened(vault, index, private_key):
    keys = {KEY_ID: private_key}
    numbers = [store(vault, private_key, f"2026-11-0{n}T10:00:00Z") for n in range(1, 6)]
    listed(index, vault, keys)
    later = store(vault, private_key, "2026-11-09T10:00:00Z", follows=numbers[2])
    vault.fetched = 0
    incidents = listed(index, vault, keys)
    assert vault.fetched == 1
    assert [numbers[2], later] in [incident["numbers"] for incident in incidents]
    assert incidents == summaries(open_vault(vault, keys))


def test_an_index_of_the_first_format_is_rebuilt(vault, index, private_key):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    header = {"schema": "uglymugs.report-index/1", "key_id": "case-one", "links": 0, "entries": 0}
    index.path.parent.mkdir(parents=True)
    index.path.write_bytes(json.dumps(header).encode() + b"\n")
    vault.fetched = 0
    incidents = listed(index, vault, keys)
    assert vault.fetched == 1
    assert incidents == summaries(open_vault(vault, keys))
    written = json.loads(index.path.read_bytes().split(b"\n", 1)[0])
    assert written["schema"] == "uglymugs.report-index/2"


def test_the_stored_incidents_hold_no_free_text(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    listed(index, vault, keys)
    raw = index.raw("incidents")
    assert raw is not None
    (line,) = raw["incidents"].values()
    for secret in (STORY, CANARY_PHONE):
        assert secret.encode() not in line
    assert b"Leeds" in line  # the town, as the list shows it
