"""Answering a "From police" submission from the console: through the mailer to a
partner of the directory only, encrypted to its age key, once however often the form
is sent, recorded without the text; bad input refused naming the field."""

import email
import re

import pyrage
import pytest

from tests.partner_files import write_partner
from tests.staff.conftest import report
from tests.staff.test_partner_submissions import partner_submission
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.sharing.sending import SendingServices

REPLY = "Canary-Reply-5d1e: we circulated it to members in Manchester on Friday."
TYPED_CONTACT = "impostor@example.net"


class RefusingMailer(OutboxMailer):
    """An outbox that refuses the first message, as SES does when throttled."""

    refusals = 1

    def send_with_attachment(self, to, subject, text, attachment):
        if self.refusals:
            self.refusals -= 1
            raise ConnectionError("throttled")
        super().send_with_attachment(to, subject, text, attachment)


@pytest.fixture
def police(console, tmp_path):
    partners = tmp_path / "partners"
    partners.mkdir()
    identities = {
        partner_id: write_partner(partners, partner_id, kind)
        for partner_id, kind in (("t-hub", "hub"), ("t-bureau", "bureau"))
    }
    _ledger, mailer = console.share_with(partners)
    number = console.add(
        partner_submission(submission_kind="help_request", contact_details=TYPED_CONTACT)
    )
    console.unlock()
    return number, identities, mailer


def _token(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)


def _sent(mailer):
    return sorted(mailer.outbox.glob("*.eml")) if mailer.outbox.exists() else []


def _everything_recorded(console) -> str:
    """Every byte the console stored or logged: the SQLite database and the outbox."""
    stored = (console.data_dir / "state.sqlite3").read_bytes()
    return stored.decode("latin-1")


def test_a_reply_goes_encrypted_to_the_partner_once_and_is_recorded_without_its_text(
    console, police
):
    number, identities, mailer = police
    page = console.client.get(f"/incidents/{number}").text
    assert 'action="/incidents/' in page and "Answer the partner" in page
    form = {"to": "t-hub", "reply": REPLY, "token": _token(page)}
    first = console.post(f"/incidents/{number}/reply", form)
    assert first.status_code == 303 and first.headers["location"].endswith("replied=sent#reply")
    again = console.post(f"/incidents/{number}/reply", form)  # a double click
    assert again.headers["location"].endswith("replied=already#reply")
    (sent,) = _sent(mailer)
    message = email.message_from_bytes(sent.read_bytes())
    assert message["To"] == "t-hub@example.invalid" and REPLY not in sent.read_text()
    (attachment,) = [part for part in message.walk() if part.get_filename()]
    opened = pyrage.decrypt(attachment.get_payload(decode=True), [identities["t-hub"]])
    assert REPLY in opened.decode() and number in opened.decode()
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(attachment.get_payload(decode=True), [identities["t-bureau"]])
    history = [e for e in console.services.audit_log.entries() if e.action == "reply"]
    assert len(history) == 1 and history[0].who == "Sam" and "t-hub" in history[0].detail
    shown = console.client.get(f"/incidents/{number}").text
    assert "Answered the partner by e-mail" in shown and "digest" in shown
    assert "Canary-Reply" not in _everything_recorded(console)


