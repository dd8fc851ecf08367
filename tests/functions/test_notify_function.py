"""The notify Lambda entry point, in-process against moto: publications out, feedback in."""

from __future__ import annotations

import json
from base64 import b64encode

import pytest

from tests.conftest import BUNDLE_BUCKET, create_notify_ledger_table
from tests.functions.loading import load_function
from tests.lambda_events import FakeLambdaContext
from tests.notify.scenario import KEY_ID, VERIFY_KEYS, alert, member, publish
from tests.notify.test_fanout_aws import sent_email, sent_sms

SENDER = "alerts@um.example"


class NotifyContext(FakeLambdaContext):
    """An invocation of the notify function, with its 15 minutes ahead of it."""

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


@pytest.fixture
def notify_function(monkeypatch, aws_resources, aws_bundle_shelf):
    import boto3

    boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
    environment = {
        "UGLYMUGS_MEMBERS_TABLE": aws_resources.members_table,
        "UGLYMUGS_NOTIFY_LEDGER_TABLE": create_notify_ledger_table(),
        "UGLYMUGS_BUNDLE_BUCKET": BUNDLE_BUCKET,
        "UGLYMUGS_BUNDLE_VERIFY_KEYS": json.dumps(
            {KEY_ID: b64encode(VERIFY_KEYS[KEY_ID]).decode()}
        ),
        "UGLYMUGS_MAIL_FROM": SENDER,
        "UGLYMUGS_SMS_SENDER": "sns",
        "UGLYMUGS_SITE_URL": "https://um.example",
        "POWERTOOLS_METRICS_NAMESPACE": "uglymugs-test",
        "UGLYMUGS_NOTIFY_CONCURRENCY": "1",  # moto's DynamoDB is not thread-safe
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    function = load_function("notify")
    return function, aws_bundle_shelf


def bounce(address: str) -> dict:
    message = {
        "notificationType": "Bounce",
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": address}]},
        "mail": {"destination": [address]},
    }
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "Sns": {"Type": "Notification", "Message": json.dumps(message)},
            }
        ]
    }


def test_a_publication_is_sent_then_a_bounce_marks_the_channel(notify_function, capsys):
    function, shelf = notify_function
    directory = function.services.directory
    directory.add(member("Reader"))
    directory.add(member("Texter", channels=("sms",), mobile="+447700900101"))
    publish(shelf, [alert("2026-0008")])

    summary = function.handler({"sequence": 1}, NotifyContext())
    assert summary["sequences"] == [1]
    assert summary["sent"] == {"email": 1, "sms": 1}
    assert len(sent_email()) == 1 and len(sent_sms()) == 1
    assert function.handler({"sequence": 1}, NotifyContext())["sequences"] == []

    result = function.handler(bounce("reader@example.org"), NotifyContext())
    assert result["feedback"]["marked"] == 1
    assert directory.find("Reader").channel_failing("email")

    logs = capsys.readouterr()
    for secret in ("reader@example.org", "+447700900101", "07700 900101"):
        assert secret not in logs.out and secret not in logs.err


def test_an_invocation_without_the_time_to_send_claims_nothing_and_leaves_it_to_the_next(
    notify_function,
):
    function, shelf = notify_function
    function.services.directory.add(member("Reader"))
    publish(shelf, [alert("2026-0008")])

    summary = function.handler({"catch_up": True}, FakeLambdaContext())  # 30 s left
    assert summary["sent"] == {} and summary["deferred"] == {"email": 1}
    assert summary["out_of_time"] is True and summary["held_by_other_runs"] == 0

    summary = function.handler({"catch_up": True}, NotifyContext())
    assert summary["sent"] == {"email": 1} and summary["deferred"] == {}
    assert len(sent_email()) == 1
