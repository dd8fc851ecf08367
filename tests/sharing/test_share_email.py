"""``uglymugs share ... --email``: the encrypted packet goes to the partner's contact as
an attachment, once; the message says nothing about the incident; the ledger records
it only once sent; a retry sends nothing twice (local outbox and SES on moto)."""

import json

import pyrage
import pytest

from tests.sharing.test_share_cli import CONTACT, open_scheme, report, share
from uglymugs.messaging.mailer import Attachment
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.sharing.ledger import shares

PLACE_WORDS = ("Ancoats", "Manchester", "kidnap", "ZZ99", "held her", "scas", "hub")


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    return open_scheme(tmp_path, monkeypatch, "hub")


def outbox(scheme):
    return OutboxMailer(scheme.data_dir / "outbox", notice=lambda line: None)


def _ledger(scheme):
    from uglymugs.audit.log.sqlite import SQLiteAuditLog

    return SQLiteAuditLog(scheme.data_dir / "state.sqlite3", table="sharing_ledger")


def test_the_packet_is_mailed_to_the_partner_and_opens_with_its_key_only(scheme, capsys):
    number = scheme.store(report())
    code, out, err = share(capsys, "hub", number, "--to", "t-hub", "--email")
    assert code == 0, err
    assert "E-mailed" in out
    (message,) = outbox(scheme).messages()
    assert message["To"] == "t-hub@example.invalid"
    (attached,) = list(message.iter_attachments())
    packet = json.loads(pyrage.decrypt(attached.get_content(), [scheme.identities["t-hub"]]))
    assert packet["incident"] == number and packet["action"] == "hub"
    with pytest.raises(Exception):  # noqa: B017 - pyrage's own error
        pyrage.decrypt(attached.get_content(), [scheme.identities["t-scas"]])
    [recorded] = shares(_ledger(scheme))
    assert recorded.route == "email" and recorded.partner == "t-hub" and recorded.who == "Sam"
    assert recorded.packet_id == packet["packet_id"]


def test_the_message_says_nothing_about_the_incident(scheme, capsys):
    number = scheme.store(report())
    assert share(capsys, "scas", number, "--email")[0] == 0
    (message,) = outbox(scheme).messages()
    visible = str(message["Subject"]) + message.get_body(("plain",)).get_content()
    (attached,) = list(message.iter_attachments())
    visible += attached.get_filename()
    for word in (number, CONTACT, *PLACE_WORDS):
        assert word.lower() not in visible.lower()


def test_a_retry_sends_nothing_twice_and_records_once(scheme, capsys):
    number = scheme.store(report())
    assert share(capsys, "scas", number, "--email")[0] == 0
    code, out, _err = share(capsys, "scas", number, "--email")
    assert code == 0 and "nothing was sent again" in out
    assert len(outbox(scheme).messages()) == 1
    assert len(shares(_ledger(scheme))) == 1


def test_preview_with_email_sends_and_records_nothing(scheme, capsys):
    number = scheme.store(report())
    assert share(capsys, "scas", number, "--email", "--preview")[0] == 0
    assert not (scheme.data_dir / "outbox").exists() or not outbox(scheme).messages()
    assert shares(_ledger(scheme)) == []


def test_a_refused_share_sends_nothing(scheme, capsys):
    number = scheme.store(report(consent_scas="no"))
    code, _out, err = share(capsys, "scas", number, "--email")
    assert code != 0 and "no consent" in err
    assert not (scheme.data_dir / "outbox").exists() or not outbox(scheme).messages()


class RefusingMailer:
    """A mailer whose provider refuses every message (then, once mended, accepts)."""

    batch_limit = 1

    def __init__(self) -> None:
        self.refuse = True
        self.sent: list[tuple[str, Attachment]] = []

    def send(self, to, subject, text, html=None):
        raise AssertionError("packets go with an attachment")

    def send_to_many(self, addresses, subject, text, html=None):
        raise AssertionError("packets go to one partner")

    def send_with_attachment(self, to, subject, text, attachment):
        if self.refuse:
            raise ConnectionError("provider down")
        self.sent.append((to, attachment))


def _services(scheme, mailer):
    from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
    from uglymugs.sharing.sending import SendingServices

    claims = SQLiteIdempotencyLedger(scheme.data_dir / "state.sqlite3")
    return SendingServices(_ledger(scheme), claims, mailer)


def _incident_and_packet(scheme, number, partner_id):
    from datetime import UTC, datetime

    from uglymugs.crypto import unlock_report_keys
    from uglymugs.reports.incidents import incident_of
    from uglymugs.reports.reading import open_vault
    from uglymugs.sharing.packets import build_packet
    from uglymugs.sharing.partners import check_partners

    keys = unlock_report_keys(scheme.data_dir / "keys", "staff passphrase")
    incident = incident_of(number, open_vault(scheme.vault, keys))
    partner = check_partners([scheme.partners_dir]).partners[partner_id]
    return incident, partner, lambda: build_packet("scas", incident, partner, datetime.now(UTC))


def test_a_refused_send_is_not_recorded_and_a_later_retry_sends_once(scheme):
    from uglymugs.sharing.sending import email_packet

    number = scheme.store(report())
    incident, partner, packet = _incident_and_packet(scheme, number, "t-scas")
    mailer = RefusingMailer()
    services = _services(scheme, mailer)
    with pytest.raises(ConnectionError):
        email_packet(services, "Sam", incident, packet(), partner)
    assert shares(_ledger(scheme)) == []
    mailer.refuse = False
    first = email_packet(services, "Sam", incident, packet(), partner)
    again = email_packet(services, "Sam", incident, packet(), partner)
    assert first.sent and not again.sent and again.share.sequence == first.share.sequence
    assert len(mailer.sent) == 1 and len(shares(_ledger(scheme))) == 1


def test_a_send_that_stopped_before_recording_is_not_sent_again(scheme):
    from uglymugs.sharing.sending import ShareInFlightError, email_packet, share_key

    number = scheme.store(report())
    incident, partner, packet = _incident_and_packet(scheme, number, "t-scas")
    mailer = RefusingMailer()
    mailer.refuse = False
    services = _services(scheme, mailer)
    built = packet()
    # Another send of the same share claimed it and has not recorded it (or died).
    services.claims.claim(f"share:{share_key(built)}", built.digest, incident.number)
    with pytest.raises(ShareInFlightError, match="may have gone"):
        email_packet(services, "Sam", incident, packet(), partner)
    assert mailer.sent == [] and shares(_ledger(scheme)) == []


def test_new_content_from_a_follow_up_is_a_new_share(scheme, capsys):
    number = scheme.store(report())
    assert share(capsys, "scas", number, "--email")[0] == 0
    scheme.store(
        {"reporter": "self", "answers": {"offender_hair": "red"}, "schema": "uglymugs.report/1"},
        follows=number,
        received_at="2026-11-22T08:00:00Z",
    )
    code, out, _err = share(capsys, "scas", number, "--email")
    assert code == 0 and "E-mailed" in out
    assert len(outbox(scheme).messages()) == 2
