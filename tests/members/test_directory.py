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


def test_a_record_with_a_field_no_member_has_is_refused():
    """Read fast when every field is there (notify reads every member), but never by
    taking a field ``Member`` does not have."""
    document = json.loads(a_member().to_json())
    document["shoe_size"] = 9
    with pytest.raises(TypeError):
        Member.from_json(json.dumps(document))


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
    window = timedelta(hours=1)
    for key in ("check:k-leaving", "check:k-stays"):
        sessions.add_hit(key, window, now)
        sessions.claim_attempt(key.replace("check", "login"), window, now, lambda n: window * 0)
    counters = ("check:k-leaving", "login:k-leaving")
    assert sessions.forget_member("m-leaving", counters) == 4
    assert sessions.hits("check:k-leaving", window, now).count == 0
    assert sessions.hits("check:k-stays", window, now).count == 1
    assert sessions.get_session("s-m-leaving") is None and sessions.get_token("t-m-leaving") is None
    assert sessions.get_session("s-m-stays") is not None
    assert sessions.get_token("t-m-stays") is not None


def test_a_removed_hit_no_longer_counts(member_stores, clock):
    _, sessions = member_stores
    window = timedelta(minutes=10)
    sessions.add_hit("check:x", window, clock())
    sessions.add_hit("check:x", window, clock())
    sessions.remove_hit("check:x", window, clock())
    assert sessions.hits("check:x", window, clock()).count == 1
    sessions.remove_hit("check:x", window, clock())
    sessions.remove_hit("check:x", window, clock())  # never below zero
    assert sessions.hits("check:x", window, clock()).count == 0
    assert sessions.add_hit("check:x", window, clock()).count == 1


def test_claimed_attempts_wait_out_the_delay_of_the_one_before(member_stores, clock):
    _, sessions = member_stores
    window, delay = timedelta(hours=1), lambda n: timedelta(seconds=10 * (n - 1))
    first = sessions.claim_attempt("login:x", window, clock(), delay)
    assert (first.allowed, first.count, first.next_allowed) == (True, 1, clock())
    second = sessions.claim_attempt("login:x", window, clock(), delay)
    assert (second.allowed, second.count) == (True, 2)
    assert second.next_allowed == clock() + timedelta(seconds=10)
    clock.advance(timedelta(seconds=9))
    refused = sessions.claim_attempt("login:x", window, clock(), delay)
    assert (refused.allowed, refused.count) == (False, 2)
    assert refused.next_allowed == second.next_allowed
    assert sessions.claim_attempt("login:y", window, clock(), delay).allowed  # its own counter
    clock.advance(timedelta(seconds=1))
    third = sessions.claim_attempt("login:x", window, clock(), delay)
    assert (third.allowed, third.count) == (True, 3)


def test_cleared_attempts_start_again_and_a_new_window_forgets(member_stores, clock):
    _, sessions = member_stores
    window, delay = timedelta(hours=1), lambda n: timedelta(seconds=30)
    sessions.claim_attempt("login:x", window, clock(), delay)
    assert not sessions.claim_attempt("login:x", window, clock(), delay).allowed
    sessions.clear_attempts("login:x", window, clock())
    assert sessions.claim_attempt("login:x", window, clock(), delay).count == 1
    clock.advance(timedelta(hours=1))
    assert sessions.claim_attempt("login:x", window, clock(), delay).count == 1


def test_concurrent_claims_never_both_pass_while_a_delay_runs(local_member_stores, clock):
    """SQLite: threads race for real. (moto does not lock a conditional update, so the
    DynamoDB adapter's compare-and-set is shown by the interleaving test below.)"""
    from concurrent.futures import ThreadPoolExecutor

    _, sessions = local_member_stores
    window, delay = timedelta(hours=1), lambda n: timedelta(minutes=1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(
            pool.map(lambda _: sessions.claim_attempt("login:x", window, clock(), delay), range(16))
        )
    assert sum(claim.allowed for claim in claims) == 1


def test_deleting_a_members_tokens_leaves_other_members_tokens(member_stores, clock):
    _, sessions = member_stores
    later = clock() + timedelta(hours=48)
    for token_hash, member in (("a" * 64, "m1"), ("b" * 64, "m1"), ("c" * 64, "m2")):
        sessions.put_token(OneTimeToken(token_hash, member, "set-password", later))
    sessions.put_session(Session("d" * 64, "m1", clock(), clock(), later))
    assert sessions.delete_tokens_of("m1") == 2
    assert sessions.get_token("a" * 64) is None and sessions.get_token("b" * 64) is None
    assert sessions.get_token("c" * 64) is not None
    assert sessions.get_session("d" * 64) is not None  # sessions are not links


class InterleavingClient:
    """A DynamoDB client that lets another instance claim first, just before this
    instance's first conditional update of an attempts item: the race, made certain."""

    def __init__(self, client, competitor) -> None:
        self._client = client
        self._competitor = competitor

    def update_item(self, **request):
        if self._competitor is not None and request["Key"]["id"]["S"].startswith("attempts#"):
            competitor, self._competitor = self._competitor, None
            competitor()
        return self._client.update_item(**request)

    def __getattr__(self, name):
        return getattr(self._client, name)


@pytest.mark.parametrize("earlier", [0, 1], ids=["new item", "existing item"])
def test_a_dynamodb_claim_that_loses_the_race_reads_again_and_waits(aws_resources, clock, earlier):
    import boto3

    from uglymugs.members.directory.dynamodb import DynamoDBSessionStore

    window = timedelta(hours=1)

    def delay(n):  # no delay for the earlier attempts, a minute after the one that wins
        return timedelta(0) if n <= earlier else timedelta(minutes=1)

    other = DynamoDBSessionStore(aws_resources.sessions_table)
    for _ in range(earlier):
        assert other.claim_attempt("login:x", window, clock(), delay).allowed
    won = []
    client = InterleavingClient(
        boto3.client("dynamodb"),
        lambda: won.append(other.claim_attempt("login:x", window, clock(), delay)),
    )
    store = DynamoDBSessionStore(aws_resources.sessions_table, client=client)
    lost = store.claim_attempt("login:x", window, clock(), delay)
    assert [claim.allowed for claim in won] == [True]
    assert (lost.allowed, lost.count) == (False, earlier + 1)
    assert lost.next_allowed == clock() + timedelta(minutes=1)
