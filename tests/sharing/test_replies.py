"""The reply rules by themselves: who may be answered, once, with the claim taken
before the mailer is called."""

from dataclasses import replace
from pathlib import Path

import pyrage
import pytest

from tests.sharing.test_rules import incident
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport
from uglymugs.sharing.partners import Partner
from uglymugs.sharing.replies import (
    ReplyInFlightError,
    ReplyRefusedError,
    prepare_reply,
    send_reply,
)

IDENTITY = pyrage.x25519.Identity.generate()
HUB = Partner(
    "t-hub", "Test hub", "hub", ("greater-manchester",), "hub@example.invalid",
    str(IDENTITY.to_public()), True, Path(),
)  # fmt: skip


def police_item():
    content = {
        "schema": "uglymugs.partner/1",
        "report_type": "partner",
        "reporter": "police",
        "language": "en",
        "answers": {"submission_kind": "help_request", "what_happened": "a question"},
    }
    return group_incidents([OpenedReport("UM-7K3F-92QH-X4PM", "2026-11-21", "k", content)])[0]


@pytest.fixture
def ports(tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda line: None)
    return SQLiteIdempotencyLedger(tmp_path / "state.sqlite3"), mailer


def _sent(mailer):
    return list(mailer.outbox.glob("*.eml")) if mailer.outbox.exists() else []


def test_the_same_reply_with_another_token_is_another_reply(ports):
    claims, mailer = ports
    first = prepare_reply(police_item(), {"t-hub": HUB}, "t-hub", "Thanks.", token="a")
    again = prepare_reply(police_item(), {"t-hub": HUB}, "t-hub", "Thanks.", token="a")
    other = prepare_reply(police_item(), {"t-hub": HUB}, "t-hub", "Thanks.", token="b")
    assert first.key == again.key != other.key and first.digest == other.digest
    assert send_reply(claims, mailer, first) and not send_reply(claims, mailer, again)
    assert send_reply(claims, mailer, other) and len(_sent(mailer)) == 2


def test_a_reply_claimed_but_not_marked_sent_is_not_sent_again(ports):
    claims, mailer = ports
    reply = prepare_reply(police_item(), {"t-hub": HUB}, "t-hub", "Thanks.")
    claims.claim(f"reply:{reply.key}", reply.digest, reply.item)  # a send that stopped
    with pytest.raises(ReplyInFlightError, match="Ask t-hub"):
        send_reply(claims, mailer, reply)
    assert _sent(mailer) == []


@pytest.mark.parametrize(
    ("item", "partners", "to", "text", "field"),
    [
        (incident, {"t-hub": HUB}, "t-hub", "Thanks.", "item"),
        (police_item, {"t-hub": HUB}, " ", "Thanks.", "to"),
        (police_item, {}, "t-hub", "Thanks.", "to"),
        (police_item, {"t-hub": replace(HUB, contact="")}, "t-hub", "Thanks.", "to"),
        (police_item, {"t-hub": HUB}, "t-hub", "\n\t ", "reply"),
        (police_item, {"t-hub": HUB}, "t-hub", "x" * 10_001, "reply"),
    ],
)
def test_a_refusal_names_the_field(item, partners, to, text, field):
    with pytest.raises(ReplyRefusedError) as refused:
        prepare_reply(item(), partners, to, text)
    assert refused.value.field == field and str(refused.value).startswith(f"{field}: ")
