"""Members hear about an alert only on the channels, regions and risks they chose."""

from __future__ import annotations

from tests.notify.scenario import member
from uglymugs.notify.ledger import Channel
from uglymugs.notify.publications import AlertChange, ChangeKind
from uglymugs.notify.recipients import audiences, wants

NEW_HIGH_NORTH = AlertChange(ChangeKind.NEW, "2026-0008", "v1", "northumbria", "high")
WITHDRAWN_NO_RISK = AlertChange(ChangeKind.WITHDRAWN, "2026-0005", "w1", "kent", None)


def test_channels_regions_and_risks_are_matched():
    everything = member("All", channels=("email", "sms"), mobile="+447700900001")
    assert wants(everything, NEW_HIGH_NORTH, Channel.EMAIL)
    assert wants(everything, NEW_HIGH_NORTH, Channel.SMS)
    assert not wants(member("Kent", regions=("kent",)), NEW_HIGH_NORTH, Channel.EMAIL)
    assert wants(member("North", regions=("kent", "northumbria")), NEW_HIGH_NORTH, Channel.EMAIL)
    assert not wants(member("LowOnly", risks=("low",)), NEW_HIGH_NORTH, Channel.EMAIL)
    assert wants(member("High", risks=("high", "medium")), NEW_HIGH_NORTH, Channel.EMAIL)
    assert not wants(
        member("SmsOnly", channels=("sms",), mobile="+447700900002"), NEW_HIGH_NORTH, Channel.EMAIL
    )
    assert not wants(member("Nothing", channels=()), NEW_HIGH_NORTH, Channel.EMAIL)


def test_only_approved_members_with_an_address_for_the_channel():
    for status in ("pending", "rejected", "suspended"):
        assert not wants(member("X", status=status), NEW_HIGH_NORTH, Channel.EMAIL)
    no_mobile = member("NoMobile", channels=("email", "sms"))
    assert not wants(no_mobile, NEW_HIGH_NORTH, Channel.SMS)


def test_a_withdrawal_without_a_known_risk_reaches_every_risk_choice():
    assert wants(
        member("LowOnly", risks=("low",), regions=("kent",)), WITHDRAWN_NO_RISK, Channel.EMAIL
    )


def test_audiences_carry_addresses_discretion_and_leave_failing_channels_out():
    members = [
        member("Email", channels=("email",)),
        member("Discreet", channels=("sms",), mobile="+447700900003", discreet=True),
        member("Bounced", failing_channels={"email": "permanent bounce 2026-11-20T10:00:00Z"}),
        member("Elsewhere", regions=("kent",)),
    ]
    found = audiences(members, NEW_HIGH_NORTH)
    assert [r.address for r in found[Channel.EMAIL].recipients] == ["email@example.org"]
    assert found[Channel.EMAIL].skipped == 1
    [sms] = found[Channel.SMS].recipients
    assert sms.address == "+447700900003" and sms.discreet
