"""The member directory and session store in SQLite (the local adapters).

Both live in the data directory's ``state.sqlite3``, created 0600. Uniqueness is the
database's: ``UNIQUE`` columns for the case-folded username and the e-mail address,
so two people joining at once with the same name cannot both get it. Every write is
one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from uglymugs.members.directory import (
    TOKEN_RETENTION,
    ApiToken,
    Attempt,
    EmailTakenError,
    Hits,
    Member,
    OneTimeToken,
    Session,
    TokenState,
    UnknownMemberError,
    UsernameTakenError,
    epoch,
    from_epoch,
    link_record,
    session_record,
    username_key,
    window_bounds,
)
from uglymugs.sqlite_transactions import create_private_database, immediate_transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY,
    username_key TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    expiration INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_member ON sessions (member_id);
CREATE TABLE IF NOT EXISTS one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    expiration INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_hits (
    id TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expiration INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    member_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used INTEGER
);
CREATE INDEX IF NOT EXISTS api_tokens_member ON api_tokens (member_id);
CREATE TABLE IF NOT EXISTS attempts (
    id TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    next_allowed INTEGER NOT NULL,
    expiration INTEGER NOT NULL
);
"""


class _SQLiteState:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        create_private_database(self.db_path, _SCHEMA)

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self.db_path)

    def _query(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as connection:
            return connection.execute(sql, parameters).fetchall()


class SQLiteMemberDirectory(_SQLiteState):
    """Members in the ``members`` table of ``db_path``."""

    def add(self, member: Member) -> None:
        try:
            with self._transaction() as connection:
                connection.execute(
                    "INSERT INTO members VALUES (?, ?, ?, ?, ?)",
                    (
                        member.id,
                        username_key(member.username),
                        member.email,
                        member.created_at,
                        member.to_json(),
                    ),
                )
        except sqlite3.IntegrityError as error:
            if "username_key" in str(error):
                raise UsernameTakenError("that username is taken") from None
            if "email" in str(error):
                raise EmailTakenError("that e-mail address is taken") from None
            raise

    def get(self, member_id: str) -> Member | None:
        rows = self._query("SELECT record FROM members WHERE id = ?", (member_id,))
        return Member.from_json(rows[0][0]) if rows else None

    def find(self, login: str) -> Member | None:
        login = login.strip()
        if "@" in login:
            rows = self._query("SELECT record FROM members WHERE email = ?", (login.lower(),))
        else:
            rows = self._query(
                "SELECT record FROM members WHERE username_key = ?", (username_key(login),)
            )
        return Member.from_json(rows[0][0]) if rows else None

    def members(self) -> list[Member]:
        rows = self._query("SELECT record FROM members ORDER BY created_at, id")
        return [Member.from_json(row[0]) for row in rows]

    def save(self, member: Member) -> None:
        with self._transaction() as connection:
            updated = connection.execute(
                "UPDATE members SET record = ? WHERE id = ? AND username_key = ? AND email = ?",
                (member.to_json(), member.id, username_key(member.username), member.email),
            ).rowcount
        if updated != 1:
            raise UnknownMemberError("no such member")

    def remove(self, member_id: str) -> bool:
        with self._transaction() as connection:
            return (
                connection.execute("DELETE FROM members WHERE id = ?", (member_id,)).rowcount == 1
            )


class SQLiteSessionStore(_SQLiteState):
    """Sessions, one-time links and rate-limit counters; expired rows are purged on write."""

    def put_session(self, session: Session) -> None:
        with self._transaction() as connection:
            self._purge(connection, session.created_at)
            connection.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                (
                    session.token_hash,
                    session.member_id,
                    epoch(session.created_at),
                    epoch(session.last_seen),
                    epoch(session.expires_at),
                ),
            )

    def get_session(self, token_hash: str) -> Session | None:
        rows = self._query(
            "SELECT member_id, created_at, last_seen, expiration FROM sessions "
            "WHERE token_hash = ?",
            (token_hash,),
        )
        if not rows:
            return None
        member_id, created, seen, expires = rows[0]
        return Session(
            token_hash, member_id, from_epoch(created), from_epoch(seen), from_epoch(expires)
        )

    def touch_session(self, token_hash: str, last_seen: datetime, expires_at: datetime) -> None:
        with self._transaction() as connection:
            connection.execute(
                "UPDATE sessions SET last_seen = ?, expiration = ? WHERE token_hash = ?",
                (epoch(last_seen), epoch(expires_at), token_hash),
            )

    def delete_session(self, token_hash: str) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def delete_sessions_of(self, member_id: str) -> int:
        with self._transaction() as connection:
            return connection.execute(
                "DELETE FROM sessions WHERE member_id = ?", (member_id,)
            ).rowcount

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        sessions = self._query(
            "SELECT created_at, last_seen, expiration FROM sessions WHERE member_id = ?",
            (member_id,),
        )
        links = self._query(
            "SELECT purpose, expires_at, used FROM one_time_tokens WHERE member_id = ?",
            (member_id,),
        )
        return sorted(
            [session_record(*map(from_epoch, row)) for row in sessions]
            + [
                link_record(purpose, from_epoch(expires), bool(used))
                for purpose, expires, used in links
            ],
            key=lambda record: sorted(record.items()),
        )

    def forget_member(self, member_id: str, counter_keys: Iterable[str] = ()) -> int:
        with self._transaction() as connection:
            removed = sum(
                connection.execute(
                    f"DELETE FROM {table} WHERE member_id = ?",  # noqa: S608 - fixed names
                    (member_id,),
                ).rowcount
                for table in ("sessions", "one_time_tokens")
            )
            for key in counter_keys:  # ids are "<key>#<window start>": '#' < '$'
                for table in ("rate_hits", "attempts"):
                    removed += connection.execute(
                        f"DELETE FROM {table} WHERE id > ? AND id < ?",  # noqa: S608 - fixed names
                        (f"{key}#", f"{key}$"),
                    ).rowcount
            return removed

    def put_token(self, token: OneTimeToken) -> None:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO one_time_tokens VALUES (?, ?, ?, ?, ?, ?)",
                (
                    token.token_hash,
                    token.member_id,
                    token.purpose,
                    epoch(token.expires_at),
                    int(token.used),
                    epoch(token.expires_at + TOKEN_RETENTION),
                ),
            )

    def get_token(self, token_hash: str) -> OneTimeToken | None:
        rows = self._query(
            "SELECT member_id, purpose, expires_at, used FROM one_time_tokens WHERE token_hash = ?",
            (token_hash,),
        )
        if not rows:
            return None
        member_id, purpose, expires_at, used = rows[0]
        return OneTimeToken(token_hash, member_id, purpose, from_epoch(expires_at), bool(used))

    def use_token(self, token_hash: str, now: datetime) -> TokenState:
        with self._transaction() as connection:
            row = connection.execute(
                "SELECT expires_at, used FROM one_time_tokens WHERE token_hash = ?",
                (token_hash,),
            ).fetchone()
            if row is None:
                return TokenState.UNKNOWN
            expires_at, used = row
            if used:
                return TokenState.ALREADY_USED
            if expires_at < epoch(now):
                return TokenState.EXPIRED
            connection.execute(
                "UPDATE one_time_tokens SET used = 1 WHERE token_hash = ?", (token_hash,)
            )
            return TokenState.USED_NOW

    def delete_tokens_of(self, member_id: str) -> int:
        with self._transaction() as connection:
            return connection.execute(
                "DELETE FROM one_time_tokens WHERE member_id = ?", (member_id,)
            ).rowcount

    def hits(self, key: str, window: timedelta, now: datetime) -> Hits:
        start, ends = window_bounds(window, now)
        rows = self._query("SELECT count FROM rate_hits WHERE id = ?", (f"{key}#{start}",))
        return Hits(rows[0][0] if rows else 0, ends)

    def add_hit(self, key: str, window: timedelta, now: datetime) -> Hits:
        start, ends = window_bounds(window, now)
        with self._transaction() as connection:
            self._purge(connection, now)
            (count,) = connection.execute(
                "INSERT INTO rate_hits VALUES (?, 1, ?) "
                "ON CONFLICT (id) DO UPDATE SET count = count + 1 RETURNING count",
                (f"{key}#{start}", epoch(ends)),
            ).fetchone()
        return Hits(count, ends)

    def remove_hit(self, key: str, window: timedelta, now: datetime) -> None:
        start, _ = window_bounds(window, now)
        with self._transaction() as connection:
            connection.execute(
                "UPDATE rate_hits SET count = count - 1 WHERE id = ? AND count > 0",
                (f"{key}#{start}",),
            )
            # A hit given back leaves no trace: the store is as it was before the claim.
            connection.execute(
                "DELETE FROM rate_hits WHERE id = ? AND count <= 0", (f"{key}#{start}",)
            )

    def claim_attempt(
        self, key: str, window: timedelta, now: datetime, delay: Callable[[int], timedelta]
    ) -> Attempt:
        start, ends = window_bounds(window, now)
        with self._transaction() as connection:  # BEGIN IMMEDIATE: read and write as one
            self._purge(connection, now)
            row = connection.execute(
                "SELECT count, next_allowed FROM attempts WHERE id = ?", (f"{key}#{start}",)
            ).fetchone()
            count, next_allowed = row if row else (0, 0)
            if next_allowed > epoch(now):
                return Attempt(False, count, from_epoch(next_allowed))
            count += 1
            allowed_at = now + delay(count)
            connection.execute(
                "INSERT INTO attempts VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "count = excluded.count, next_allowed = excluded.next_allowed",
                (f"{key}#{start}", count, epoch(allowed_at), epoch(max(ends, allowed_at))),
            )
        return Attempt(True, count, allowed_at)

    def clear_attempts(self, key: str, window: timedelta, now: datetime) -> None:
        start, _ = window_bounds(window, now)
        with self._transaction() as connection:
            connection.execute("DELETE FROM attempts WHERE id = ?", (f"{key}#{start}",))

    @staticmethod
    def _purge(connection: sqlite3.Connection, now: datetime) -> None:
        for table in ("sessions", "one_time_tokens", "rate_hits", "attempts"):
            connection.execute(f"DELETE FROM {table} WHERE expiration < ?", (epoch(now),))  # noqa: S608 - fixed names


