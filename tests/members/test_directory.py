"""The member directory and session store: one contract, SQLite and DynamoDB (moto)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.members.factories import a_member
from uglymugs.members.directory import (
    EmailTakenError,
    Member,
    OneTimeToken,
    Preferences,
    Session,
    TokenState,
    UnknownMemberError,
    UsernameTakenError,
)


def test_a_member_is_found_by_id_username_in_any_case_and_email(member_stores):
    directory, _ = member_stores
    member = a_member(mobile="+447700900001", service_users=("women",))
    directory.add(member)
    assert directory.get(member.id) == member
    assert directory.find("davem") == member
    assert directory.find(" DAVEM ") == member
    assert directory.find("Dave@Example.org") == member
    assert directory.find("nobody") is None
    assert directory.find("nobody@example.org") is None
    assert directory.get("0" * 32) is None


def test_usernames_are_unique_whatever_their_case(member_stores):
    directory, _ = member_stores
    directory.add(a_member())
    with pytest.raises(UsernameTakenError):
        directory.add(a_member("davem", "other@example.org"))
    assert [m.username for m in directory.members()] == ["DaveM"]


def test_email_addresses_are_unique(member_stores):
    directory, _ = member_stores
    directory.add(a_member())
    with pytest.raises(EmailTakenError):
        directory.add(a_member("Other", "dave@example.org"))
    assert len(directory.members()) == 1
    # The failed add left nothing behind: the other username is still free.
    directory.add(a_member("Other", "other@example.org"))


def test_save_replaces_the_record_but_never_the_username(member_stores, clock):
    directory, _ = member_stores
    member = a_member()
    directory.add(member)
    approved = member.changed(
        clock(), status="approved", preferences=Preferences(regions=("kent",))
    )
    directory.save(approved)
    assert directory.get(member.id) == approved
    with pytest.raises(ValueError):
        member.changed(clock(), username="x")
    with pytest.raises(UnknownMemberError):
        directory.save(a_member("Ghost", "ghost@example.org"))


def test_members_are_listed_oldest_first(member_stores):
    directory, _ = member_stores
    later = a_member("B", "b@example.org", created_at="2026-11-24T00:00:00Z")
    earlier = a_member("A", "a@example.org")
    directory.add(later)
    directory.add(earlier)
    assert [m.username for m in directory.members()] == ["A", "B"]


def test_a_removed_member_leaves_their_username_and_address_free(member_stores):
    directory = member_stores.directory
    member = a_member()
    directory.add(member)
    assert directory.remove(member.id) is True
    assert directory.get(member.id) is None and directory.find("DaveM") is None
    assert directory.find("dave@example.org") is None and directory.members() == []
    assert directory.remove(member.id) is False
    directory.add(a_member())  # the same name and address may join again


def test_member_records_round_trip_through_json():
    member = a_member(monitoring={"work": "prefer_not_to_say"}, preferences=Preferences(("sms",)))
    assert Member.from_json(member.to_json()) == member
    chosen = a_member(
        preferences=Preferences(("email",), chosen=True),
        failing_channels={"sms": "opted out 2026-11-23T12:00:00Z"},
    )
    assert Member.from_json(chosen.to_json()) == chosen


def test_records_from_before_failing_channels_and_chosen_preferences_still_load():
    document = json.loads(a_member().to_json())
    del document["failing_channels"], document["preferences"]["chosen"]
    member = Member.from_json(json.dumps(document))
    assert member.failing_channels == {} and not member.channel_failing("email")
    assert member.preferences.chosen is False


def test_a_failing_channel_is_recorded_with_its_reason_and_time(member_stores):
    directory, _ = member_stores
    member = a_member(mobile="+447700900001")
    directory.add(member)
    when = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    failing = member.with_channel_failing("email", "permanent bounce", when)
    assert failing.updated_at == "2026-11-23T12:00:00Z"
    directory.save(failing)
    stored = directory.get(member.id)
    assert stored.failing_channels == {"email": "permanent bounce 2026-11-23T12:00:00Z"}
    assert stored.channel_failing("email") and not stored.channel_failing("sms")


def test_the_preferences_document_is_what_the_api_always_showed():
    document = Preferences(chosen=True).as_document()
    assert set(document) == {"channels", "regions", "risks", "discreet_sms"}


def test_sessions_are_stored_touched_and_deleted_per_member(member_stores, clock):
    _, sessions = member_stores
    now = clock()
    first = Session("a" * 64, "m1", now, now, now + timedelta(minutes=30))
    second = Session("b" * 64, "m1", now, now, now + timedelta(minutes=30))
    other = Session("c" * 64, "m2", now, now, now + timedelta(minutes=30))
    for session in (first, second, other):
        sessions.put_session(session)
    assert sessions.get_session("a" * 64) == first
    later = now + timedelta(minutes=5)
    sessions.touch_session("a" * 64, later, later + timedelta(minutes=30))
    assert sessions.get_session("a" * 64).last_seen == later
    assert sessions.delete_sessions_of("m1") == 2
    assert sessions.get_session("a" * 64) is None
    assert sessions.get_session("b" * 64) is None
    assert sessions.get_session("c" * 64) == other
    sessions.delete_session("c" * 64)
    assert sessions.get_session("c" * 64) is None
    sessions.touch_session("c" * 64, later, later)  # a deleted session stays deleted
    assert sessions.get_session("c" * 64) is None


def test_a_one_time_token_is_used_once(member_stores, clock):
    _, sessions = member_stores
    token = OneTimeToken("d" * 64, "m1", "set-password", clock() + timedelta(hours=48))
    sessions.put_token(token)
    assert sessions.get_token("d" * 64) == token
    assert sessions.use_token("d" * 64, clock()) is TokenState.USED_NOW
    assert sessions.use_token("d" * 64, clock()) is TokenState.ALREADY_USED
    assert sessions.get_token("d" * 64).used
    assert sessions.use_token("e" * 64, clock()) is TokenState.UNKNOWN


def test_an_expired_token_cannot_be_used(member_stores, clock):
    _, sessions = member_stores
    sessions.put_token(OneTimeToken("d" * 64, "m1", "set-password", clock() + timedelta(hours=48)))
    clock.advance(timedelta(hours=48, seconds=1))
    assert sessions.use_token("d" * 64, clock()) is TokenState.EXPIRED
    assert not sessions.get_token("d" * 64).used


def test_hits_count_within_a_fixed_window(member_stores, clock):
    _, sessions = member_stores
    window = timedelta(minutes=15)
    assert sessions.hits("login:x", window, clock()).count == 0
    for expected in (1, 2, 3):
        assert sessions.add_hit("login:x", window, clock()).count == expected
    assert sessions.hits("login:x", window, clock()).count == 3
    assert sessions.hits("login:y", window, clock()).count == 0
    ends = sessions.hits("login:x", window, clock()).window_ends
    assert ends > clock()
    clock.now = ends
    assert sessions.hits("login:x", window, clock()).count == 0
    assert sessions.add_hit("login:x", window, clock()).count == 1


def test_forget_member_ends_sessions_and_links_of_that_member_only(member_stores, clock):
    _, sessions = member_stores
    now = clock()
    for member_id in ("m-leaving", "m-stays"):
        later = now + timedelta(hours=1)
        sessions.put_session(Session(f"s-{member_id}", member_id, now, now, later))
        sessions.put_token(OneTimeToken(f"t-{member_id}", member_id, "set_password", later))
    assert sessions.forget_member("m-leaving") == 2
    assert sessions.get_session("s-m-leaving") is None and sessions.get_token("t-m-leaving") is None
    assert sessions.get_session("s-m-stays") is not None
    assert sessions.get_token("t-m-stays") is not None
