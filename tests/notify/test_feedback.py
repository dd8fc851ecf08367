"""Delivery feedback: SES bounces and complaints (both SNS shapes) and SNS SMS opt-outs
mark a member's channel failing, over SQLite and DynamoDB (moto)."""

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import AWS_REGION
from tests.members.factories import a_member
from uglymugs.messaging.texter import OPTED_OUT_FILE
from uglymugs.messaging.texter.outbox import OutboxTexter
from uglymugs.messaging.texter.sns import SNSTexter
from uglymugs.notify.feedback import (
    FeedbackResult,
    handle_feedback_event,
    is_feedback_event,
    mark_opted_out,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TOPIC = "arn:aws:sns:eu-west-2:123456789012:uglymugs-ses-feedback"
SENDER = "alerts@um.example"
# One alert went to all three in Bcc; only the recipients SES names may be marked.
DESTINATION = ["dave@example.org", "eve@example.org", "fay@example.org"]


def mail_object() -> dict:
    return {
        "timestamp": "2026-11-23T11:59:58.000Z",
        "source": SENDER,
        "sourceArn": f"arn:aws:ses:eu-west-2:123456789012:identity/{SENDER}",
        "sourceIp": "198.51.100.10",
        "callerIdentity": "uglymugs-notify",
        "sendingAccountId": "123456789012",
        "messageId": "0102018f2a1b2c3d-1a2b3c4d-aaaa-bbbb-cccc-0123456789ab-000000",
        "destination": DESTINATION,
        "headersTruncated": False,
        "headers": [{"name": "Subject", "value": "Safety alert UM-2026-0001: Kent, high risk"}],
        "commonHeaders": {
            "from": [SENDER],
            "subject": "Safety alert UM-2026-0001: Kent, high risk",
        },
    }


def bounce(bounce_type: str, *addresses: str, shape: str = "notificationType") -> dict:
    return {
        shape: "Bounce",
        "bounce": {
            "feedbackId": "0102018f2a1b2c3d-feedback-000000",
            "bounceType": bounce_type,
            "bounceSubType": "General" if bounce_type == "Permanent" else "MailboxFull",
            "bouncedRecipients": [
                {
                    "emailAddress": address,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                }
                for address in addresses
            ],
            "timestamp": "2026-11-23T11:59:59.000Z",
            "remoteMtaIp": "192.0.2.25",
            "reportingMTA": "dsn; a8-1.smtp-out.eu-west-2.amazonses.com",
        },
        "mail": mail_object(),
    }


def complaint(*addresses: str, shape: str = "notificationType") -> dict:
    return {
        shape: "Complaint",
        "complaint": {
            "feedbackId": "0102018f2a1b2c3d-complaint-000000",
            "complaintSubType": None,
            "complainedRecipients": [{"emailAddress": address} for address in addresses],
            "timestamp": "2026-11-23T11:59:59.000Z",
            "userAgent": "ExampleISP Feedback Loop (V0.01)",
            "complaintFeedbackType": "abuse",
            "arrivalDate": "2026-11-23T11:59:59.000Z",
        },
        "mail": mail_object(),
    }


def delivery() -> dict:
    return {
        "notificationType": "Delivery",
        "delivery": {
            "timestamp": "2026-11-23T11:59:59.000Z",
            "processingTimeMillis": 546,
            "recipients": DESTINATION,
            "smtpResponse": "250 ok",
            "reportingMTA": "a8-70.smtp-out.amazonses.com",
        },
        "mail": mail_object(),
    }


def sns_event(*messages) -> dict:
    """The Lambda event SNS sends: one record per SES notification."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": f"95df01b4-ee98-5cb9-9903-4c221d41eb5{index}",
                    "TopicArn": TOPIC,
                    "Subject": None,
                    "Message": message if isinstance(message, str) else json.dumps(message),
                    "Timestamp": "2026-11-23T12:00:00.000Z",
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "https://sns.eu-west-2.amazonaws.com/cert.pem",
                    "UnsubscribeUrl": "https://sns.eu-west-2.amazonaws.com/?Action=Unsubscribe",
                    "MessageAttributes": {},
                },
            }
            for index, message in enumerate(messages)
        ]
    }


@pytest.fixture
def directory(member_stores):
    directory = member_stores.directory
    for username, email, mobile in [
        ("DaveM", "dave@example.org", "+447700900001"),
        ("Eve", "eve@example.org", "+447700900002"),
        ("Fay", "fay@example.org", None),
    ]:
        directory.add(a_member(username, email, status="approved", mobile=mobile))
    return directory


def failing(directory) -> dict[str, dict[str, str]]:
    return {m.username: m.failing_channels for m in directory.members() if m.failing_channels}


def test_a_permanent_bounce_marks_only_the_bounced_recipient(directory):
    result = handle_feedback_event(
        sns_event(bounce("Permanent", "dave@example.org")), directory, NOW
    )
    assert result == FeedbackResult(notifications=1, marked=1)
    assert failing(directory) == {"DaveM": {"email": "permanent bounce 2026-11-23T12:00:00Z"}}
    dave = directory.find("DaveM")
    assert dave.channel_failing("email") and not dave.channel_failing("sms")


def test_a_complaint_marks_the_complaining_recipient(directory):
    result = handle_feedback_event(sns_event(complaint("eve@example.org")), directory, NOW)
    assert result.marked == 1
    assert failing(directory) == {"Eve": {"email": "complaint 2026-11-23T12:00:00Z"}}


def test_event_publishing_shapes_are_read_too(directory):
    event = sns_event(
        bounce("Permanent", "dave@example.org", shape="eventType"),
        complaint("eve@example.org", shape="eventType"),
    )
    assert handle_feedback_event(event, directory, NOW).marked == 2
    assert set(failing(directory)) == {"DaveM", "Eve"}


def test_transient_and_undetermined_bounces_and_deliveries_mark_nothing(directory):
    event = sns_event(
        bounce("Transient", "dave@example.org"),
        bounce("Undetermined", "eve@example.org"),
        delivery(),
        {"notificationType": "AmazonSnsSubscriptionSucceeded", "message": "set up"},
        "not json",
        json.dumps(["a list"]),
    )
    result = handle_feedback_event(event, directory, NOW)
    assert result == FeedbackResult(notifications=6, ignored=6)
    assert failing(directory) == {}


def test_addresses_are_matched_whatever_their_case_or_display_name(local_member_stores):
    directory = local_member_stores.directory
    directory.add(a_member("DaveM", "dave@example.org", status="approved"))
    event = sns_event(bounce("Permanent", "Dave <Dave@Example.ORG>", "nobody@example.org"))
    result = handle_feedback_event(event, directory, NOW)
    assert (result.marked, result.unknown) == (1, 1)
    assert directory.find("DaveM").channel_failing("email")


def test_a_second_notification_keeps_the_first_failure(local_member_stores):
    directory = local_member_stores.directory
    directory.add(a_member("DaveM", "dave@example.org", status="approved"))
    handle_feedback_event(sns_event(bounce("Permanent", "dave@example.org")), directory, NOW)
    later = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    result = handle_feedback_event(sns_event(complaint("dave@example.org")), directory, later)
    assert (result.marked, result.already_failing) == (0, 1)
    assert directory.find("DaveM").failing_channels == {
        "email": "permanent bounce 2026-11-23T12:00:00Z"
    }


def test_results_are_counts_and_never_addresses(local_member_stores):
    directory = local_member_stores.directory
    directory.add(a_member("DaveM", "dave@example.org", status="approved"))
    event = sns_event(bounce("Permanent", "dave@example.org"), complaint("x@example.org"))
    result = handle_feedback_event(event, directory, NOW)
    assert all(isinstance(count, int) for count in result.as_dict().values())
    assert "@" not in repr(result) and "example" not in json.dumps(result.as_dict())


def test_feedback_events_are_told_from_other_invocations():
    assert is_feedback_event(sns_event(bounce("Permanent", "dave@example.org")))
    for event in (
        {"sequence": 3},
        {"catch_up": True},
        {"Records": []},
        {"Records": [{"eventSource": "aws:sqs", "body": "{}"}]},
        [],
        None,
    ):
        assert not is_feedback_event(event), event


# SMS opt-outs


def test_opted_out_mobiles_of_approved_members_are_marked(local_member_stores, tmp_path):
    directory = local_member_stores.directory
    directory.add(a_member("DaveM", "dave@example.org", status="approved", mobile="+447700900001"))
    directory.add(a_member("Eve", "eve@example.org", status="approved", mobile="+447700900002"))
    directory.add(a_member("Pat", "pat@example.org", status="pending", mobile="+447700900003"))
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / OPTED_OUT_FILE).write_text("+447700900001\n+447700900003\n+447700900999\n")
    result = mark_opted_out(directory, OutboxTexter(outbox), NOW)
    assert (result.marked, result.unknown) == (1, 2)
    assert failing(directory) == {"DaveM": {"sms": "opted out 2026-11-23T12:00:00Z"}}
    again = mark_opted_out(directory, OutboxTexter(outbox), NOW)
    assert (again.marked, again.already_failing) == (0, 1)


def test_no_opt_outs_mark_nothing(local_member_stores, tmp_path):
    directory = local_member_stores.directory
    directory.add(a_member("DaveM", "dave@example.org", status="approved", mobile="+447700900001"))
    result = mark_opted_out(directory, OutboxTexter(tmp_path / "outbox"), NOW)
    assert result == FeedbackResult() and failing(directory) == {}


def test_opt_outs_read_from_sns_on_moto(aws_member_stores):
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns import sns_backends

    sns_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].opt_out_numbers = ["+447700900001"]
    directory = aws_member_stores.directory
    directory.add(a_member("DaveM", "dave@example.org", status="approved", mobile="+447700900001"))
    directory.add(a_member("Eve", "eve@example.org", status="approved", mobile="+447700900002"))
    result = mark_opted_out(directory, SNSTexter(client=boto3.client("sns")), NOW)
    assert result.marked == 1
    assert failing(directory) == {"DaveM": {"sms": "opted out 2026-11-23T12:00:00Z"}}
