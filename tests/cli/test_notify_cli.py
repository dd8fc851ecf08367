"""``uglymugs publish`` hands its changes to notify; ``uglymugs notify [status]``."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from rich.console import Console

from tests.conftest import AWS_REGION
from tests.notify.scenario import member
from uglymugs.cli import main
from uglymugs.cli.notify import say_progress
from uglymugs.cli.publish import invoke_notify_function
from uglymugs.config import repository_root
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.messaging.quota import SendingQuota
from uglymugs.messaging.texter.outbox import OutboxTexter
from uglymugs.notify.ledger import ChannelCounts, Held

PASSPHRASE = "a long passphrase for tests"
BUCKET = "uglymugs-cli-notify-bundles"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    for name in (
        "UGLYMUGS_BUNDLE_BUCKET",
        "UGLYMUGS_BUNDLE_VERIFY_KEYS",
        "UGLYMUGS_MAIL_FROM",
        "UGLYMUGS_SMS_SENDER",
        "UGLYMUGS_MEMBERS_TABLE",
        "UGLYMUGS_NOTIFY_LEDGER_TABLE",
        "UGLYMUGS_NOTIFY_FUNCTION",
    ):
        monkeypatch.delenv(name, raising=False)
    create_keys(data / "keys", PASSPHRASE, kdf=TEST_KDF)
    directory = SQLiteMemberDirectory(data / "state.sqlite3")
    directory.add(member("North", regions=("northumbria",)))
    directory.add(member("Everywhere", channels=("email", "sms"), mobile="+447700900101"))
    directory.add(member("Quiet", channels=("sms",), mobile="+447700900102", discreet=True))
    directory.add(member("Kent", regions=("kent",)))
    return data


@pytest.fixture
def alerts_dir(tmp_path):
    alerts = tmp_path / "alerts"
    shutil.copytree(repository_root() / "site" / "alerts", alerts)
    return alerts


def outbox(data_dir):
    return OutboxMailer(data_dir / "outbox", notice=lambda line: None).messages()


def texts(data_dir):
    return OutboxTexter(data_dir / "outbox", notice=lambda line: None).messages()


def test_publish_notifies_in_process_and_notify_catches_up_on_nothing(data_dir, alerts_dir, capsys):
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site"]) == 0
    out = capsys.readouterr().out
    assert "Publications 1" in out
    subjects = {(str(m["To"]), str(m["Subject"])) for m in outbox(data_dir)}
    assert ("north@example.org", "Ugly Mugs alert 2026-0008: Northumbria, high risk") in subjects
    assert not any(to == "kent@example.org" and "2026-0008" in s for to, s in subjects)
    sms = dict(texts(data_dir))
    assert sms["+447700900102"] == "New safety alert — log in to read"
    count = len(outbox(data_dir))

    assert main(["notify"]) == 0
    assert "Nothing to send" in capsys.readouterr().out
    assert len(outbox(data_dir)) == count


def test_notify_status_counts_without_naming_anyone(data_dir, alerts_dir, capsys):
    main(["publish", "--alerts", str(alerts_dir), "--no-site"])
    capsys.readouterr()
    assert main(["notify", "status", "2026-0008"]) == 0
    out = capsys.readouterr().out
    assert "2026-0008" in out and "email" in out and "sms" in out
    for name in ("North", "Everywhere", "north@example.org", "+447700900101"):
        assert name not in out
    assert main(["notify", "status"]) == 0
    out = capsys.readouterr().out
    assert "2026-0008" in out
    assert "deliveries settled (100.0 %)." in out
    assert main(["notify", "status", "1999-0001"]) == 0
    assert "No notifications recorded for alert 1999-0001" in capsys.readouterr().out


def test_publish_to_aws_without_a_notify_function_says_members_were_not_told(
    data_dir, alerts_dir, mocked_aws, monkeypatch, capsys
):
    import boto3

    boto3.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": AWS_REGION}
    )
    monkeypatch.setenv("UGLYMUGS_BUNDLE_BUCKET", BUCKET)
    command = ["publish", "--alerts", str(alerts_dir), "--no-site", "--target", "aws"]
    assert main(command) == 1
    err = capsys.readouterr().err
    assert "published sequence 1, but members were NOT notified" in err
    assert "UGLYMUGS_NOTIFY_FUNCTION" in err


class RecordingLambda:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def invoke(self, **arguments) -> dict:
        self.calls.append(arguments)
        return {"StatusCode": 202}


def test_the_notify_function_is_invoked_asynchronously_with_the_sequence():
    client = RecordingLambda()
    invoke_notify_function("uglymugs-notify", 7, client=client)
    [call] = client.calls
    assert call["FunctionName"] == "uglymugs-notify" and call["InvocationType"] == "Event"
    assert json.loads(call["Payload"]) == {"sequence": 7}


class DeadRunError(BaseException):
    """The process of a run that died mid-batch: nothing catches it."""


class DyingMailer:
    """Dies at its first call, before the provider took anything: what it claimed stays held."""

    batch_limit = 1

    def send(self, *arguments) -> None:
        raise DeadRunError()

    def send_to_many(self, *arguments) -> None:
        raise DeadRunError()


def a_run_died(data_dir, minutes_ago: int) -> int:
    """Publish without notifying, then a notify run that died ``minutes_ago`` after
    claiming its first e-mails; return how many deliveries it holds."""
    from datetime import UTC, datetime, timedelta

    from uglymugs.cli.notify import services
    from uglymugs.config import Settings
    from uglymugs.notify.ledger import held_counts

    died_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    notify_services = replace(
        services(Settings.from_env()), mailer=DyingMailer(), clock=lambda: died_at
    )
    with pytest.raises(DeadRunError):
        notify_services.notifier(concurrency=1).catch_up(notify_services.feed)
    ledger = notify_services.ledger
    versions = {(plan.alert, plan.version) for plan in ledger.plans()}
    held = sum(
        (held_counts(ledger.deliveries(*version).values(), died_at) for version in versions),
        Held(),
    )
    assert held.count > 0 and not outbox(data_dir)
    return held.count


def test_notify_says_deliveries_held_by_a_live_run_and_exits_0(data_dir, alerts_dir, capsys):
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site", "--no-notify"]) == 0
    held = a_run_died(data_dir, minutes_ago=1)
    capsys.readouterr()
    assert main(["notify"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"{held} deliveries are held by other runs" in out and "held until" in out
    assert "within its time" in out


def test_a_crashed_runs_held_deliveries_fail_notify_until_taken_over(data_dir, alerts_dir, capsys):
    assert main(["publish", "--alerts", str(alerts_dir), "--no-site", "--no-notify"]) == 0
    held = a_run_died(data_dir, minutes_ago=10)
    capsys.readouterr()
    assert main(["notify"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert f"{held} deliveries are held by other runs" in out
    assert f"{held} of them are overdue" in out and "uglymugs notify --take-over" in out
    sent_before = len(outbox(data_dir))

    assert main(["notify", "status"]) == 0
    status = capsys.readouterr().out
    assert "Held" in status and f"{held} of them are overdue" in " ".join(status.split())
    for name in ("North", "Everywhere", "north@example.org", "+447700900101"):
        assert name not in status

    assert main(["notify", "--take-over"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Took over {held} deliveries" in out and "are held by" not in out
    messages = [(str(m["To"]), str(m["Subject"])) for m in outbox(data_dir)]
    assert len(messages) == sent_before + held and len(set(messages)) == len(messages)
    assert main(["notify"]) == 0
    assert "Nothing to send" in capsys.readouterr().out


class PacedServices:
    """What ``say_progress`` reads: SES at 14 a second, SMS at 10, a run's share 0.5."""

    rate_share = 0.5

    class mailer:
        @staticmethod
        def sending_quota():
            return SendingQuota(14.0, 1_000_000)

    class texter:
        @staticmethod
        def sending_quota():
            return SendingQuota(10.0)

    @staticmethod
    def clock():
        return datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def test_notify_status_says_what_is_left_at_what_pace_and_when_it_will_be_done():
    console = Console(record=True, width=200)
    counts = [
        ChannelCounts("2026-0008", "v", "new", "email", 70_000, 7_000, 0, 0, 63_000),
        ChannelCounts("2026-0008", "v", "new", "sms", 14_000, 0, 0, 0, 13_950, held=50),
    ]
    say_progress(console, counts, PacedServices, on_aws=True)
    out = " ".join(console.export_text().split())
    assert "Progress: 7,000 of 84,000 deliveries settled (8.3 %)." in out
    assert "e-mail 63,000 at 7.0 a second, SMS 14,000 at 5.0 a second" in out
    # 63,000 at 7 a second: 9,000 s; 15 minutes of runs send 13.5 minutes: 10,000 s.
    assert "expected to finish by 2026-11-29 11:46 UTC (runs every 15 minutes" in out
