"""The survey's figures for funders: shares with Wilson intervals, small counts hidden."""

from __future__ import annotations

from datetime import date
from statistics import NormalDist

import pytest

from uglymugs.members.survey import SurveyResponse, SurveyRound
from uglymugs.members.survey_figures import round_figures, survey_figures, wilson_interval

ROUND = SurveyRound("2026-autumn", date(2026, 12, 31))


def responses(**counts_by_answer) -> list[SurveyResponse]:
    """``feel_safer`` answers in the given counts; ``alert_helped`` always yes."""
    made = []
    for answer, count in counts_by_answer.items():
        made += [SurveyResponse(ROUND.id, {"alert_helped": "yes", "feel_safer": answer})] * count
    return made


def test_the_wilson_interval_matches_its_formula_and_known_values():
    # Newcombe (1998), table I: 81 of 263 -> 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    z = NormalDist().inv_cdf(0.975)
    assert abs(z - 1.959964) < 1e-6
    with pytest.raises(ValueError):
        wilson_interval(3, 0)


def test_a_round_shows_percentages_intervals_and_the_number_of_answers():
    figures = round_figures(ROUND, responses(yes=24, no=6, prefer_not_to_say=10), 5)
    safer = figures["questions"]["feel_safer"]
    assert figures["answers"] == 40 and safer["answers"] == 40
    assert safer["choices"]["yes"] == {"count": 24, "percent": 60.0, "ci95": [44.6, 73.7]}
    assert figures["questions"]["alert_helped"]["choices"]["no"] == {
        "count": 0,
        "percent": 0.0,
        "ci95": [0.0, 8.8],
    }
    assert figures["comments"] == 0 and figures["suppressed"] is False


def test_fewer_answers_than_the_threshold_show_nothing():
    figures = round_figures(ROUND, responses(yes=4), 5)
    assert figures["answers"] is None and figures["suppressed"] is True
    assert figures["questions"] is None and figures["comments"] is None
    empty = round_figures(ROUND, [], 5)
    assert empty["answers"] == 0 and empty["suppressed"] is False


def test_a_small_count_is_hidden_with_the_next_smallest_so_the_total_gives_nothing_away():
    figures = round_figures(ROUND, responses(yes=30, no=2, prefer_not_to_say=8), 5)
    choices = figures["questions"]["feel_safer"]["choices"]
    assert choices["yes"]["count"] == 30
    assert choices["no"] == {"count": None, "percent": None, "ci95": None}
    assert choices["prefer_not_to_say"]["count"] is None


def test_hidden_answers_always_sum_to_the_threshold_or_more():
    # 40 yes, 2 no, none "prefer not to say": hiding "no" with the zero beside it would
    # still let a reader work out 2 from the total, so every answer is hidden.
    choices = round_figures(ROUND, responses(yes=40, no=2), 5)["questions"]["feel_safer"]
    assert all(choice["count"] is None for choice in choices["choices"].values())
    for yes, no, unsure in [(30, 1, 1), (12, 3, 0), (9, 4, 6), (50, 0, 0), (5, 5, 5)]:
        found = round_figures(ROUND, responses(yes=yes, no=no, prefer_not_to_say=unsure), 5)
        counts = {"yes": yes, "no": no, "prefer_not_to_say": unsure}
        shown = found["questions"]["feel_safer"]["choices"]
        hidden = [answer for answer, choice in shown.items() if choice["count"] is None]
        assert not hidden or sum(counts[a] for a in hidden) >= 5, (yes, no, unsure, hidden)


def test_no_visible_count_is_between_one_and_the_threshold():
    for small in range(1, 5):
        figures = round_figures(ROUND, responses(yes=20, no=small), 5)
        visible = [
            choice["count"]
            for question in figures["questions"].values()
            for choice in question["choices"].values()
        ]
        assert not [count for count in visible if count is not None and 0 < count < 5]


def test_every_round_is_listed_and_comments_are_only_counted(local_survey_store):
    local_survey_store.save_round(ROUND)
    for n in range(6):
        local_survey_store.record(
            f"m{n}",
            "s",
            SurveyResponse(ROUND.id, {"alert_helped": "no", "feel_safer": "yes"}, f"secret {n}"),
        )
    figures = survey_figures(local_survey_store, 5)
    assert figures["suppressed_below"] == 5 and figures["confidence"] == 0.95
    [autumn] = figures["rounds"]
    assert autumn["answers"] == 6 and autumn["comments"] == 6
    assert "secret" not in repr(figures)


def test_stats_get_the_survey_from_a_store_that_creates_nothing(tmp_path):
    from uglymugs import composition
    from uglymugs.config import Settings

    settings = Settings.from_environ({"UGLYMUGS_DATA_DIR": str(tmp_path / "data")})
    store = composition.existing_survey_store(settings)
    assert store is None and not (tmp_path / "data").exists()
    assert survey_figures(store, 5) == {"suppressed_below": 5, "confidence": 0.95, "rounds": []}