def test_the_reply_never_goes_to_the_contact_typed_in_the_submission(console, police):
    number, _identities, mailer = police
    page = console.client.get(f"/incidents/{number}").text
    response = console.post(
        f"/incidents/{number}/reply", {"to": TYPED_CONTACT, "reply": REPLY, "token": _token(page)}
    )
    assert response.status_code == 422 and 'id="to-problem"' in response.text
    assert "passes partners check" in response.text and not _sent(mailer)


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        ({"to": "t-hub", "reply": "   "}, "reply", "write the reply"),
        ({"to": "t-hub", "reply": "x" * 10_001}, "reply", "at most 10000 characters"),
        ({"to": "", "reply": REPLY}, "to", "choose the partner"),
        ({"to": "t-nobody", "reply": REPLY}, "to", "passes partners check"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_sends_nothing(
    console, police, form, field, says
):
    number, _identities, mailer = police
    response = console.post(f"/incidents/{number}/reply", {**form, "token": "a" * 32})
    assert response.status_code == 422
    assert f'id="{field}-problem"' in response.text and says in response.text
    assert not _sent(mailer)
    assert not [e for e in console.services.audit_log.entries() if e.action == "reply"]


def test_without_a_mailer_nothing_is_offered_nor_sent(console, police):
    number, _identities, _mailer = police
    console.services.sending = None
    assert "E-mail is not set up" in console.client.get(f"/incidents/{number}").text
    response = console.post(f"/incidents/{number}/reply", {"to": "t-hub", "reply": REPLY})
    assert response.status_code == 409 and 'id="item-problem"' in response.text
    assert "nothing was sent" in response.text


def test_a_victims_report_is_not_answered_this_way(console, police):
    _number, _identities, mailer = police
    other = console.add(report(what_happened="a report", contact_details="kim@example.net"))
    console.services.keyholder.reload(force=True)
    page = console.client.get(f"/incidents/{other}").text
    assert "a report" in page and "Answer the partner" not in page
    response = console.post(f"/incidents/{other}/reply", {"to": "t-hub", "reply": REPLY})
    assert response.status_code == 422 and 'id="item-problem"' in response.text
    assert not _sent(mailer)


def test_the_refusal_is_in_the_staff_members_language(console, police):
    number, _identities, _mailer = police
    response = console.post(
        f"/incidents/{number}/reply",
        {"to": "t-hub", "reply": ""},
        headers={"Accept-Language": "pl"},
    )
    assert response.status_code == 422 and "napisz odpowiedź" in response.text
    assert "write the reply" not in response.text


def test_a_reply_the_mailer_refused_may_be_sent_again(console, police, tmp_path):
    number, _identities, _mailer = police
    refusing = RefusingMailer(console.data_dir / "outbox", notice=lambda line: None)
    sending = console.services.sending
    console.services.sending = SendingServices(sending.ledger, sending.claims, refusing)
    form = {"to": "t-hub", "reply": REPLY, "token": "b" * 32}
    failed = console.post(f"/incidents/{number}/reply", form)
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "30"
    assert REPLY in failed.text and not _sent(refusing)  # what was typed is kept
    assert not [e for e in console.services.audit_log.entries() if e.action == "reply"]
    retried = console.post(f"/incidents/{number}/reply", form)
    assert retried.headers["location"].endswith("replied=sent#reply")
    assert len(_sent(refusing)) == 1


def test_the_queue_filters_by_kind_and_counts_requests_not_yet_answered(console, police):
    number, _identities, _mailer = police
    first = console.add(report(what_happened="first report"))
    console.add(report(report_type="follow_up", follows=first, what_happened="more"))
    console.add(partner_submission(submission_kind="circulate"))
    console.services.keyholder.reload(force=True)
    assert "Incidents shown: 2" in console.client.get("/queue?kind=police").text
    assert "Incidents shown: 1" in console.client.get("/queue?kind=report").text
    assert "Incidents shown: 1" in console.client.get("/queue?kind=follow_up").text
    assert "Incidents shown: 0" in console.client.get("/queue?kind=staff").text
    assert "Incidents shown: 3" in console.client.get("/queue?kind=bogus").text
    assert "Incidents shown: 1" in console.client.get("/queue?due=reply").text
    assert '<a href="/queue?due=reply"><strong>1</strong>' in console.client.get("/").text
    page = console.client.get(f"/incidents/{number}").text
    form = {"to": "t-hub", "reply": REPLY, "token": _token(page)}
    console.post(f"/incidents/{number}/reply", form)
    assert "Incidents shown: 0" in console.client.get("/queue?due=reply").text
    assert '<a href="/queue?due=reply"><strong>0</strong>' in console.client.get("/").text
