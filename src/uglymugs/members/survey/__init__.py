"""The member survey's store: rounds, who has answered (keyed hashes), and the answers.

A survey round is opened by staff (``uglymugs survey open``) and answered in the
member area, once per member per round, anonymously. Anonymity is the store's shape,
not a promise: the marker that a member has answered a round is an HMAC of the
member's id and the round under the scheme's secret
(:class:`~uglymugs.members.counter_keys.CounterKeys`), kept in a table of its own; an
answer is kept in another, under a random id, with the round and the answers only —
no member id, session, time or address, and nothing shared with the marker to join
the two by. Both are written in one transaction, so a crash neither loses an answer
whose marker was written nor leaves a marker without its answer, and a retried
submission (the same ``submission`` digest) finds its marker and stores nothing.

Adapters: :mod:`.sqlite` (local) and :mod:`.dynamodb` (AWS: two tables, one
``TransactWriteItems``). :mod:`uglymugs.composition` chooses one.

>>> SurveyRound("2026-autumn", date(2026, 12, 31)).is_open(date(2026, 12, 31))
True
>>> SurveyRound("2026-autumn", date(2026, 12, 31), closed=True).is_open(date(2026, 12, 1))
False
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Protocol

# Each question and its answers, in the order the form shows them. Every question must
# be answered; "prefer_not_to_say" is an answer like the others.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "alert_helped": ("yes", "no", "prefer_not_to_say"),
    "feel_safer": ("yes", "no", "prefer_not_to_say"),
}
COMMENT_MAX_CHARACTERS = 1000
ROUND_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
_ROUND = re.compile(ROUND_PATTERN)


class SurveyStoreError(Exception):
    """A survey store operation that cannot be done as asked."""


class AlreadyAnsweredError(SurveyStoreError):
    """This member's marker for the round exists, from another submission."""


class UnknownRoundError(SurveyStoreError, LookupError):
    """No survey round has this id."""


def valid_round_id(round_id: str) -> bool:
    """Round ids are short lower-case slugs: ``2026-autumn``, ``2027-1``."""
    return bool(_ROUND.match(round_id))


def new_response_id() -> str:
    """Random: the order of answers in storage says nothing about who or when."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class SurveyRound:
    """A round: answers are taken until the end of ``closes`` (UTC), unless ``closed``."""

    id: str
    closes: date
    closed: bool = False

    def is_open(self, today: date) -> bool:
        return not self.closed and today <= self.closes


@dataclass(frozen=True)
class SurveyResponse:
    """One member's answers to one round: nothing that says whose, or when."""

    round_id: str
    answers: dict[str, str]  # question -> answer, one of QUESTIONS[question]
    comment: str | None = None  # staff only: never shown to members nor in figures


class SurveyStore(Protocol):
    """Rounds, answered-markers and answers (see the module)."""

    def save_round(self, survey_round: SurveyRound) -> None:
        """Add the round, or replace its closing date and closed flag."""
        ...

    def round(self, round_id: str) -> SurveyRound | None: ...

    def rounds(self) -> list[SurveyRound]:
        """Every round, by id."""
        ...

    def has_answered(self, round_id: str, marker: str) -> bool: ...

    def record(self, marker: str, submission: str, response: SurveyResponse) -> bool:
        """Store the marker and the response together; True if stored now.

        False when this marker was stored with this ``submission`` before (a retry:
        nothing new is stored); :class:`AlreadyAnsweredError` when it was stored with
        another.
        """
        ...

    def responses(self, round_id: str) -> list[SurveyResponse]:
        """The round's answers, in the store's (random) order."""
        ...