class SQLiteApiTokenStore(_SQLiteState):
    """API tokens in the ``api_tokens`` table of ``db_path`` (beside the members)."""

    _COLUMNS = "id, token_hash, member_id, name, created_at, last_used"

    def add_token(self, token: ApiToken) -> None:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?)",
                (
                    token.id,
                    token.token_hash,
                    token.member_id,
                    token.name,
                    epoch(token.created_at),
                    epoch(token.last_used) if token.last_used else None,
                ),
            )

    def token(self, token_hash: str) -> ApiToken | None:
        rows = self._query(
            f"SELECT {self._COLUMNS} FROM api_tokens WHERE token_hash = ?",  # noqa: S608 - fixed names
            (token_hash,),
        )
        return _api_token(rows[0]) if rows else None

    def tokens_of(self, member_id: str) -> list[ApiToken]:
        rows = self._query(
            f"SELECT {self._COLUMNS} FROM api_tokens WHERE member_id = ? "  # noqa: S608 - fixed names
            "ORDER BY created_at, id",
            (member_id,),
        )
        return [_api_token(row) for row in rows]

    def mark_used(self, token_hash: str, when: datetime) -> None:
        with self._transaction() as connection:
            connection.execute(
                "UPDATE api_tokens SET last_used = ? WHERE token_hash = ?",
                (epoch(when), token_hash),
            )

    def revoke(self, member_id: str, token_id: str) -> bool:
        with self._transaction() as connection:
            return (
                connection.execute(
                    "DELETE FROM api_tokens WHERE id = ? AND member_id = ?", (token_id, member_id)
                ).rowcount
                == 1
            )

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        return [token.as_document() for token in self.tokens_of(member_id)]

    def forget_member(self, member_id: str) -> int:
        with self._transaction() as connection:
            return connection.execute(
                "DELETE FROM api_tokens WHERE member_id = ?", (member_id,)
            ).rowcount


def _api_token(row: tuple) -> ApiToken:
    token_id, token_hash, member_id, name, created, used = row
    return ApiToken(
        token_id,
        token_hash,
        member_id,
        name,
        from_epoch(created),
        from_epoch(used) if used is not None else None,
    )
