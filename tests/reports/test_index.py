"""The sealed report index: correct after new reports and follow-ups, rebuilt when it
cannot be trusted, and never plaintext at rest."""

import json
import os
import stat

import nacl.utils
import pytest
from nacl.public import PrivateKey, SealedBox

from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.index import (
    PARTS,
    SCHEMA,
    SealedIndex,
    incident_numbers,
    index_path,
    list_incidents,
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


def store(vault, private_key, received_at, follows=None, key_id=KEY_ID, number=None, **answers):
    number = number or new_report_number()
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
    listed(index, vault, keys)
    vault.fetched = 0
    from_index = listed(index, vault, keys)
    assert vault.fetched == 0
    assert from_index == summaries(open_vault(vault, keys))


def test_show_sees_a_follow_up_that_arrived_after_the_index(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    store(vault, private_key, "2026-11-02T10:00:00Z")
    listed(index, vault, keys)
    later = store(vault, private_key, "2026-11-03T10:00:00Z", follows=first)
    written = index.path.stat().st_mtime_ns
    vault.fetched = 0
    assert incident_numbers(first, index, vault, keys) == sorted([first, later])
    assert vault.fetched == 1  # only the report the index lacks, to read what it follows
    assert index.path.stat().st_mtime_ns == written  # the next list adds it
    listed(index, vault, keys)
    assert later in index.links().numbers
    vault.fetched = 0
    assert incident_numbers(later, index, vault, keys) == sorted([first, later])
    assert vault.fetched == 0


def test_show_after_the_index_ignores_a_file_that_is_no_report(vault, index, private_key):
    """Names the index does not know are checked: a hand-made file beside the reports
    is not one, and a report that arrived since is opened and followed as ever."""
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    other = store(vault, private_key, "2026-11-02T10:00:00Z")
    listed(index, vault, keys)
    later = store(vault, private_key, "2026-11-03T10:00:00Z", follows=first)
    folder = vault.vault_dir
    for name in (f"{other}.json.json", f"{first.lower()}.json", "notes.json", other):
        (folder / name).write_text("{}")
    vault.fetched = 0
    assert incident_numbers(first, index, vault, keys) == sorted([first, later])
    assert incident_numbers(other, index, vault, keys) == [other]
    assert vault.fetched == 2  # the new report, once for each show; nothing else
    vault.delete(first)  # an original gone from the vault: its follow-up stands alone
    assert incident_numbers(later, index, vault, keys) == [later]


def test_the_links_keep_any_text_a_follow_up_names(vault, index, private_key):
    """What a report follows is whatever it says (normalised when well formed): text
    with line breaks is kept as it is and links nothing."""
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    odd = store(vault, private_key, "2026-11-02T10:00:00Z", follows=f"{first}\nUM-x\tü")
    later = store(vault, private_key, "2026-11-03T10:00:00Z", follows=first.lower())
    listed(index, vault, keys)
    again = SealedIndex(index.path, index.keys)
    assert again.links().follows == {odd: f"{first}\nUM-x\tü", later: first}
    assert again.links().numbers == {first, odd, later}
    assert incident_numbers(odd, again, vault, keys) == [odd]
    assert incident_numbers(later, again, vault, keys) == sorted([first, later])


def test_show_trusts_the_listing_a_list_recorded_only_while_the_vault_is_the_same(
    vault, index, private_key
):
    """After a list, show reads which numbers the vault holds from the index while the
    vault's listing is the one the list saw; an unreadable report, never indexed, is
    still part of its incident, and tried again with the keys show has."""
    keys = {KEY_ID: private_key}
    other = PrivateKey.generate()
    original = store(vault, other, "2026-11-01T10:00:00Z", key_id="report-other")
    later = store(vault, private_key, "2026-11-02T10:00:00Z", follows=original)
    alone = store(vault, private_key, "2026-11-03T10:00:00Z")
    listed(index, vault, keys)
    vault.fetched = 0
    assert incident_numbers(later, index, vault, keys) == sorted([original, later])
    assert incident_numbers(alone, index, vault, keys) == [alone]
    assert vault.fetched == 2  # only the unreadable one, each time
    (vault.vault_dir / "notes.json").write_text("{}")  # the listing changed: checked
    again = store(vault, private_key, "2026-11-04T10:00:00Z", follows=alone)
    assert incident_numbers(alone, index, vault, keys) == sorted([alone, again])
    listed(index, vault, keys)
    vault.fetched = 0
    assert incident_numbers(again, index, vault, keys) == sorted([alone, again])
    assert vault.fetched == 1
    vault.delete(alone)
    assert incident_numbers(again, index, vault, keys) == [again]


def test_a_listing_recorded_over_a_lost_segment_is_not_trusted(vault, index, private_key, tmp_path):
    """Two lists racing for a segment's place: the one that lost may have added the
    reports a later segment's listing counts on. The listing names the writes it was
    made over, so show lists the vault itself and finds the follow-up."""
    keys = {KEY_ID: private_key}
    index.segment_share = 0  # segments however large, as at 10,000 reports
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    racing = SealedIndex(tmp_path / "racing" / index.path.name, index.keys)
    racing.path.parent.mkdir()
    racing.path.write_bytes(index.path.read_bytes())  # another writer read the base alone
    later = store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    listed(index, vault, keys)  # segment 1: the follow-up
    store(vault, private_key, "2026-11-03T10:00:00Z")
    listed(index, vault, keys)  # segment 2, and the listing, over segment 1
    assert files_of(index) == ["vault.sealed", "vault.sealed.1", "vault.sealed.2"]
    assert racing.raw("links") is not None
    racing.append({}, {}, {})  # the other writer's segment 1, without the follow-up…
    os.replace(racing.segment_path(1), index.segment_path(1))  # …renamed in last
    again = SealedIndex(index.path, index.keys)
    assert later not in again.links().numbers
    assert incident_numbers(first, again, vault, keys) == sorted([first, later])


def test_show_follows_an_incident_of_many_reports(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    later = [
        store(vault, private_key, f"2026-11-02T10:{n:02}:00Z", follows=first) for n in range(70)
    ]
    store(vault, private_key, "2026-11-03T10:00:00Z")
    listed(index, vault, keys)
    vault.fetched = 0
    assert incident_numbers(later[-1], index, vault, keys) == sorted([first, *later])
    assert vault.fetched == 0


def test_show_without_an_index_builds_it(vault, index, private_key):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    later = store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    store(vault, private_key, "2026-11-03T10:00:00Z")
    assert incident_numbers(later, index, vault, keys) == sorted([first, later])
    assert index.links().numbers == set(vault.numbers())


def test_reports_the_vault_no_longer_holds_are_forgotten(vault, index, private_key):
    keys = {KEY_ID: private_key}
    gone = store(vault, private_key, "2026-11-01T10:00:00Z")
    kept = store(vault, private_key, "2026-11-02T10:00:00Z")
    listed(index, vault, keys)
    vault.delete(gone)
    assert [incident["numbers"] for incident in listed(index, vault, keys)] == [[kept]]
    assert index.links().numbers == {kept}


@pytest.mark.parametrize("damage", ["missing", "corrupt", "other key ring"])
def test_an_index_that_cannot_be_trusted_is_rebuilt(vault, index, private_key, damage, tmp_path):
    keys = {KEY_ID: private_key}
    number = store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    if damage == "missing":
        index.path.unlink()
    elif damage == "corrupt":
        data = bytearray(index.path.read_bytes())
        data[-5] ^= 1
        index.path.write_bytes(bytes(data))
    else:
        index = SealedIndex(index.path, {"case-other": nacl.utils.random(32)})
    vault.fetched = 0
    assert [incident["numbers"] for incident in listed(index, vault, keys)] == [[number]]
    assert vault.fetched == 1
    assert index.entries() is not None


def test_an_index_sealed_with_an_older_case_key_is_resealed(vault, index, private_key):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    rotated = SealedIndex(index.path, {**index.keys, "case-two": nacl.utils.random(32)})
    vault.fetched = 0
    incidents = listed(rotated, vault, keys)
    assert vault.fetched == 0
    assert incidents == summaries(open_vault(vault, keys))
    header = json.loads(index.path.read_bytes().split(b"\n", 1)[0])
    assert header["key_id"] == "case-two"


def test_an_unreadable_report_is_not_indexed_and_tried_again(vault, index, private_key):
    keys = {KEY_ID: private_key}
    other = PrivateKey.generate()
    number = store(vault, other, "2026-11-01T10:00:00Z")
    listing = list_incidents(index, vault, keys)
    assert [report.report_number for report in listing.unreadable] == [number]
    assert listing.incidents[0]["problem"]
    assert number not in index.links().numbers
    listing = list_incidents(index, vault, {KEY_ID: other})
    assert not listing.unreadable and listing.incidents[0]["problem"] is None
    assert number in index.links().numbers


def test_nothing_plaintext_is_written(vault, index, private_key, tmp_path):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z", incident_date="2026-10-31")
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    listed(index, vault, keys)
    written = [path for path in (tmp_path / "data").rglob("*") if path.is_file()]
    assert written == [index.path]
    assert stat.S_IMODE(index.path.stat().st_mode) == 0o600
    data = index.path.read_bytes()
    for secret in (STORY, CANARY_PHONE, "Leeds", "robbery", "2026-10-31", first):
        assert secret.encode() not in data


def test_free_text_is_never_indexed(vault, index, private_key):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
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
    vault.fetched = 0
    assert incident_numbers(later, index, vault, keys) == sorted([numbers[2], later])
    assert vault.fetched == 0  # the links said which reports; show opens only those


@pytest.mark.parametrize("older", [f"uglymugs.report-index/{n}" for n in (1, 2, 3)])
def test_an_index_of_an_older_format_is_rebuilt(vault, index, private_key, older):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    header = {"schema": older, "key_id": "case-one", "links": 0, "entries": 0, "incidents": 0}
    index.path.parent.mkdir(parents=True)
    index.path.write_bytes(json.dumps(header).encode() + b"\n")
    vault.fetched = 0
    incidents = listed(index, vault, keys)
    assert vault.fetched == 1
    assert incidents == summaries(open_vault(vault, keys))
    written = json.loads(index.path.read_bytes().split(b"\n", 1)[0])
    assert written["schema"] == SCHEMA


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


def files_of(index):
    return sorted(path.name for path in index.path.parent.iterdir())


def rebuilt(vault, keys, tmp_path):
    """The list a fresh index, built from the whole vault, gives."""
    fresh = SealedIndex(tmp_path / "rebuilt" / "vault.sealed", {"case-x": nacl.utils.random(32)})
    return listed(fresh, vault, keys)


def test_new_reports_go_in_a_segment_and_the_base_is_left_alone(vault, index, private_key):
    keys = {KEY_ID: private_key}
    numbers = [store(vault, private_key, f"2026-11-0{n}T10:00:00Z") for n in range(1, 9)]
    listed(index, vault, keys)
    base = index.path.stat()
    later = store(vault, private_key, "2026-11-09T10:00:00Z", follows=numbers[2])
    vault.fetched = 0
    incidents = listed(index, vault, keys)
    assert vault.fetched == 1
    assert (index.path.stat().st_ino, index.path.stat().st_mtime_ns) == (
        base.st_ino,
        base.st_mtime_ns,
    )
    assert files_of(index) == ["vault.sealed", "vault.sealed.1"]
    assert incidents == summaries(open_vault(vault, keys))
    again = SealedIndex(index.path, index.keys)  # another run reads base and segment
    vault.fetched = 0
    assert listed(again, vault, keys) == incidents
    assert vault.fetched == 0
    assert later in again.links().numbers and again.links().follows[later] == numbers[2]
    assert set(again.entries()) == {*numbers, later}
    assert incident_numbers(later, again, vault, keys) == sorted([numbers[2], later])
    segment = index.segment_path(1).read_bytes()
    for secret in (STORY, CANARY_PHONE, "Leeds", "robbery", later):
        assert secret.encode() not in segment
    assert stat.S_IMODE(index.segment_path(1).stat().st_mode) == 0o600


def test_an_index_with_segments_lists_what_a_fresh_rebuild_lists(
    vault, index, private_key, tmp_path
):
    keys = {KEY_ID: private_key}
    index.segment_share = 0  # keep adding segments: compacted only past most_segments
    index.most_segments = 4
    other = PrivateKey.generate()
    both = {KEY_ID: private_key, "report-other": other}
    first = store(vault, private_key, "2026-11-01T10:00:00Z", consent_alert="no")
    listed(index, vault, keys)
    original = new_report_number()  # its follow-up arrives first
    rounds = [
        lambda: store(vault, private_key, "2026-11-02T10:00:00Z", follows=first),
        lambda: store(vault, private_key, "2026-11-03T10:00:00Z", follows=original),
        lambda: store(vault, private_key, "2026-11-01T09:00:00Z", number=original),
        lambda: store(vault, other, "2026-11-04T10:00:00Z", key_id="report-other"),
        lambda: store(vault, private_key, "2026-11-05T10:00:00Z", consent_alert="yes"),
        lambda: store(vault, private_key, "2026-11-06T10:00:00Z", follows=first),
    ]
    seen_segments = 0
    for arrive in rounds:
        arrive()
        assert listed(index, vault, keys) == rebuilt(vault, keys, tmp_path)
        assert listed(index, vault, keys) == summaries(open_vault(vault, keys))
        seen_segments = max(seen_segments, index.segments)
    assert seen_segments == 4  # segments were read, and then compacted
    assert listed(index, vault, both) == summaries(open_vault(vault, both))
    assert listed(index, vault, both) == rebuilt(vault, both, tmp_path)
    assert listed(SealedIndex(index.path, index.keys), vault, both) == rebuilt(
        vault, both, tmp_path
    )


def test_segments_are_folded_into_the_base(vault, index, private_key):
    keys = {KEY_ID: private_key}
    index.segment_share, index.most_segments = 0, 2
    for day in range(1, 6):
        store(vault, private_key, f"2026-11-0{day}T10:00:00Z")
        listed(index, vault, keys)
    # base, +1, +2, then the fourth write folds both into a new base, then +1 again
    assert files_of(index) == ["vault.sealed", "vault.sealed.1"]
    vault.fetched = 0
    incidents = listed(SealedIndex(index.path, index.keys), vault, keys)
    assert vault.fetched == 0
    assert incidents == summaries(open_vault(vault, keys))


class Crash(Exception):
    """A write stopped where a crash (or a power cut) would stop it."""


def crash_at(step, nth=1):
    seen = []

    def on_step(name):
        seen.append(name)
        if seen.count(step) == nth and name == step:
            raise Crash(name)

    return on_step


@pytest.mark.parametrize(
    ("step", "nth"),
    [("segment", 1), ("base", 1), ("segment removed", 1), ("segment removed", 2)],
)
def test_a_write_stopped_at_any_step_leaves_an_index_that_lists_right(
    vault, index, private_key, tmp_path, step, nth
):
    """Each write is a whole file renamed into place after an fsync: stopping after any
    of them leaves an index that reads as before or after, never a wrong list."""
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    index.segment_share, index.most_segments = 0, 2
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    listed(index, vault, keys)  # segment 1
    store(vault, private_key, "2026-11-03T10:00:00Z")
    listed(index, vault, keys)  # segment 2
    store(vault, private_key, "2026-11-04T10:00:00Z", follows=first)
    if step == "segment":
        index.most_segments = 16  # the next write adds segment 3
    crashing = SealedIndex(index.path, index.keys, on_step=crash_at(step, nth))
    crashing.segment_share, crashing.most_segments = 0, index.most_segments
    with pytest.raises(Crash):
        listed(crashing, vault, keys)
    expected = summaries(open_vault(vault, keys))
    after = SealedIndex(index.path, index.keys)
    vault.fetched = 0
    assert listed(after, vault, keys) == expected
    assert vault.fetched <= 1  # at most the report whose write was cut is opened again
    assert listed(after, vault, keys) == rebuilt(vault, keys, tmp_path)
    store(vault, private_key, "2026-11-05T10:00:00Z", follows=first)
    assert listed(after, vault, keys) == summaries(open_vault(vault, keys))
    assert listed(SealedIndex(index.path, index.keys), vault, keys) == rebuilt(
        vault, keys, tmp_path
    )


def test_segments_left_by_an_earlier_base_are_ignored_then_replaced(vault, index, private_key):
    keys = {KEY_ID: private_key}
    index.segment_share = 0
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    for day in (2, 3):
        store(vault, private_key, f"2026-11-0{day}T10:00:00Z", follows=first)
        listed(index, vault, keys)
    left = {place: index.segment_path(place).read_bytes() for place in (1, 2)}
    index.write(open_vault(vault, keys))  # rewrites the base, removes the segments…
    store(vault, private_key, "2026-11-04T10:00:00Z")
    listed(index, vault, keys)  # …and adds segment 1 of the new base
    index.segment_path(2).write_bytes(left[2])  # as if a crash had left it
    vault.fetched = 0
    again = SealedIndex(index.path, index.keys)
    again.segment_share = 0
    incidents = listed(again, vault, keys)
    assert (vault.fetched, again.segments) == (0, 1)
    assert incidents == summaries(open_vault(vault, keys))
    store(vault, private_key, "2026-11-05T10:00:00Z", follows=first)
    assert listed(again, vault, keys) == summaries(open_vault(vault, keys))
    assert listed(SealedIndex(index.path, index.keys), vault, keys) == summaries(
        open_vault(vault, keys)
    )
    index.segment_path(1).write_bytes(left[1])  # one of the old base's, in place of the new
    vault.fetched = 0
    incidents = listed(SealedIndex(index.path, index.keys), vault, keys)
    assert vault.fetched == 2  # the reports the lost segments held are opened again
    assert incidents == summaries(open_vault(vault, keys))


@pytest.mark.parametrize("damage", ["truncated", "flipped", "header swapped"])
def test_a_damaged_segment_means_a_rebuild(vault, index, private_key, tmp_path, damage):
    keys = {KEY_ID: private_key}
    first = store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    store(vault, private_key, "2026-11-02T10:00:00Z", follows=first)
    listed(index, vault, keys)
    path = index.segment_path(1)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[:-7])
    elif damage == "flipped":
        path.write_bytes(data[:-5] + bytes([data[-5] ^ 1]) + data[-4:])
    else:  # a segment of this base claiming another place than its sealed links say
        header, rest = data.split(b"\n", 1)
        moved = json.loads(header)
        moved["place"] = 2
        path.with_name(path.name[:-1] + "2").write_bytes(json.dumps(moved).encode() + b"\n" + rest)
        store(vault, private_key, "2026-11-03T10:00:00Z")
    vault.fetched = 0
    incidents = listed(SealedIndex(index.path, index.keys), vault, keys)
    assert vault.fetched == 3 if damage == "header swapped" else 2  # rebuilt from the vault
    assert incidents == rebuilt(vault, keys, tmp_path)
    assert files_of(index) == ["vault.sealed"]


def test_temporary_files_a_crash_left_are_ignored_and_cleared(vault, index, private_key):
    keys = {KEY_ID: private_key}
    store(vault, private_key, "2026-11-01T10:00:00Z")
    listed(index, vault, keys)
    folder = index.path.parent
    old = folder / ".tmp-0123456789abcdef-vault.sealed.1"
    young = folder / ".tmp-fedcba9876543210-vault.sealed"
    for path in (old, young):
        path.write_bytes(b'{"schema": "half wr')
    os.utime(old, (1, 1))
    store(vault, private_key, "2026-11-02T10:00:00Z")
    assert listed(index, vault, keys) == summaries(open_vault(vault, keys))
    index.write(open_vault(vault, keys))  # a whole rewrite clears what a crash left long ago
    assert young.exists() and not old.exists()


def test_what_the_console_adds_reads_as_a_full_write(vault, index, private_key, tmp_path):
    """The staff console adds a segment from the reports and incidents it holds: an
    original arriving after its follow-up makes the follow-up's own incident go."""
    keys = {KEY_ID: private_key}
    index.segment_share = 0
    first = store(vault, private_key, "2026-11-01T10:00:00Z", consent_alert="no")
    original = new_report_number()
    store(vault, private_key, "2026-11-03T10:00:00Z", follows=original)

    def console_adds():
        reports = {r.report_number: r for r in open_vault(vault, keys)}
        index.add(reports, {s["number"]: s for s in summaries(reports.values())})

    console_adds()  # no index yet: written whole
    base = index.path.stat().st_mtime_ns
    store(vault, private_key, "2026-11-04T10:00:00Z", follows=first, consent_alert="yes")
    store(vault, private_key, "2026-11-01T09:00:00Z", number=original)
    console_adds()
    assert index.path.stat().st_mtime_ns == base and index.segments == 1
    full = SealedIndex(tmp_path / "full.sealed", index.keys)
    full.write(open_vault(vault, keys))
    assert SealedIndex(index.path, index.keys).read(*PARTS) == full.read(*PARTS)
    vault.fetched = 0
    incidents = listed(SealedIndex(index.path, index.keys), vault, keys)
    assert vault.fetched == 0
    assert incidents == summaries(open_vault(vault, keys))
    vault.delete(original)  # a report gone from the vault: written whole again
    console_adds()
    assert index.segments == 0 and files_of(index) == ["vault.sealed"]
    assert index.read(*PARTS)["incidents"] == {
        s["number"]: s for s in summaries(open_vault(vault, keys))
    }
