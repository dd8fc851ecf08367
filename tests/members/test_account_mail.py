"""Account e-mail cannot be used to flood or out anyone (issue 12): at most one e-mail of
each kind per address per day, a scheme-wide hourly cap that staff hear about, and
subjects that say nothing about what the scheme is."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from tests.members.factories import account_mail
from tests.members.test_member_api import (
    APPLICATION,
    PASSWORD,
    approved_member,
    bodies,
    link_token,
    log_in,
)
from tests.members.test_member_metrics import RecordedMetrics
from uglymugs import composition
from uglymugs.cli import main
from uglymugs.config import Settings
from uglymugs.members.account_mail import CAP_METRIC
from uglymugs.members.api import create_member_app
from uglymugs.messaging.mailer.outbox import OutboxMailer

REVEALING = re.compile(r"ugly mugs|sex|escort|punter|client", re.IGNORECASE)


def application(n: int, email: str | None = None) -> dict:
    return {
        "membership_type": "individual",
        "username": f"Applicant{n}",
        "email": email or f"applicant{n}@example.org",
        "accept_terms": True,
    }


def per_address(mailer) -> Counter:
    return Counter(message["To"] for message in mailer.messages())


def test_a_join_flood_of_100_addresses_mails_each_address_once(scheme):
    client, services, _, mailer = scheme
    for n in range(100):
        assert client.post("/api/members", json=application(n)).status_code == 202
    assert len(services.directory.members()) == 100
    counts = per_address(mailer)
    assert len(counts) == 100 and set(counts.values()) == {1}


def test_joins_with_a_members_address_warn_its_owner_once_a_day(scheme, clock):
    client, _, _, mailer = scheme
    client.post("/api/members", json=application(0))
    for n in range(1, 31):
        response = client.post("/api/members", json=application(n, "applicant0@example.org"))
        assert (response.status_code, response.json()) == (202, {"status": "pending"})
    assert per_address(mailer)["applicant0@example.org"] == 2  # received, and one warning
    clock.advance(timedelta(days=1))
    client.post("/api/members", json=application(99, "applicant0@example.org"))
    assert per_address(mailer)["applicant0@example.org"] == 3


def test_30_resets_send_one_e_mail_whose_link_still_works(scheme, clock):
    client, _, _, mailer = scheme
    approved_member(scheme)
    before = len(mailer.messages())
    for _ in range(30):
        response = client.post("/api/members/password-reset", json={"login": "DaveM"})
        assert (response.status_code, response.json()) == (202, {"status": "sent_if_member"})
    assert len(mailer.messages()) == before + 1
    first = link_token(mailer)
    clock.advance(timedelta(days=1))
    client.post("/api/members/password-reset", json={"login": "DaveM"})
    assert len(mailer.messages()) == before + 2
    cancelled = client.post("/api/members/password", json={"token": first, "password": PASSWORD})
    assert cancelled.json()["error"]["code"] == "link_unknown"
    new_password = "the newest passphrase"
    latest = {"token": link_token(mailer), "password": new_password}
    assert client.post("/api/members/password", json=latest).status_code == 204
    assert log_in(client, password=new_password).status_code == 204


def test_approval_cancels_earlier_links_and_mails_once_a_day(scheme):
    client, services, staff, mailer = scheme
    member = approved_member(scheme)
    client.post("/api/members/password-reset", json={"login": "DaveM"})
    reset = link_token(mailer)
    services.directory.save(member.changed(services.clock(), status="rejected"))
    staff.change_status("DaveM", "approve")  # has a password: no new link, no e-mail
    assert link_token(mailer) == reset
    body = {"token": reset, "password": "yet another passphrase"}
    assert client.post("/api/members/password", json=body).status_code == 204


def test_account_mail_subjects_and_first_lines_are_discreet(scheme):
    client, _, _, mailer = scheme
    approved_member(scheme)
    client.post("/api/members/password-reset", json={"login": "DaveM"})
    client.post("/api/members", json={**APPLICATION, "username": "Other"})  # taken address
    messages = mailer.messages()
    assert len(messages) == 4  # received, set your password, reset, someone tried to join
    for message in messages:
        assert message["Subject"] == "Your account"
        assert not REVEALING.search(message["From"])
    for _, text in bodies(mailer)[1:3]:  # set-password and reset: what a preview shows
        first_lines = "\n".join(text.strip().splitlines()[:3])
        assert not REVEALING.search(first_lines), first_lines
    assert any("Ugly Mugs" in text for _, text in bodies(mailer))  # the name is inside


@pytest.fixture
def capped_scheme(tmp_path, monkeypatch):
    """The member API and the command on one data directory, with a cap of 3 an hour."""
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_MAIL_HOURLY_CAP", "3")
    monkeypatch.setenv("UGLYMUGS_MAIL_SUBJECT", "Notice")
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    metrics = RecordedMetrics()
    services = composition.member_services(Settings.from_env(), metrics=metrics)
    return TestClient(create_member_app(services), base_url="https://testserver"), metrics


def test_the_hourly_cap_stops_mail_counts_a_metric_and_tells_staff(capped_scheme, tmp_path, capsys):
    client, metrics = capped_scheme
    for n in range(5):
        assert client.post("/api/members", json=application(n)).status_code == 202
    outbox = OutboxMailer(tmp_path / "data" / "outbox")
    assert len(outbox.messages()) == 3
    assert {message["Subject"] for message in outbox.messages()} == {"Notice"}
    assert [name for name, _, _ in metrics.added].count(CAP_METRIC) == 2
    assert main(["members", "list", "--pending"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "cap reached today: 2 e-mails" in out and "3 an hour" in out
    assert main(["members", "list"]) == 0  # the whole list is for other things
    assert "cap reached" not in capsys.readouterr().out


def test_the_counter_key_is_made_once_in_the_data_directory(capped_scheme, tmp_path):
    client, _ = capped_scheme
    client.post("/api/members", json=application(0))
    key_file = tmp_path / "data" / "counter-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    first = key_file.read_bytes()
    client.post("/api/members", json=application(1))
    assert key_file.read_bytes() == first and len(first) == 64


class FailingOnceMailer(OutboxMailer):
    """The outbox, except that the first send fails (SES throttled us)."""

    failed = False

    def send(self, to, subject, text, html=None):
        if not self.failed:
            self.failed = True
            raise ConnectionError("throttled")
        super().send(to, subject, text, html)


def test_an_e_mail_that_failed_to_send_does_not_use_up_the_day(member_stores, clock, tmp_path):
    mailer = FailingOnceMailer(tmp_path / "outbox", notice=lambda _line: None)
    mail = account_mail(mailer, member_stores.sessions, clock)
    context = {"username": "DaveM", "link": lambda: "https://x/#token=t", "hours": 48}
    with pytest.raises(ConnectionError):
        mail.send("dave@example.org", "password_reset", **context)
    assert mail.send("dave@example.org", "password_reset", **context) is True
    assert mail.send("dave@example.org", "password_reset", **context) is False
    assert len(mailer.messages()) == 1
