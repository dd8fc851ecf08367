"""Everything the scheme holds about one member: to give it to them, or to delete it.

A member may download what the scheme holds about them and may close their account;
a member who leaves, or whose application was rejected a while ago, is deleted. Both
need one list of where a member's data lives, kept here so the two cannot drift
apart: the member's directory record, their sessions and one-time links, the rate
counters keyed by their id, and the notify ledger's rows of what was sent to them.
None of it is content: password hashes and token hashes are never exported (they are
of no use to the member and a risk in a downloaded file).

This works on the local adapters' SQLite database (``state.sqlite3``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

# Tables holding rows keyed by a member's id, and the column holding it.
MEMBER_ROWS = (
    ("sessions", "sessions", "member_id"),
    ("one-time links", "one_time_tokens", "member_id"),
    ("notify deliveries", "notify_deliveries", "member_id"),
)
# Rate counter ids are ``<purpose>:<member id>#<window start>``.
COUNTER_PATTERN = "%:{member_id}#%"
NEVER_EXPORTED = ("password_hash", "join_digest")


def has_table(connection: sqlite3.Connection, table: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def forget_member(connection: sqlite3.Connection, member_id: str) -> dict[str, int]:
    """Delete every row about ``member_id`` in one transaction; return counts by kind."""
    removed: dict[str, int] = {}
    if has_table(connection, "members"):
        removed["member"] = connection.execute(
            "DELETE FROM members WHERE id = ?", (member_id,)
        ).rowcount
    for kind, table, column in MEMBER_ROWS:
        if has_table(connection, table):
            removed[kind] = connection.execute(
                f"DELETE FROM {table} WHERE {column} = ?",  # noqa: S608 - fixed names
                (member_id,),
            ).rowcount
    if has_table(connection, "rate_hits"):
        removed["rate counters"] = connection.execute(
            "DELETE FROM rate_hits WHERE id LIKE ?", (COUNTER_PATTERN.format(member_id=member_id),)
        ).rowcount
    return removed


def member_data(connection: sqlite3.Connection, member_id: str) -> dict[str, Any] | None:
    """What the scheme holds about ``member_id``, as a JSON-ready document; None if unknown."""
    if not has_table(connection, "members"):
        return None
    row = connection.execute("SELECT record FROM members WHERE id = ?", (member_id,)).fetchone()
    if row is None:
        return None
    record = json.loads(row[0])
    document: dict[str, Any] = {
        "member": {key: value for key, value in record.items() if key not in NEVER_EXPORTED},
        "has_password": bool(record.get("password_hash")),
    }
    document["sessions"] = _rows(
        connection,
        "sessions",
        "SELECT created_at, last_seen, expiration FROM sessions WHERE member_id = ? "
        "ORDER BY created_at",
        member_id,
        ("created_at", "last_seen", "expires_at"),
    )
    document["one_time_links"] = _rows(
        connection,
        "one_time_tokens",
        "SELECT purpose, expires_at, used FROM one_time_tokens WHERE member_id = ? "
        "ORDER BY expires_at",
        member_id,
        ("purpose", "expires_at", "used"),
    )
    document["alerts_sent"] = _rows(
        connection,
        "notify_deliveries",
        "SELECT alert, version, channel, state, attempts, updated_at FROM notify_deliveries "
        "WHERE member_id = ? ORDER BY updated_at, alert, channel",
        member_id,
        ("alert", "version", "channel", "state", "attempts", "updated_at"),
    )
    document["rate_counters"] = _rows(
        connection,
        "rate_hits",
        "SELECT id, count, expiration FROM rate_hits WHERE id LIKE ? ORDER BY id",
        COUNTER_PATTERN.format(member_id=member_id),
        ("counter", "count", "expires_at"),
    )
    return document


def _rows(
    connection: sqlite3.Connection, table: str, sql: str, parameter: str, names: tuple[str, ...]
) -> list[dict[str, Any]]:
    if not has_table(connection, table):
        return []
    return [
        {name: _readable(name, value) for name, value in zip(names, row, strict=True)}
        for row in connection.execute(sql, (parameter,))
    ]


def _readable(name: str, value: Any) -> Any:
    """Epoch seconds as ISO 8601 UTC; counter ids without the member id; the rest as is."""
    if name == "counter":
        return value.split(":", 1)[0]
    if name == "used":
        return bool(value)
    if name.endswith(("_at", "_seen")) and isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value
