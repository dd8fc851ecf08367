"""The member survey's results for funders: percentages, 95% intervals, small counts hidden.

Per question, each answer's count and its share of the round's answers with a 95%
Wilson score interval (which stays inside 0–100% and behaves with small samples and
shares near 0 or 100%, where the textbook normal interval does not). The quantile
comes from :class:`statistics.NormalDist`. Like every figure for funders, nothing
between 1 and ``suppressed_below`` − 1 is shown: a round with fewer answers shows no
results at all; within a round, such a count (and its share) prints as null, and so do
the next smallest answers of the same question until the hidden ones sum to K or more,
since the question's total is shown and would let a reader work them out. Free
comments are counted, never shown here.

>>> low, high = wilson_interval(30, 40)
>>> round(low, 3), round(high, 3)
(0.598, 0.858)
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

from uglymugs.members.survey import QUESTIONS, SurveyResponse, SurveyRound, SurveyStore

CONFIDENCE = 0.95


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``n`` (as shares, 0 to 1)."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError("need 0 <= successes <= n and n > 0")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    share = successes / n
    scale = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / scale
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / scale
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def survey_figures(store: SurveyStore | None, suppressed_below: int) -> dict[str, Any]:
    """Every round's results (``uglymugs stats``' ``"survey"`` key and the funder report);
    no rounds without a store (:func:`uglymugs.composition.existing_survey_store`)."""
    if store is None:
        return {"suppressed_below": suppressed_below, "confidence": CONFIDENCE, "rounds": []}
    return {
        "suppressed_below": suppressed_below,
        "confidence": CONFIDENCE,
        "rounds": [
            round_figures(r, store.responses(r.id), suppressed_below)
            for r in sorted(store.rounds(), key=lambda r: (r.closes, r.id))
        ],
    }


def round_figures(
    survey_round: SurveyRound, responses: list[SurveyResponse], suppressed_below: int
) -> dict[str, Any]:
    """One round: its answers' count and, with enough answers, each question's figures."""
    n = len(responses)
    figures: dict[str, Any] = {
        "round": survey_round.id,
        "closes": survey_round.closes.isoformat(),
        "closed": survey_round.closed,
        "answers": _shown(n, suppressed_below),
        "suppressed": 0 < n < suppressed_below,
        "comments": None,
        "questions": None,
    }
    if n == 0 or n < suppressed_below:
        return figures
    figures["comments"] = _shown(sum(1 for r in responses if r.comment), suppressed_below)
    figures["questions"] = {
        question: _question(question, responses, suppressed_below) for question in QUESTIONS
    }
    return figures


def _question(question: str, responses: list[SurveyResponse], k: int) -> dict[str, Any]:
    n = len(responses)
    counts = {answer: 0 for answer in QUESTIONS[question]}
    for response in responses:
        counts[response.answers[question]] += 1
    hidden = {answer for answer, count in counts.items() if 0 < count < k}
    # The total is shown, so the hidden counts' sum can be worked out: hide the next
    # smallest until that sum is K or more (or every answer is hidden).
    while hidden and sum(counts[a] for a in hidden) < k and len(hidden) < len(counts):
        hidden.add(min((a for a in counts if a not in hidden), key=lambda a: counts[a]))
    return {
        "answers": n,
        "choices": {
            answer: _choice(count, n) if answer not in hidden else _HIDDEN
            for answer, count in counts.items()
        },
    }


_HIDDEN = {"count": None, "percent": None, "ci95": None}


def _choice(count: int, n: int) -> dict[str, Any]:
    low, high = wilson_interval(count, n)
    return {
        "count": count,
        "percent": round(100 * count / n, 1),
        "ci95": [round(100 * low, 1), round(100 * high, 1)],
    }


def _shown(count: int, k: int) -> int | None:
    return None if 0 < count < k else count
