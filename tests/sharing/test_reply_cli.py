"""``uglymugs share reply``: a police submission answered through the mailer to a
partner of the directory, encrypted, once; recorded without the text; refusals in
one line naming the field."""

import email
import json

import pyrage
import pytest

from tests.sharing.test_share_cli import PASSPHRASE, Scheme, report, share
from uglymugs.cli import main

REPLY = "Canary-Reply-77aa: thank you, we circulated it on Friday."


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    """A data directory with keys and two partners (a hub and a bureau)."""
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("UGLYMUGS_STAFF_NAME", "Sam")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "partners").mkdir()
    made = Scheme(tmp_path / "data", tmp_path / "partners")
    made.partner("t-hub", "hub")
    made.partner("t-bureau", "bureau")
    return made


def police(**answers):
    return {
        "schema": "uglymugs.partner/1",
        "report_type": "partner",
        "reporter": "police",
        "language": "en",
        "answers": {
            "submission_kind": "help_request",
            "organisation": "Example hub",
            "force_area": "greater-manchester",
            "what_happened": "Has anyone seen a silver van near the station?",
            "consent_alert": "no",
            "contact_details": "impostor@example.net",
            **answers,
        },
    }


def _outbox(scheme):
    return sorted((scheme.data_dir / "outbox").glob("*.eml"))


def test_a_reply_goes_once_encrypted_and_is_recorded_without_its_text(scheme, capsys, tmp_path):
    number = scheme.store(police())
    text = tmp_path / "reply.txt"
    text.write_text(REPLY, encoding="utf-8")
    code, out, err = share(capsys, "reply", number, "--to", "t-hub", "--file", str(text))
    assert code == 0, err
    assert "t-hub@example.invalid" in out and REPLY not in out
    code, out, _err = share(capsys, "reply", number, "--to", "t-hub", "--file", str(text))
    assert code == 0 and "nothing was sent again" in out
    (sent,) = _outbox(scheme)
    message = email.message_from_bytes(sent.read_bytes())
    assert message["To"] == "t-hub@example.invalid"
    (attachment,) = [part for part in message.walk() if part.get_filename()]
    opened = pyrage.decrypt(attachment.get_payload(decode=True), [scheme.identities["t-hub"]])
    assert REPLY in opened.decode()
    assert main(["audit", "log", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    replies = [entry for entry in entries if entry["action"] == "reply"]
    assert len(replies) == 1 and "t-hub" in replies[0]["detail"]
    assert "Canary-Reply" not in json.dumps(entries)
    assert main(["cases", "show", number, "--json"]) == 0
    case = capsys.readouterr().out
    assert "replied_partner" in case and "Canary-Reply" not in case


@pytest.mark.parametrize(
    ("args", "content", "says"),
    [
        (["--to", "t-nobody"], REPLY, "not sent: to: no partner 't-nobody'"),
        (["--to", "t-hub"], "  \n", "not sent: reply: write the reply"),
        (["--to", "t-hub"], "x" * 10_001, "not sent: reply: the reply must be at most 10000"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(scheme, capsys, tmp_path, args, content, says):
    number = scheme.store(police())
    text = tmp_path / "reply.txt"
    text.write_text(content, encoding="utf-8")
    code, _out, err = share(capsys, "reply", number, *args, "--file", str(text))
    assert code == 1 and says in err and len(err.strip().splitlines()) == 1
    assert not _outbox(scheme)


def test_a_victims_report_is_not_answered_this_way(scheme, capsys, tmp_path):
    number = scheme.store(report())
    text = tmp_path / "reply.txt"
    text.write_text(REPLY, encoding="utf-8")
    code, _out, err = share(capsys, "reply", number, "--to", "t-hub", "--file", str(text))
    assert code == 1 and "not sent: item:" in err and not _outbox(scheme)
