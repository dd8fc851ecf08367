"""A member answering the survey: is a round open, have they answered, record once.

The marker is ``CounterKeys.key("survey", "<round>\\x00<member id>")``: an HMAC under
the scheme's secret, so the survey store alone cannot tell whose marker it is, and
nobody without the secret can test a member id against it. The client's submission
id is kept (keyed too) beside the marker only, so that a retry of the same answers is
recognised (and stores nothing) while a second, different answer is refused.
Nothing here logs, and nothing about the member reaches the response.

Rotating the counter-key secret during a round would let members answer that round
again: rotate it between rounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.survey import SurveyResponse, SurveyRound, SurveyStore
from uglymugs.members.survey_rounds import current_round


@dataclass(frozen=True)
class SurveyTaking:
    """The survey as the member API offers it."""

    store: SurveyStore
    keys: CounterKeys
    clock: Callable[[], datetime]

    def open_round(self) -> SurveyRound | None:
        return current_round(self.store, self.clock().date())

    def has_answered(self, survey_round: SurveyRound, member_id: str) -> bool:
        return self.store.has_answered(survey_round.id, self._marker(survey_round.id, member_id))

    def answer(self, member_id: str, submission: str, response: SurveyResponse) -> bool:
        """Record ``response`` for the member; True if stored now, False for a retry.

        Raises :class:`~uglymugs.members.survey.AlreadyAnsweredError` when the member
        answered this round with another submission.
        """
        return self.store.record(
            self._marker(response.round_id, member_id),
            self.keys.key("survey-submission", submission),
            response,
        )

    def _marker(self, round_id: str, member_id: str) -> str:
        return self.keys.key("survey", f"{round_id}\x00{member_id}")
