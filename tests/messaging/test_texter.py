"""The texter adapters: outbox files locally, SNS on moto; and choosing one."""

import pytest

from tests.conftest import AWS_REGION
from uglymugs import composition
from uglymugs.config import Settings
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.messaging.texter import OPTED_OUT_FILE, SMSTooLongError
from uglymugs.messaging.texter.outbox import OutboxTexter
from uglymugs.messaging.texter.sns import SNSTexter

MOBILE = "+447700900123"
TEXT = "Safety alert UM-2026-0001, Kent, high risk: https://um.example/members/"


def sent_sms():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns import sns_backends

    return list(sns_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sms_messages.values())


class RecordingClient:
    """A real (moto) SNS client that also keeps the arguments of each publish."""

    def __init__(self, client) -> None:
        self.client = client
        self.published: list[dict] = []

    def publish(self, **arguments):
        self.published.append(arguments)
        return self.client.publish(**arguments)


class PagedOptOuts:
    """An SNS client whose opted-out list comes in pages, as SNS's does past 100 numbers."""

    def __init__(self, pages: list[list[str]]) -> None:
        self.pages = pages
        self.calls: list[dict] = []

    def list_phone_numbers_opted_out(self, **arguments):
        self.calls.append(arguments)
        index = int(arguments.get("nextToken", "0"))
        page = {"phoneNumbers": self.pages[index]}
        if index + 1 < len(self.pages):
            page["nextToken"] = str(index + 1)
        return page


# The outbox


def test_the_outbox_holds_one_private_file_per_sms_and_the_console_one_line(tmp_path):
    lines = []
    texter = OutboxTexter(tmp_path / "outbox", notice=lines.append)
    texter.send(MOBILE, TEXT)
    texter.send("+447700900456", "second")
    files = sorted((tmp_path / "outbox").glob("*.sms.txt"))
    assert len(files) == 2
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in files)
    assert files[0].read_text() == f"To: {MOBILE}\n\n{TEXT}"
    assert texter.messages() == [(MOBILE, TEXT), ("+447700900456", "second")]
    assert len(lines) == 2 and all(str(tmp_path / "outbox") in line for line in lines)
    assert not any("7700900" in line or "alert" in line.lower() for line in lines)


def test_sms_and_e_mail_share_the_outbox_without_mixing(tmp_path):
    outbox = tmp_path / "outbox"
    texter = OutboxTexter(outbox, notice=lambda _line: None)
    mailer = OutboxMailer(outbox, notice=lambda _line: None)
    texter.send(MOBILE, TEXT)
    mailer.send("dave@example.org", "Hello", "body")
    assert len(texter.messages()) == 1 and len(mailer.messages()) == 1


def test_the_outbox_refuses_what_sns_would_refuse(tmp_path):
    texter = OutboxTexter(tmp_path / "outbox", notice=lambda _line: None)
    with pytest.raises(SMSTooLongError):
        texter.send(MOBILE, "a" * 307)
    for number in ("07700900123", "+0123456789", "+44 7700 900123", "+44"):
        with pytest.raises(ValueError):
            texter.send(number, TEXT)
    assert texter.messages() == []


def test_the_outbox_has_no_opt_outs_unless_a_file_lists_them(tmp_path):
    texter = OutboxTexter(tmp_path / "outbox")
    assert texter.opted_out() == frozenset()
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / OPTED_OUT_FILE).write_text(
        "# replied STOP\n+447700900123\n\n  +447700900456  \n"
    )
    assert texter.opted_out() == {"+447700900123", "+447700900456"}


# SNS


def test_sns_publishes_a_transactional_sms(mocked_aws):
    import boto3

    client = RecordingClient(boto3.client("sns"))
    SNSTexter(client=client).send(MOBILE, TEXT)
    assert sent_sms() == [(MOBILE, TEXT)]
    (arguments,) = client.published
    assert arguments["MessageAttributes"] == {
        "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}
    }


def test_sns_sends_from_the_sender_id_when_given(mocked_aws):
    import boto3

    client = RecordingClient(boto3.client("sns"))
    SNSTexter(sender_id="UglyMugs", client=client).send(MOBILE, TEXT)
    attributes = client.published[0]["MessageAttributes"]
    assert attributes["AWS.SNS.SMS.SenderID"] == {"DataType": "String", "StringValue": "UglyMugs"}
    assert sent_sms() == [(MOBILE, TEXT)]


@pytest.mark.parametrize("sender_id", ["", "Ugly Mugs", "UglyMugsScheme", "12345", "Ügly"])
def test_a_sender_id_is_one_to_eleven_letters_and_digits(sender_id):
    with pytest.raises(ValueError):
        SNSTexter(sender_id=sender_id)


