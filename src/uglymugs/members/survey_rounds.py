"""Survey rounds as staff run them: open one (with its closing date), close it early.

One round is open at a time, so a member is never asked twice at once and a figure
always belongs to one stretch of time. Re-opening a round (or giving it a later
closing date) keeps its markers: whoever answered it still cannot answer again.

>>> from uglymugs.members.survey.sqlite import SQLiteSurveyStore  # doctest: +SKIP
>>> open_round(store, "2026-autumn", date(2026, 12, 31), today=date(2026, 11, 29))  # doctest: +SKIP
SurveyRound(id='2026-autumn', closes=datetime.date(2026, 12, 31), closed=False)
"""

from __future__ import annotations

from datetime import date

from uglymugs.members.survey import SurveyRound, SurveyStore, UnknownRoundError, valid_round_id


class RoundError(Exception):
    """A round that cannot be opened or closed as asked; the message says why."""


def current_round(store: SurveyStore, today: date) -> SurveyRound | None:
    """The round members may answer today, if any."""
    open_rounds = [r for r in store.rounds() if r.is_open(today)]
    return min(open_rounds, key=lambda r: (r.closes, r.id)) if open_rounds else None


def open_round(store: SurveyStore, round_id: str, closes: date, today: date) -> SurveyRound:
    """Open ``round_id`` until the end of ``closes``; :class:`RoundError` if not possible."""
    if not valid_round_id(round_id):
        raise RoundError(
            "a round id is 1 to 40 lower-case letters, digits and dashes, e.g. 2026-autumn"
        )
    if closes < today:
        raise RoundError(f"--closes {closes.isoformat()} is in the past")
    other = current_round(store, today)
    if other is not None and other.id != round_id:
        raise RoundError(f"round {other.id} is open until {other.closes}: close it first")
    survey_round = SurveyRound(round_id, closes)
    store.save_round(survey_round)
    return survey_round


def close_round(store: SurveyStore, round_id: str) -> SurveyRound:
    """Stop taking answers for ``round_id`` now; :class:`UnknownRoundError` if none."""
    found = store.round(round_id)
    if found is None:
        raise UnknownRoundError(round_id)
    closed = SurveyRound(found.id, found.closes, closed=True)
    store.save_round(closed)
    return closed
