"""Fan-out on the AWS adapters (moto): SES v2, SNS SMS, DynamoDB ledger and directory."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.conftest import AWS_REGION, create_notify_ledger_table
from tests.notify.scenario import NOW, REGION_NAMES, SITE_URL, VERIFY_KEYS, alert, member, publish
from tests.notify.ses_account import SESAccount
from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory
from uglymugs.messaging.mailer import SES_MAX_DESTINATIONS
from uglymugs.messaging.mailer.ses import SESMailer
from uglymugs.messaging.texter.sns import SNSTexter
from uglymugs.notify.fanout import Notifier
from uglymugs.notify.feedback import mark_opted_out
from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger
from uglymugs.notify.publications import PublicationFeed

SENDER = "alerts@um.example"
CONFIGURATION_SET = "uglymugs-feedback"
OPTED_OUT = "+447700900149"  # on moto's list of opted-out numbers


def sent_email():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses import ses_backends

    return ses_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sent_messages


def sent_sms() -> list[tuple[str, str]]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns import sns_backends

    return list(sns_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sms_messages.values())


@pytest.fixture
def aws(aws_resources, aws_bundle_shelf, clock):
    import boto3

    sesv2 = boto3.client("sesv2")
    sesv2.create_email_identity(EmailIdentity=SENDER)
    sesv2.create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)
    clock.now = NOW + timedelta(minutes=5)
    directory = DynamoDBMemberDirectory(aws_resources.members_table)
    ledger = DynamoDBNotificationLedger(create_notify_ledger_table())
    notifier = Notifier(
        ledger=ledger,
        directory=directory,
        mailer=SESMailer(SENDER, client=SESAccount(sesv2), configuration_set=CONFIGURATION_SET),
        texter=SNSTexter(sender_id="UglyMugs"),
        site_url=SITE_URL,
        region_names=REGION_NAMES,
        clock=clock,
        sleep=lambda seconds: None,
        concurrency=1,  # moto's DynamoDB is not thread-safe (DynamoDB itself is)
    )
    return notifier, PublicationFeed(aws_bundle_shelf, VERIFY_KEYS), aws_bundle_shelf


def test_ses_and_sns_messages_reach_exactly_the_matching_members(aws):
    notifier, feed, shelf = aws
    directory = notifier.directory
    for i in range(60):
        directory.add(member(f"Mail{i:02d}"))
    directory.add(member("Texter", channels=("sms",), mobile="+447700900101"))
    directory.add(member("Quiet", channels=("sms",), mobile="+447700900102", discreet=True))
    directory.add(
        member("Kent", regions=("kent",), channels=("email", "sms"), mobile="+447700900103")
    )
    publish(shelf, [alert("2026-0008")])

    report = notifier.catch_up(feed)
    assert report.sent == Counter({"email": 60, "sms": 2})

    messages = sent_email()
    assert len(messages) == 2  # 60 addresses in calls of at most 50
    recipients = Counter()
    for message in messages:
        assert message.subject == "Ugly Mugs alert 2026-0008: Northumbria, high risk"
        assert message.source == SENDER
        assert not message.destinations.get("ToAddresses")  # nobody sees another's address
        assert len(message.destinations["BccAddresses"]) <= SES_MAX_DESTINATIONS
        recipients.update(message.destinations["BccAddresses"])
    assert len(recipients) == 60 and set(recipients.values()) == {1}
    assert "kent@example.org" not in recipients

    texts = dict(sent_sms())
    assert texts["+447700900101"].startswith("Ugly Mugs alert 2026-0008: high risk, Northumbria.")
    assert texts["+447700900102"] == "New safety alert — log in to read"
    assert "+447700900103" not in texts

    assert notifier.catch_up(feed).sequences == []  # a re-run sends nothing
    assert len(sent_email()) == 2 and len(sent_sms()) == 2


def test_sms_opt_outs_mark_the_channel_failing_before_sending(aws, clock):
    notifier, feed, shelf = aws
    notifier.directory.add(member("Stopped", channels=("sms",), mobile=OPTED_OUT))
    notifier.directory.add(member("Texter", channels=("sms",), mobile="+447700900101"))
    publish(shelf, [alert("2026-0008")])
    mark_opted_out(notifier.directory, notifier.texter, clock())
    report = notifier.catch_up(feed)
    assert report.sent["sms"] == 1 and report.skipped["sms"] == 1
    assert [to for to, _ in sent_sms()] == ["+447700900101"]
    stopped = notifier.directory.find("Stopped")
    assert stopped.channel_failing("sms")
