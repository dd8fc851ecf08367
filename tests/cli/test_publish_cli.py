"""``uglymugs publish`` as CI and staff run it."""

import json
import shutil

import pytest

from tests.conftest import AWS_REGION
from uglymugs.alerts.manifest import read_published
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.alerts.shelf.s3 import S3BundleShelf
from uglymugs.alerts.signing import verify_keys_for
from uglymugs.cli import main
from uglymugs.config import repository_root
from uglymugs.crypto import TEST_KDF, create_keys, load_public_keys

PASSPHRASE = "a long passphrase for tests"
BUCKET = "uglymugs-cli-bundles"

pytest.importorskip("uglymugs.alerts.check")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("UGLYMUGS_BUNDLE_BUCKET", raising=False)
    monkeypatch.delenv("UGLYMUGS_BUNDLE_KMS_KEY_ID", raising=False)
    create_keys(data / "keys", PASSPHRASE, kdf=TEST_KDF)
    return data


@pytest.fixture
def alerts_dir(tmp_path):
    """A copy of the checkout's alert files, so a test may add a broken one."""
    alerts = tmp_path / "alerts"
    shutil.copytree(repository_root() / "site" / "alerts", alerts)
    if not any(alerts.glob("*.md")):
        pytest.skip("no alert files in site/alerts yet")
    return alerts


def published(data_dir):
    keys = verify_keys_for(load_public_keys(data_dir / "keys"))
    return read_published(LocalBundleShelf(data_dir / "shelf"), keys)


def test_publish_builds_the_site_then_publishes_once(data_dir, alerts_dir, capsys):
    assert main(["publish", "--alerts", str(alerts_dir)]) == 0
    out = capsys.readouterr()
    assert "Built the public site in" in out.out
    assert "Published sequence 1" in out.out
    assert (data_dir / "site" / "keys.json").exists()
    result = published(data_dir)
    assert result.manifest.sequence == 1
    changes = json.loads(result.files[result.manifest.changes])
    for alert in changes["new"]:
        assert alert["number"] in out.out
    assert PASSPHRASE not in out.out + out.err

    assert main(["publish", "--alerts", str(alerts_dir), "--no-site"]) == 0
    out = capsys.readouterr().out
    assert "Nothing new: sequence 1 is still current" in out
    assert "Built the public site" not in out
    assert published(data_dir).manifest.sequence == 1


def test_a_publish_is_audited_once_with_the_alerts_it_changed(data_dir, alerts_dir, capsys):
    from uglymugs.audit.log.sqlite import SQLiteAuditLog

    assert main(["publish", "--alerts", str(alerts_dir), "--no-site", "--no-notify"]) == 0
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site", "--no-notify"]) == 0
    entries = [e for e in SQLiteAuditLog(data_dir / "state.sqlite3").entries()]
    assert [(e.action, e.detail) for e in entries] == [("publish", "sequence 1")]
    result = published(data_dir)
    changes = json.loads(result.files[result.manifest.changes])
    changed = {
        alert["number"] for kind in changes.values() if isinstance(kind, list) for alert in kind
    }
    assert set(entries[0].targets) == changed and changed


def test_problems_are_listed_and_nothing_is_published(data_dir, alerts_dir, capsys):
    good = sorted(alerts_dir.glob("*.md"))[0].read_text(encoding="utf-8")
    region_line = next(line for line in good.splitlines() if line.startswith("region:"))
    broken = good.replace(region_line, "region: atlantis")
    (alerts_dir / sorted(alerts_dir.glob("*.md"))[0].name).write_text(broken, encoding="utf-8")
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site"]) == 1
    captured = capsys.readouterr()
    problem, verdict = captured.err.splitlines()
    assert "[unknown-region]" in problem and "atlantis" in problem
    assert verdict.startswith("uglymugs: ") and "nothing was published" in verdict
    assert not (data_dir / "shelf").exists()


def test_a_wrong_passphrase_publishes_nothing(data_dir, alerts_dir, monkeypatch, capsys):
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "not the passphrase")
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site"]) == 1
    assert "wrong passphrase" in capsys.readouterr().err
    assert not (data_dir / "shelf").exists()


def test_the_aws_target_needs_a_bucket(data_dir, alerts_dir, capsys):
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site", "--target", "aws"]) == 1
    assert "UGLYMUGS_BUNDLE_BUCKET" in capsys.readouterr().err


def test_the_aws_target_writes_to_the_bucket(data_dir, alerts_dir, mocked_aws, monkeypatch, capsys):
    import boto3

    boto3.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": AWS_REGION}
    )
    monkeypatch.setenv("UGLYMUGS_BUNDLE_BUCKET", BUCKET)
    monkeypatch.delenv("UGLYMUGS_NOTIFY_FUNCTION", raising=False)
    command = ["publish", "--alerts", str(alerts_dir), "--no-site", "--target", "aws"]
    assert main([*command, "--no-notify"]) == 0
    assert "Published sequence 1" in capsys.readouterr().out
    keys = verify_keys_for(load_public_keys(data_dir / "keys"))
    assert read_published(S3BundleShelf(BUCKET), keys).manifest.sequence == 1
    assert not (data_dir / "shelf").exists()
