"""Publishing: idempotent, detects what changed, switches atomically, leaks nothing."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey

from tests.alerts.bundle_records import record, some_records
from uglymugs.alerts.bundles import AlertRecord
from uglymugs.alerts.changes import AlertVersion, detect_changes
from uglymugs.alerts.manifest import ManifestError, read_published, verify_manifest
from uglymugs.alerts.publish import KEEP_SEQUENCES, publish_records, records_from_check
from uglymugs.alerts.signing import verify_bundle, verify_detached
from uglymugs.config import Settings, repository_root
from uglymugs.crypto import TEST_KDF, create_keys, unlock_bundle_key
from uglymugs.publishing import PublishBlockedError, publish

KEY_ID = "bundle-publish1"
KEY = SigningKey(b"\x02" * 32)
VERIFY_KEYS = {KEY_ID: bytes(KEY.verify_key)}
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def publish_to(shelf, records, *, today=TODAY, now=NOW):
    return publish_records(
        records, shelf=shelf, signing_key=KEY, key_id=KEY_ID, today=today, now=now
    )


def snapshot(shelf) -> dict[str, bytes | None]:
    return {name: shelf.get(name) for name in shelf.names()} | {"": shelf.get_manifest()}


def bundle_numbers(shelf, name="alerts-all.json") -> list[str]:
    published = read_published(shelf, VERIFY_KEYS)
    data = published.files[published.manifest.prefix + name]
    return [alert["number"] for alert in json.loads(data)["alerts"]]


def test_first_publish_writes_signed_bundles_and_a_manifest(bundle_shelf):
    result = publish_to(bundle_shelf, some_records())
    assert result.published and result.sequence == 1 and result.previous_sequence is None
    assert result.changes.new == ("2026-0001", "2026-0002", "2026-0003")
    assert result.current_alerts == 3
    published = read_published(bundle_shelf, VERIFY_KEYS)
    assert published.manifest.sequence == 1
    assert set(published.files) == set(result.files)
    for name, data in published.files.items():
        if name.endswith(".json") and "/alerts-" in name:
            verified = verify_bundle(data, published.files[name + ".sig"], VERIFY_KEYS)
            assert verified.sequence == 1


def test_publishing_the_same_alerts_again_does_nothing(bundle_shelf):
    publish_to(bundle_shelf, some_records())
    before = snapshot(bundle_shelf)
    again = publish_to(bundle_shelf, list(reversed(some_records())), now=NOW + timedelta(hours=1))
    assert not again.published
    assert again.sequence is None and again.previous_sequence == 1
    assert not again.changes and again.files == ()
    assert snapshot(bundle_shelf) == before


def test_new_corrected_and_withdrawn_are_detected_and_recorded_for_notify(bundle_shelf):
    publish_to(bundle_shelf, some_records())
    later = [
        record("2026-0001", text="Corrected: it happened on Tuesday."),
        record("2026-0002", region="west-yorkshire", status="corrected"),
        record("2026-0003", region="merseyside", status="withdrawn"),
        record("2026-0004", status="withdrawn"),
        record("2026-0005", region="kent"),
    ]
    result = publish_to(bundle_shelf, later, now=NOW + timedelta(hours=1))
    assert result.sequence == 2 and result.previous_sequence == 1
    assert result.changes.new == ("2026-0005",)
    assert result.changes.corrected == ("2026-0001",)
    assert result.changes.withdrawn == ("2026-0003",)
    assert result.changes.expired == ()
    assert bundle_numbers(bundle_shelf) == ["2026-0001", "2026-0002", "2026-0005"]

    record_bytes = bundle_shelf.get("changes/seq-000002.json")
    assert verify_detached(
        record_bytes, bundle_shelf.get("changes/seq-000002.json.sig"), VERIFY_KEYS
    )
    changes = json.loads(record_bytes)
    assert changes["sequence"] == 2 and changes["previous_sequence"] == 1
    assert [alert["number"] for alert in changes["new"]] == ["2026-0005"]
    assert changes["corrected"][0]["what_happened"] == "Corrected: it happened on Tuesday."
    [withdrawn] = changes["withdrawn"]
    assert withdrawn["number"] == "2026-0003" and withdrawn["region"] == "merseyside"
    assert withdrawn["version"] == next(r.digest for r in later if r.number == "2026-0003")
    assert changes["changed_fields"] == {"2026-0001": ["what_happened"]}
    manifest = read_published(bundle_shelf, VERIFY_KEYS).manifest
    assert manifest.changes == "changes/seq-000002.json"


def test_a_status_change_to_corrected_is_a_correction():
    before = {"A": AlertVersion("published", "d1", "kent", True)}
    now = {"A": AlertVersion("corrected", "d1", "kent", True)}
    assert detect_changes(before, now).corrected == ("A",)


def test_alerts_withdrawn_before_they_were_ever_published_are_not_news():
    changes = detect_changes({}, {"A": AlertVersion("withdrawn", "d", "kent", False)})
    assert not changes


def test_an_alert_whose_file_is_gone_is_withdrawn():
    before = {"A": AlertVersion("published", "d", "kent", True)}
    assert detect_changes(before, {}).withdrawn == ("A",)
    assert not detect_changes({"A": AlertVersion("withdrawn", "d", "kent", False)}, {})


def test_an_alert_that_comes_back_is_new_again():
    before = {"A": AlertVersion("withdrawn", "d1", "kent", False)}
    assert detect_changes(before, {"A": AlertVersion("published", "d2", "kent", True)}).new == (
        "A",
    )


def test_expired_alerts_leave_the_bundles_without_being_announced(bundle_shelf):
    records = [record("2026-0001", expires=TODAY), record("2026-0002")]
    publish_to(bundle_shelf, records)
    assert bundle_numbers(bundle_shelf) == ["2026-0001", "2026-0002"]
    assert not publish_to(bundle_shelf, records).published  # still today: nothing new
    tomorrow = publish_to(bundle_shelf, records, today=TODAY + timedelta(days=1))
    assert tomorrow.sequence == 2
    assert tomorrow.changes.expired == ("2026-0001",) and tomorrow.changes.to_notify == 0
    assert bundle_numbers(bundle_shelf) == ["2026-0002"]
    assert not any(b"2026-0001" in bundle_shelf.get(name) for name in tomorrow.files[:-3])


def test_old_sequences_are_pruned_but_change_records_are_kept(local_bundle_shelf):
    for index in range(6):
        result = publish_to(local_bundle_shelf, [record(f"2026-{index:04d}")])
    assert result.sequence == 6 and result.pruned == (3,)
    prefixes = {name.split("/")[0] for name in local_bundle_shelf.names("seq-")}
    assert prefixes == {f"seq-{n:06d}" for n in range(7 - KEEP_SEQUENCES, 7)}
    assert len(local_bundle_shelf.names("changes/")) == 12


def test_an_interrupted_publish_is_skipped_and_never_read(local_bundle_shelf):
    publish_to(local_bundle_shelf, some_records())
    # A publish that died after writing a file of sequence 2, before the switch.
    local_bundle_shelf.put("seq-000002/alerts-all.json", b"half a publish")
    assert read_published(local_bundle_shelf, VERIFY_KEYS).manifest.sequence == 1
    result = publish_to(local_bundle_shelf, [*some_records(), record("2026-0009")])
    assert (result.sequence, result.previous_sequence) == (3, 1)
    assert result.changes.new == ("2026-0009",)


def test_a_tampered_manifest_stops_the_next_publish(local_bundle_shelf):
    publish_to(local_bundle_shelf, some_records())
    manifest = local_bundle_shelf.root / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"sequence":1', b'"sequence":9'))
    with pytest.raises(ManifestError, match="bad signature"):
        publish_to(local_bundle_shelf, [record("2026-0009")])


def test_a_tampered_file_is_refused_by_readers(local_bundle_shelf):
    publish_to(local_bundle_shelf, some_records())
    path = local_bundle_shelf.root / "seq-000001" / "alerts-all.json"
    path.chmod(0o600)
    path.write_bytes(path.read_bytes().replace(b"violent", b"VIOLENT"))
    with pytest.raises(ManifestError, match="digest mismatch"):
        read_published(local_bundle_shelf, VERIFY_KEYS)


# A reader during publishes.


@dataclass
class Reader:
    """Loops: read the manifest, every file it names, verify all; records what it saw."""

    shelf: Any
    stop: threading.Event = field(default_factory=threading.Event)
    seen: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                published = read_published(self.shelf, VERIFY_KEYS)
                if published is not None:
                    self.check(published)
            except Exception as error:  # every failure is a finding
                self.problems.append(f"{type(error).__name__}: {error}")

    def check(self, published) -> None:
        manifest = published.manifest
        numbers = None
        for name, data in published.files.items():
            if name.startswith("seq-") and not name.startswith(manifest.prefix):
                self.problems.append(f"{name} is not of sequence {manifest.sequence}")
            if name.endswith(".json") and "/alerts-" in name:
                bundle = verify_bundle(data, published.files[name + ".sig"], VERIFY_KEYS)
                if bundle.sequence != manifest.sequence:
                    self.problems.append(f"{name} is of sequence {bundle.sequence}")
                if name.endswith("/alerts-all.json"):
                    numbers = [alert["number"] for alert in bundle.alerts]
        # publish n has exactly the alerts 2026-0000 … 2026-(n-1)
        if numbers != [f"2026-{n:04d}" for n in range(manifest.sequence)]:
            self.problems.append(f"sequence {manifest.sequence} holds {numbers}")
        self.seen.append(manifest.sequence)


def test_a_reader_during_publishes_always_sees_one_whole_verified_set(bundle_shelf):
    publishes = 8
    reader = Reader(bundle_shelf)
    thread = threading.Thread(target=reader.run, daemon=True)
    publish_to(bundle_shelf, [record("2026-0000")])
    thread.start()

    def until_reader_has_seen(sequence: int) -> None:
        """Let the reader see ``sequence`` before the next publish starts under it."""
        deadline = datetime.now(UTC) + timedelta(seconds=20)
        while sequence not in reader.seen and datetime.now(UTC) < deadline:
            threading.Event().wait(0.001)

    try:
        until_reader_has_seen(1)
        for sequence in range(2, publishes + 1):
            records = [record(f"2026-{n:04d}", region=f"r{n % 5}") for n in range(sequence)]
            assert publish_to(bundle_shelf, records).sequence == sequence
            until_reader_has_seen(sequence)
    finally:
        reader.stop.set()
        thread.join(timeout=30)
    assert reader.problems == []
    assert set(reader.seen) == set(range(1, publishes + 1))
    assert reader.seen == sorted(reader.seen)  # never back to an older set


# publish(): the check, the site, the canary.

CANARY = "canary-0c7e5a-he-called-himself-Barnaby-Quillfeather"


@dataclass
class FakeProblem:
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


@dataclass
class FakeAlert:
    """What the alert check hands over, per the contract: enough for the adapter."""

    source: AlertRecord

    number = property(lambda self: self.source.number)
    status = property(lambda self: self.source.status)
    region = property(lambda self: self.source.region)
    expires = property(lambda self: self.source.expires)

    def version_digest(self) -> str:
        return self.source.digest

    def bundle_record(self) -> dict:
        return dict(self.source.data)


@dataclass
class FakeChecked:
    alert: FakeAlert


@dataclass
class FakeCheckResult:
    alerts: list[FakeChecked]
    problems: list[Any] = field(default_factory=list)


def fake_check(records, problems=()):
    calls = []

    def check(alerts_dir: Path, *, today: date) -> FakeCheckResult:
        calls.append((alerts_dir, today))
        checked = [FakeChecked(FakeAlert(r)) for r in records]
        return FakeCheckResult(checked, list(problems))

    check.calls = calls
    return check


@pytest.fixture
def settings(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    create_keys(settings.keys_dir, "publish tests", kdf=TEST_KDF)
    return settings


def test_records_from_check_uses_only_the_contract():
    records = some_records()
    result = FakeCheckResult([FakeChecked(FakeAlert(r)) for r in records])
    assert records_from_check(result) == records


def test_problems_stop_the_publish_before_anything_is_written(settings, local_bundle_shelf):
    check = fake_check(some_records(), [FakeProblem("region 'atlantis' does not exist")])
    with pytest.raises(PublishBlockedError) as blocked:
        publish(
            settings,
            alerts_dir=Path("alerts"),
            shelf=local_bundle_shelf,
            signing_key=KEY,
            key_id=KEY_ID,
            today=TODAY,
            now=NOW,
            check=check,
        )
    assert [str(p) for p in blocked.value.problems] == ["error: region 'atlantis' does not exist"]
    assert check.calls == [(Path("alerts"), TODAY)]
    assert local_bundle_shelf.get_manifest() is None and local_bundle_shelf.names() == []
    assert not settings.site_output.exists()


def test_a_check_that_says_ok_publishes_despite_accepted_warnings(settings, local_bundle_shelf):
    check = fake_check(some_records(), [FakeProblem("a name? accepted", "warning")])

    def ok_check(alerts_dir, *, today):
        result = check(alerts_dir, today=today)
        result.ok = True
        return result

    result = publish(
        settings,
        alerts_dir=Path("alerts"),
        shelf=local_bundle_shelf,
        signing_key=KEY,
        key_id=KEY_ID,
        today=TODAY,
        now=NOW,
        check=ok_check,
        build_public_site=False,
    )
    assert result.sequence == 1 and len(result.warnings) == 1 and result.site_output is None


def test_alert_text_reaches_the_private_bundles_and_never_the_public_site(
    settings, local_bundle_shelf, tmp_path
):
    # The site is built from a copy of site/ whose alerts folder holds the canary too,
    # where a careless Pelican setting or plugin could pick it up.
    site_dir = tmp_path / "site"
    shutil.copytree(
        repository_root() / "site",
        site_dir,
        ignore=shutil.ignore_patterns("dist", "output", "__pycache__"),
    )
    (tmp_path / "node_modules").symlink_to(repository_root() / "node_modules")  # for esbuild
    shutil.copytree(repository_root() / "support", tmp_path / "support")  # site/'s sibling
    (site_dir / "alerts" / "2026-0777.md").write_text(f"---\nnumber: 2026-0777\n---\n{CANARY}\n")
    canary_record = record(
        "2026-0777", text=f"He said {CANARY}.", offender={"marks": CANARY}, area=CANARY
    )
    result = publish(
        settings,
        alerts_dir=site_dir / "alerts",
        shelf=local_bundle_shelf,
        signing_key=unlock_bundle_key(settings.keys_dir, "publish tests"),
        key_id=KEY_ID,
        today=TODAY,
        now=NOW,
        check=fake_check([*some_records(), canary_record]),
        site_dir=site_dir,
    )
    site_files = [path for path in result.site_output.rglob("*") if path.is_file()]
    assert len(site_files) > 5
    needles = (CANARY.encode(), CANARY.encode("utf-16-le"), CANARY.lower().encode())
    for path in site_files:
        data = path.read_bytes()
        assert not any(needle in data for needle in needles), path
        assert CANARY not in str(path)
    on_shelf = [local_bundle_shelf.get(name) for name in result.files]
    assert sum(CANARY.encode() in data for data in on_shelf) >= 4  # json + html, all + region


def test_publish_with_the_real_check_and_the_checkout_alerts(settings, local_bundle_shelf):
    """End to end with the alert files in site/alerts (whatever they are today)."""
    pytest.importorskip("uglymugs.alerts.check")
    alerts_dir = repository_root() / "site" / "alerts"
    if not any(alerts_dir.glob("*.md")):
        pytest.skip("no alert files in site/alerts yet")
    key = unlock_bundle_key(settings.keys_dir, "publish tests")
    arguments = {
        "alerts_dir": alerts_dir,
        "shelf": local_bundle_shelf,
        "signing_key": key,
        "key_id": KEY_ID,
        "today": TODAY,
        "now": NOW,
        "build_public_site": False,
    }
    first = publish(settings, **arguments)
    assert first.sequence == 1 and first.current_alerts == len(first.changes.new) > 0
    assert not publish(settings, **(arguments | {"now": NOW + timedelta(minutes=5)})).published
    manifest = verify_manifest(local_bundle_shelf.get_manifest(), {KEY_ID: bytes(key.verify_key)})
    assert manifest.sequence == 1
