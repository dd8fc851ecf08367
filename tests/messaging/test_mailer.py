"""The mailer adapters: outbox files locally, SES v2 on moto; and the message templates."""

import pytest

from tests.conftest import AWS_REGION
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.messaging.mailer.ses import SESMailer
from uglymugs.messaging.messages import render_message, send_message

SENDER = "alerts@uglymugs.example"


def test_the_outbox_holds_one_private_file_per_message_and_the_console_one_line(tmp_path):
    lines = []
    mailer = OutboxMailer(tmp_path / "outbox", notice=lines.append)
    mailer.send("dave@example.org", "Hello", "secret body text", html="<p>secret body</p>")
    mailer.send("eve@example.org", "Again", "second")
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in files)
    first = mailer.messages()[0]
    assert first["To"] == "dave@example.org" and first["Subject"] == "Hello"
    assert "secret body text" in first.get_body(("plain",)).get_content()
    assert len(lines) == 2
    assert all(str(tmp_path / "outbox") in line for line in lines)
    assert not any("secret" in line or "example.org" in line for line in lines)


def test_the_outbox_never_writes_one_members_message_twice(tmp_path):
    """A call repeated after a crash (notify had not recorded it) writes only what the
    first did not, even from a new process; another message to the same address is new."""
    outbox = tmp_path / "outbox"
    OutboxMailer(outbox, notice=lambda line: None).send_to_many(
        ["a@example.org", "b@example.org"], "Alert 2026-0008", "text"
    )
    again = OutboxMailer(outbox, notice=lambda line: None)
    again.send_to_many(
        ["a@example.org", "b@example.org", "c@example.org"], "Alert 2026-0008", "text"
    )
    again.send_to_many(["a@example.org"], "Alert 2026-0008 corrected", "new text")
    sent = [(str(m["To"]), str(m["Subject"])) for m in again.messages()]
    assert sorted(sent) == [
        ("a@example.org", "Alert 2026-0008"),
        ("a@example.org", "Alert 2026-0008 corrected"),
        ("b@example.org", "Alert 2026-0008"),
        ("c@example.org", "Alert 2026-0008"),
    ]
    assert not list(outbox.glob(".tmp-*"))


@pytest.mark.parametrize(
    "address",
    [
        "a@example.org",
        "first.last+alerts@mail.example.co.uk",
        "x" * 60 + "@example.org",  # too long to be written as it is: built alone
        "zoë@example.org",  # not ASCII: built alone
        "Dave <dave@example.org>",  # a display name: built alone
    ],
)
@pytest.mark.parametrize("html", [None, "<p>Ţară, 家</p>"])
def test_each_copy_is_the_message_built_for_that_address_alone(tmp_path, address, html):
    """send_to_many serialises a message once and gives each address its copy: the
    bytes are those of the message built for that address, but for its own Message-ID
    and MIME boundary."""
    import re
    from datetime import UTC, datetime
    from email.utils import format_datetime

    from uglymugs.messaging.mailer import build_message

    when = datetime(2026, 11, 29, 14, 5, tzinfo=UTC)
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda line: None, clock=lambda: when)
    mailer.send_to_many(
        [address, "b@example.org"], "Alert: Leeds, a long subject", "Ţară\n" * 3, html
    )
    alone = build_message(SENDER, address, "Alert: Leeds, a long subject", "Ţară\n" * 3, html)
    alone.replace_header("From", mailer.sender)
    alone["Date"] = format_datetime(when)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    written = {m["To"]: path.read_bytes() for m, path in zip(mailer.messages(), files, strict=True)}
    ids = re.compile(rb"<[^>]+@uglymugs\.invalid>|={15}\d+==")
    assert ids.sub(b"?", written[str(alone["To"])]) == ids.sub(b"?", bytes(alone))
    assert len({str(message["Message-ID"]) for message in mailer.messages()}) == 2


def test_ses_sends_through_sesv2(mocked_aws):
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses import ses_backends

    client = boto3.client("sesv2")
    client.create_email_identity(EmailIdentity=SENDER)
    SESMailer(SENDER, client=client).send("dave@example.org", "Hello", "the body")
    sent = ses_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sent_messages
    assert len(sent) == 1
    assert sent[0].destinations["ToAddresses"] == ["dave@example.org"]
    assert sent[0].subject == "Hello"
    assert "the body" in sent[0].body