def test_sns_refuses_a_text_over_two_segments_without_calling_sns(mocked_aws):
    import boto3

    client = RecordingClient(boto3.client("sns"))
    texter = SNSTexter(client=client)
    with pytest.raises(SMSTooLongError):
        texter.send(MOBILE, "—" * 135)
    texter.send(MOBILE, "—" * 134)
    assert len(client.published) == 1 and sent_sms() == [(MOBILE, "—" * 134)]


def test_the_sns_client_is_made_on_first_use(aws_credentials):
    from moto import mock_aws

    texter = SNSTexter()  # before mock_aws: a client made now would reach for real AWS
    with mock_aws():
        texter.send(MOBILE, TEXT)
        assert sent_sms() == [(MOBILE, TEXT)]


def test_sns_lists_opted_out_numbers(mocked_aws):
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns import sns_backends

    sns_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].opt_out_numbers = [MOBILE, "+447700900456"]
    texter = SNSTexter(client=boto3.client("sns"))
    assert texter.opted_out() == {MOBILE, "+447700900456"}


def test_sns_opted_out_numbers_are_read_page_by_page():
    client = PagedOptOuts([["+447700900001", "+447700900002"], ["+447700900003"], []])
    assert SNSTexter(client=client).opted_out() == {
        "+447700900001",
        "+447700900002",
        "+447700900003",
    }
    assert client.calls == [{}, {"nextToken": "1"}, {"nextToken": "2"}]


# Choosing


def texter_from_environment(environ, data_dir):
    return composition.texter(Settings.from_environ({"UGLYMUGS_DATA_DIR": data_dir, **environ}))


def test_the_environment_chooses_sns_or_the_outbox(tmp_path):
    outbox = texter_from_environment({}, tmp_path)
    assert isinstance(outbox, OutboxTexter) and outbox.outbox == tmp_path / "outbox"
    assert isinstance(
        texter_from_environment({"UGLYMUGS_SMS_SENDER": "outbox"}, tmp_path), OutboxTexter
    )
    sns = texter_from_environment(
        {"UGLYMUGS_SMS_SENDER": "sns", "UGLYMUGS_SMS_SENDER_ID": "UglyMugs"}, tmp_path
    )
    assert isinstance(sns, SNSTexter) and sns.sender_id == "UglyMugs"
    assert texter_from_environment({"UGLYMUGS_SMS_SENDER": "SNS"}, tmp_path).sender_id is None
    with pytest.raises(ValueError):
        texter_from_environment({"UGLYMUGS_SMS_SENDER": "twilio"}, tmp_path)


def test_the_outbox_writes_many_sms_a_call_and_never_one_twice(tmp_path):
    """A send_many repeated after a crash (notify had not recorded it) writes only what
    the first did not, even from a new process; one bad number writes none of the call."""
    outbox = tmp_path / "outbox"
    other = "+447700900456"
    OutboxTexter(outbox, notice=lambda line: None).send_many([(MOBILE, TEXT)])
    again = OutboxTexter(outbox, notice=lambda line: None)
    again.send_many([(MOBILE, TEXT), (other, TEXT)])
    again.send_many([(MOBILE, TEXT + " (corrected)")])
    assert sorted(again.messages()) == [
        (MOBILE, TEXT),
        (MOBILE, TEXT + " (corrected)"),
        (other, TEXT),
    ]
    with pytest.raises(ValueError):
        again.send_many([("+447700900789", "new"), ("07700 900123", "not E.164")])
    assert len(again.messages()) == 3
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in outbox.glob("*.sms.txt"))


def test_an_sms_cut_short_by_a_crash_is_written_again_on_the_resend(tmp_path):
    """As for e-mail: a part of an SMS left under its final name by a crash is replaced
    by the resend; a whole one is kept and not written twice."""
    outbox = tmp_path / "outbox"
    OutboxTexter(outbox, notice=lambda _line: None).send_many(
        [(MOBILE, TEXT), ("+447700900456", TEXT)]
    )
    first, second = sorted(outbox.glob("*.sms.txt"))
    first.write_bytes(first.read_bytes()[:10])
    whole = second.read_bytes()
    again = OutboxTexter(outbox, notice=lambda _line: None)
    again.send_many([(MOBILE, TEXT), ("+447700900456", TEXT)])
    assert not first.exists() and second.read_bytes() == whole
    assert sorted(again.messages()) == sorted([(MOBILE, TEXT), ("+447700900456", TEXT)])
