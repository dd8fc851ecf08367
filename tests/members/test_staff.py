"""Staff actions on members: the alert preferences a newly approved member starts with."""

from dataclasses import replace

import pytest

from tests.members.factories import a_member, account_mail
from uglymugs.members.directory import Preferences
from uglymugs.members.staff import StaffActions
from uglymugs.messaging.mailer.outbox import OutboxMailer

SITE = "https://uglymugs.example"


@pytest.fixture
def staff(member_stores, clock, tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock)
    mail = account_mail(mailer, member_stores.sessions, clock)
    return StaffActions(member_stores.directory, member_stores.sessions, mail, SITE, clock)


def test_approval_gives_email_and_sms_for_everything_to_a_member_with_a_mobile(staff):
    staff.directory.add(a_member(mobile="+447700900001"))
    approved = staff.change_status("DaveM", "approve")
    assert approved.preferences == Preferences(channels=("email", "sms"), regions=(), risks=())
    assert staff.directory.find("DaveM").preferences == approved.preferences


def test_approval_gives_email_for_everything_to_a_member_without_one(staff):
    staff.directory.add(a_member())
    approved = staff.change_status("DaveM", "approve")
    assert approved.preferences == Preferences(channels=("email",), regions=(), risks=())


def test_approval_keeps_preferences_the_member_chose(staff):
    chosen = Preferences(channels=("sms",), regions=("kent",), risks=("high",), chosen=True)
    staff.directory.add(a_member(mobile="+447700900001", preferences=chosen))
    assert staff.change_status("DaveM", "approve").preferences == chosen


def test_reinstating_keeps_the_preferences_a_member_had(staff):
    staff.directory.add(a_member(mobile="+447700900001"))
    approved = staff.change_status("DaveM", "approve")
    narrowed = replace(approved.preferences, channels=("email",))
    staff.directory.save(replace(approved, preferences=narrowed))
    staff.change_status("DaveM", "suspend")
    assert staff.change_status("DaveM", "reinstate").preferences == narrowed
