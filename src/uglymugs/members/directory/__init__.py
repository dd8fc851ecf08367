"""The member directory and the session store: the ports, and what they hold.

The directory holds members: a pseudonymous username, contact details, what type of
member they are, their status, a password hash, their alert preferences and which of
their channels stopped working (a bounce, a complaint, an SMS opt-out) — the minimum a
scheme needs to approve someone and send them alerts. The session store
holds what is short-lived: sessions, one-time set-password links and the counters
behind rate limits; every item in it carries the time it may be deleted.

Adapters: :mod:`uglymugs.members.directory.sqlite` (local) and
:mod:`uglymugs.members.directory.dynamodb` (AWS). Uniqueness of usernames (case-insensitive)
and e-mail addresses is enforced by the store itself, atomically, never by a read first.

>>> directory.add(member)  # doctest: +SKIP
>>> directory.find("DaveM").id == member.id  # doctest: +SKIP
True
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol


class MembershipType(StrEnum):
    INDIVIDUAL = "individual"
    PROJECT = "project"
    SITE = "site"


class MemberStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class MemberExistsError(Exception):
    """A new member whose username or e-mail address another member already has."""


class UsernameTakenError(MemberExistsError):
    """The username (compared case-insensitively) belongs to another member."""


class EmailTakenError(MemberExistsError):
    """The e-mail address belongs to another member."""


class UnknownMemberError(LookupError):
    """An update for a member the directory does not hold."""


def username_key(username: str) -> str:
    """How usernames are compared: ``DaveM`` and ``davem`` are the same username."""
    return username.casefold()


def new_member_id() -> str:
    """Random, so an id says nothing about when or in what order anyone joined."""
    return secrets.token_hex(16)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Preferences:
    """How and about what a member hears: channels, regions (empty: all), risks (empty: all).

    ``chosen`` is whether the member saved these themselves; until they do, approval
    gives them :meth:`defaults_for` (the API document leaves it out).
    """

    channels: tuple[str, ...] = ("email",)
    regions: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    discreet_sms: bool = False
    chosen: bool = False

    @classmethod
    def defaults_for(cls, mobile: str | None) -> Preferences:
        """Every alert, by e-mail, and by SMS too when there is a mobile number."""
        return cls(channels=("email", "sms") if mobile else ("email",))

    def as_document(self) -> dict[str, Any]:
        return {
            "channels": list(self.channels),
            "regions": list(self.regions),
            "risks": list(self.risks),
            "discreet_sms": self.discreet_sms,
        }


@dataclass(frozen=True)
class Member:
    """One member as the directory holds them."""

    id: str
    membership_type: str
    username: str
    email: str  # normalised (lower-case)
    status: str
    created_at: str
    updated_at: str
    mobile: str | None = None  # E.164
    organisation: str | None = None
    contact_role: str | None = None
    service_users: tuple[str, ...] = ()
    monitoring: dict[str, str] = field(default_factory=dict)
    password_hash: str | None = None
    preferences: Preferences = field(default_factory=Preferences)
    join_digest: str = ""  # SHA-256 of the join request, to recognise a retry
    # channel -> why and since when it fails: "permanent bounce 2026-11-23T12:00:00Z"
    failing_channels: dict[str, str] = field(default_factory=dict)
    # The member's language (a site language code, :mod:`uglymugs.languages`): chosen
    # at join, changed in preferences; their e-mails and texts are written in it.
    language: str = "en"
    # When the member last confirmed or changed their mobile number (the SMS reminder).
    mobile_confirmed_at: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Member:
        """The member :meth:`to_json` wrote. Notify reads every member this way (10,000:
        the frozen dataclass's ``__init__`` cost twice the JSON parsing), so a record
        with every field fills the instance at once, as ``__init__`` would (it checks
        nothing); an older record, missing fields, goes through ``__init__``'s defaults."""
        data = json.loads(text)
        data["service_users"] = tuple(data.get("service_users", ()))
        prefs = data.get("preferences", {})
        data["preferences"] = _preferences(
            tuple(prefs.get("channels", ("email",))),
            tuple(prefs.get("regions", ())),
            tuple(prefs.get("risks", ())),
            bool(prefs.get("discreet_sms", False)),
            bool(prefs.get("chosen", False)),
        )
        data["failing_channels"] = dict(data.get("failing_channels", {}))
        if data.keys() != _MEMBER_FIELDS:
            return cls(**data)  # defaults filled in; an unknown field is refused
        member = object.__new__(cls)
        member.__dict__.update(data)
        return member

    def channel_failing(self, channel: str) -> bool:
        """Whether messages on ``channel`` (``email``, ``sms``) stopped reaching this member."""
        return channel in self.failing_channels

    def with_channel_failing(self, channel: str, reason: str, now: datetime) -> Member:
        """A copy with ``channel`` failing for ``reason`` (e.g. ``complaint``) since ``now``."""
        failing = {**self.failing_channels, channel: f"{reason} {timestamp(now)}"}
        return self.changed(now, failing_channels=failing)

    def changed(self, now: datetime, **changes: Any) -> Member:
        """A copy with ``changes`` and a new ``updated_at`` (never username or e-mail)."""
        if {"id", "username", "email"} & set(changes):
            raise ValueError("a member's id, username and e-mail address never change")
        return replace(self, updated_at=timestamp(now), **changes)


_MEMBER_FIELDS = frozenset(item.name for item in fields(Member))


@functools.lru_cache(maxsize=1024)
def _preferences(
    channels: tuple[str, ...],
    regions: tuple[str, ...],
    risks: tuple[str, ...],
    discreet_sms: bool,
    chosen: bool,
) -> Preferences:
    """One (frozen) instance for the members who chose alike, most of them."""
    return Preferences(channels, regions, risks, discreet_sms, chosen)


class MemberDirectory(Protocol):
    """Members by id, username (case-insensitive) or e-mail address."""

    def add(self, member: Member) -> None:
        """Store a new member; raise :class:`UsernameTakenError` or :class:`EmailTakenError`."""
        ...

    def get(self, member_id: str) -> Member | None: ...

    def find(self, login: str) -> Member | None:
        """The member whose e-mail address (if ``login`` has an ``@``) or username is ``login``."""
        ...

    def members(self) -> list[Member]:
        """Every member, oldest first (for staff)."""
        ...

    def save(self, member: Member) -> None:
        """Replace an existing member's record; raise :class:`UnknownMemberError`."""
        ...

    def remove(self, member_id: str) -> bool:
        """Delete a member, username and e-mail address included (retention, a closed
        account); False if there was no such member."""
        ...


@dataclass(frozen=True)
class Session:
    """A logged-in browser: only the SHA-256 of its token is stored."""

    token_hash: str
    member_id: str
    created_at: datetime
    last_seen: datetime
    expires_at: datetime  # the earlier of the idle and the absolute limit


@dataclass(frozen=True)
class OneTimeToken:
    """A set-password link: the SHA-256 of its token, whose it is, until when, whether used."""

    token_hash: str
    member_id: str
    purpose: str
    expires_at: datetime
    used: bool = False


class TokenState(StrEnum):
    USED_NOW = "used_now"
    ALREADY_USED = "already_used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


# Used and expired links are kept this long after they expire, so that following an
# old link says "expired" or "used" rather than "unknown".
TOKEN_RETENTION = timedelta(days=7)


@dataclass(frozen=True)
class Hits:
    """How many events a rate-limit key has in its current window, and when it ends."""

    count: int
    window_ends: datetime


@dataclass(frozen=True)
class Attempt:
    """One claimed attempt of a throttled key: whether it may go ahead, the attempts
    counted in the window (this one included when allowed), and when the next is allowed."""

    allowed: bool
    count: int
    next_allowed: datetime


class SessionStore(Protocol):
    """Sessions, one-time links and rate-limit counters; everything expires."""

    def put_session(self, session: Session) -> None: ...

    def get_session(self, token_hash: str) -> Session | None: ...

    def touch_session(self, token_hash: str, last_seen: datetime, expires_at: datetime) -> None:
        """Record activity on a session (a missing session stays missing)."""
        ...

    def delete_session(self, token_hash: str) -> None: ...

    def delete_sessions_of(self, member_id: str) -> int:
        """End every session of a member at once; return how many there were."""
        ...

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        """A member's sessions and links, for their data download: kinds and times,
        never token hashes."""
        ...

    def forget_member(self, member_id: str, counter_keys: Iterable[str] = ()) -> int:
        """Delete every session and one-time link of a member (a closed account) and
        every rate counter and attempt counter under ``counter_keys`` (the keyed hashes
        of their id, username and address, :mod:`uglymugs.members.counter_keys`);
        return how many items went."""
        ...

    def put_token(self, token: OneTimeToken) -> None: ...

    def get_token(self, token_hash: str) -> OneTimeToken | None: ...

    def use_token(self, token_hash: str, now: datetime) -> TokenState:
        """Mark a live, unused link used, atomically: of two uses, exactly one succeeds."""
        ...

    def delete_tokens_of(self, member_id: str) -> int:
        """Cancel every link of a member (a newer one replaces them); return how many."""
        ...

    def hits(self, key: str, window: timedelta, now: datetime) -> Hits:
        """The count of ``key`` in the fixed window holding ``now``, without adding one."""
        ...

    def add_hit(self, key: str, window: timedelta, now: datetime) -> Hits:
        """Count one event of ``key`` in the fixed window holding ``now``, atomically."""
        ...

    def remove_hit(self, key: str, window: timedelta, now: datetime) -> None:
        """Take back one event counted by :meth:`add_hit` (it turned out not to count)."""
        ...

    def claim_attempt(
        self, key: str, window: timedelta, now: datetime, delay: Callable[[int], timedelta]
    ) -> Attempt:
        """Count an attempt unless an earlier one's delay still runs, atomically (a
        compare-and-set): the ``n``-th attempt in the window holds the next one back by
        ``delay(n)``. Two concurrent claims never both pass while a delay runs."""
        ...

    def clear_attempts(self, key: str, window: timedelta, now: datetime) -> None:
        """Forget the attempts of ``key`` in the current window (the right password)."""
        ...


def window_bounds(window: timedelta, now: datetime) -> tuple[int, datetime]:
    """The fixed window holding ``now``: its start (epoch seconds) and its end."""
    size = int(window.total_seconds())
    start = int(now.timestamp()) // size * size
    return start, datetime.fromtimestamp(start + size, UTC)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def session_record(created: datetime, last_seen: datetime, expires: datetime) -> dict[str, Any]:
    """A session as a member's data download shows it (never its token hash)."""
    return {
        "kind": "session",
        "created_at": timestamp(created),
        "last_seen": timestamp(last_seen),
        "expires_at": timestamp(expires),
    }


def link_record(purpose: str, expires: datetime, used: bool) -> dict[str, Any]:
    """A one-time link as a member's data download shows it (never its token hash)."""
    return {"kind": "link", "purpose": purpose, "expires_at": timestamp(expires), "used": used}


@dataclass(frozen=True)
class ApiToken:
    """A project's or site's read-only API token: only the SHA-256 of the token is stored.

    ``id`` is random and names the token in the member area (to revoke it); the token
    itself is shown once, when it is made, and cannot be read back from the store.
    """

    id: str
    token_hash: str
    member_id: str
    name: str
    created_at: datetime
    last_used: datetime | None = None

    def as_document(self) -> dict[str, Any]:
        """The token as the member area and the data download show it (never its hash)."""
        return {
            "id": self.id,
            "name": self.name,
            "created_at": timestamp(self.created_at),
            "last_used": timestamp(self.last_used) if self.last_used else None,
        }


class ApiTokenStore(Protocol):
    """Members' API tokens, by the SHA-256 of the token and by member."""

    def add_token(self, token: ApiToken) -> None: ...

    def token(self, token_hash: str) -> ApiToken | None: ...

    def tokens_of(self, member_id: str) -> list[ApiToken]:
        """A member's tokens, oldest first."""
        ...

    def mark_used(self, token_hash: str, when: datetime) -> None:
        """Note the token's last use (a revoked token stays revoked)."""
        ...

    def revoke(self, member_id: str, token_id: str) -> bool:
        """Delete the member's token ``token_id`` at once; False if they have no such token."""
        ...

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        """A member's tokens for their data download: names and times, never hashes."""
        ...

    def forget_member(self, member_id: str) -> int:
        """Delete every token of a member (a closed account); return how many."""
        ...