@pytest.mark.parametrize(
    ("name", "context"),
    [
        ("application_received", {"username": "DaveM"}),
        ("join_attempt_with_your_email", {}),
        ("username_unavailable", {}),
        ("set_password", {"username": "DaveM", "link": "http://x/#token=t", "hours": 48}),
        ("password_reset", {"username": "DaveM", "link": "http://x/#token=t", "hours": 48}),
    ],
)
def test_every_message_renders_a_subject_and_a_body(name, context):
    subject, text = render_message(name, **context)
    assert subject and "\n" not in subject
    assert text.strip()
    assert "{" not in text
    for value in context.values():
        assert str(value) in text


def test_send_message_renders_and_sends(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None)
    send_message(mailer, "dave@example.org", "application_received", username="DaveM")
    assert "DaveM" in mailer.messages()[0].get_body(("plain",)).get_content()


def _attachment():
    from uglymugs.messaging.mailer import Attachment

    return Attachment("R-1.json.age", b"age-encryption.org/v1\n\x00\x01binary", "application/age")


def test_the_outbox_writes_an_attachment_as_a_multipart_eml(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda line: None)
    mailer.send_with_attachment(
        "hub@example.invalid", "A packet", "Open it with age.", _attachment()
    )
    (message,) = mailer.messages()
    assert message.get_content_type() == "multipart/mixed"
    assert message["To"] == "hub@example.invalid"
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "R-1.json.age"
    assert attached.get_content_type() == "application/age"
    assert attached.get_content() == _attachment().data
    assert "Open it with age." in message.get_body(("plain",)).get_content()


def test_ses_sends_an_attachment_as_a_raw_message(mocked_aws):
    import email
    from email import policy

    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses import ses_backends

    client = boto3.client("sesv2")
    client.create_email_identity(EmailIdentity=SENDER)
    SESMailer(SENDER, client=client).send_with_attachment(
        "hub@example.invalid", "A packet", "Open it with age.", _attachment()
    )
    sent = ses_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sent_messages
    assert len(sent) == 1
    raw = sent[0].raw_data
    message = email.message_from_bytes(
        raw.encode() if isinstance(raw, str) else raw, policy=policy.default
    )
    assert message["To"] == "hub@example.invalid"
    (attached,) = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert attached.get_filename() == "R-1.json.age"
    assert attached.get_content() == _attachment().data


@pytest.mark.parametrize("html", [None, "<p>Ţară</p>"])
@pytest.mark.parametrize("address", ["a@example.org", "zoë@example.org"])
def test_a_copy_cut_short_by_a_crash_is_written_again_on_the_resend(tmp_path, address, html):
    """Files are written in place: a crash mid-write leaves a part of a message under its
    final name. The resend (the call was not recorded) keeps a whole copy written by an
    earlier process and replaces one cut short, so the member gets it once, whole."""
    outbox = tmp_path / "outbox"
    first = OutboxMailer(outbox, notice=lambda line: None)
    first.send_to_many([address, "b@example.org"], "Alert 2026-0008", "Ţară text\n", html)
    paths = sorted(outbox.glob("*.eml"))
    files = {str(m["To"]): path for m, path in zip(first.messages(), paths, strict=True)}
    whole = files["b@example.org"].read_bytes()
    cut = files[address]
    cut.write_bytes(cut.read_bytes()[: len(cut.read_bytes()) // 2])
    again = OutboxMailer(outbox, notice=lambda line: None)
    again.send_to_many([address, "b@example.org"], "Alert 2026-0008", "Ţară text\n", html)
    assert not cut.exists()
    assert files["b@example.org"].read_bytes() == whole  # whole: kept, not written again
    messages = again.messages()
    assert sorted(str(m["To"]) for m in messages) == sorted(files)  # each once
    rewritten = next(m for m in messages if str(m["To"]) != "b@example.org")
    assert rewritten.get_body(("plain",)).get_content() == "Ţară text\n"


def test_an_empty_file_left_by_a_crash_is_replaced(tmp_path):
    from uglymugs.messaging.mailer.outbox import message_digest

    outbox = tmp_path / "outbox"
    outbox.mkdir()
    digest = message_digest("a@example.org", "Alert", "text", None)
    (outbox / f"20261123T100000Z-1-{digest}.eml").write_bytes(b"")
    mailer = OutboxMailer(outbox, notice=lambda line: None)
    mailer.send_to_many(["a@example.org"], "Alert", "text")
    (message,) = mailer.messages()
    assert message["To"] == "a@example.org" and message["Date"]
