"""The funder report and the figures beside the incidents: every printed total (national,
per year, per area) leaves its hidden cells at least two and K or more; rates only of
shown counts; no number from 1 to K−1 on the page or its charts, for every force area
and in every language; the member survey section only when results are given."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.test_stats_cli import small_numbers, visible_text
from tests.reports.test_figures import incident_answers, report
from uglymugs.funder_figures import Period, gather
from uglymugs.i18n import translations
from uglymugs.reports.figures import (
    CATEGORIES,
    MEASURES,
    alert_figures,
    count_table,
    figures,
    reach_figures,
)
from uglymugs.reports.figures_report import member_survey, render_report
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport


def _cells(row, column):
    return row["by_category"][column] if column in CATEGORIES else row[column]


def assert_protected(parts, total, k):
    """What ``total`` less the shown ``parts`` gives away is nothing, or a sum of at
    least two hidden parts that is K or more."""
    if total is None:
        return
    hidden = [part for part in parts if part is None]
    visible = sum(part for part in parts if part is not None)
    assert visible <= total
    if hidden:
        assert len(hidden) >= 2 and total - visible >= k
    else:
        assert visible == total


@settings(max_examples=120, deadline=None)
@given(st.lists(incident_answers, max_size=70), st.integers(min_value=5, max_value=7))
def test_every_printed_total_keeps_its_hidden_cells_safe(answers, k):
    table = figures(
        group_incidents(report(f"UM-{n:04d}", **a) for n, a in enumerate(answers)),
        suppressed_below=k,
    )
    rows, by_year, by_area, totals = (
        table["incidents"],
        table["by_year"],
        table["by_area"],
        table["totals"],
    )
    for column in ["reports", *CATEGORIES, *MEASURES]:
        every = [_cells(row, column) for row in (*rows, *by_year, *by_area, totals)]
        assert not [n for n in every if n is not None and 0 < n < k]
        for part in (rows, by_year, by_area):
            assert_protected([_cells(r, column) for r in part], _cells(totals, column), k)
        for margin in by_year:
            parts = [_cells(r, column) for r in rows if r["year"] == margin["year"]]
            assert_protected(parts, _cells(margin, column), k)
        for margin in by_area:
            parts = [_cells(r, column) for r in rows if r["force_area"] == margin["force_area"]]
            assert_protected(parts, _cells(margin, column), k)
    for row in (*rows, *by_year, *by_area, totals):
        for measure, rate in row["rates"].items():
            if row[measure] is None or not row["reports"]:
                assert rate is None
            else:
                assert rate == round(row[measure] / row["reports"], 4)


@settings(max_examples=25, deadline=None)
@given(st.lists(incident_answers, min_size=1, max_size=60))
def test_no_small_number_on_the_report_of_any_area(answers):
    table = gather(
        group_incidents(report(f"UM-{n:04d}", **a) for n, a in enumerate(answers)),
        suppressed_below=5,
    )
    for area in {row["force_area"] for row in table["by_area"]} | {"cleveland"}:
        page = render_report(table, area)
        assert small_numbers(visible_text(page)) == [], area
        assert "fewer than" not in page


def test_the_report_is_translated_into_every_language():
    reports = [
        report(f"UM-{n:04d}", force_area="cleveland", incident_date="2024-02-02") for n in range(6)
    ]
    table = gather(group_incidents(reports), suppressed_below=5)
    english = visible_text(render_report(table, "cleveland"))
    for locale, words in (
        ("ro", "Evoluția de-a lungul anilor"),
        ("pt_BR", "Tendências ao longo dos anos"),
        ("pl", "Zmiany na przestrzeni lat"),
        ("zh_Hans", "历年趋势"),
    ):
        page = render_report(table, "cleveland", gettext=translations(locale).gettext)
        text = visible_text(page)
        assert words in text and text != english
        for english_words in ("Trends over the years", "At a glance", "Method", "Year"):
            assert english_words not in text, (locale, english_words)


def test_partner_submissions_are_requests_from_police_not_incidents():
    def partner(number, kind, area="cleveland"):
        content = {
            "schema": "uglymugs.partner/1",
            "report_type": "partner",
            "reporter": "police",
            "answers": {"submission_kind": kind, "force_area": area},
        }
        return OpenedReport(number, "2016-03-01T08:00:00Z", "report-x", content)

    reports = [partner(f"UM-P{n:03d}", "help_request") for n in range(6)]
    reports += [partner(f"UM-Q{n:03d}", "circulate") for n in range(2)]
    reports += [report(f"UM-{n:04d}", force_area="cleveland") for n in range(5)]
    table = gather(group_incidents(reports), suppressed_below=5)
    assert table["totals"]["reports"] == 5
    assert table["police_requests"]["totals"] == {"requests": 6, "information": None}
    (row,) = table["police_requests"]["rows"]
    assert (row["force_area"], row["year"], row["requests"]) == ("cleveland", 2016, 6)
    later = gather(
        group_incidents(reports), suppressed_below=5, period=Period(date(2017, 1, 1), None)
    )
    assert later["police_requests"]["totals"] == {"requests": 0, "information": 0}


def test_corrected_alerts_whose_complement_is_small_are_hidden():
    alerts = [{"region": "durham", "issued": date(2025, 1, 2), "status": "published"}] * 2
    alerts += [{"region": "durham", "issued": date(2025, 1, 2), "status": "corrected"}] * 6
    table = alert_figures(alerts, suppressed_below=5)
    assert table["totals"] == {"issued": 8, "corrected": None, "withdrawn": 0}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(("cleveland", "durham", "unknown")),
            st.sampled_from((2024, 2025)),
            st.sampled_from(("requests", "information")),
        ),
        max_size=40,
    )
)
def test_count_tables_keep_every_total_safe(entries):
    table = count_table(entries, ("requests", "information"), suppressed_below=5)
    for column in ("requests", "information"):
        for part in ("rows", "by_year", "by_area"):
            cells = [row[column] for row in table[part]]
            assert not [n for n in cells if n is not None and 0 < n < 5]
            assert_protected(cells, table["totals"][column], 5)


def test_reach_counts_members_once_per_area_and_year_and_hides_small_ones():
    sent = [("cleveland", 2025, f"m{n}") for n in range(7)] * 2  # two alerts, same members
    sent += [("durham", 2025, f"m{n}") for n in range(3)]  # three of them again
    sent += [("durham", 2024, "m1")]
    table = reach_figures(sent, suppressed_below=5)
    rows = {(row["force_area"], row["year"]): row["members_reached"] for row in table["rows"]}
    # Durham's 3 is hidden, so Cleveland's 7 is too (else 10 - 7 would give it away);
    # the national 7 (distinct members) says only that the two together reached 7 or more
    assert rows == {("cleveland", 2025): None, ("durham", 2024): None, ("durham", 2025): None}
    by_year = {row["year"]: row["members_reached"] for row in table["by_year"]}
    assert by_year == {2024: None, 2025: 7}


def _survey(**feel_safer) -> dict:
    """Survey figures of one round as :func:`survey_figures` makes them: 120 answers to
    "did an alert help" (115 yes) and ``feel_safer`` in the counts given."""
    from datetime import date

    from uglymugs.members.survey import SurveyResponse, SurveyRound
    from uglymugs.members.survey_figures import round_figures

    survey_round = SurveyRound("2026", date(2026, 12, 31))
    safer = [answer for answer, count in feel_safer.items() for _ in range(count)]
    helped = ["yes"] * 115 + ["no"] * 5
    answers = [
        SurveyResponse("2026", {"alert_helped": h, "feel_safer": f})
        for h, f in zip(helped, safer, strict=True)
    ]
    return {"rounds": [round_figures(survey_round, answers, 5)]}


def test_the_member_survey_shows_percentages_with_answers_and_an_interval():
    survey = _survey(yes=110, no=8, prefer_not_to_say=2)
    text = visible_text(member_survey(survey))
    assert "Member survey" in text and "Survey round 2026" in text
    assert "Yes: 95.8% (90.6–98.2%)" in text and "120 answers" in text
    # 2 "prefer not to say" is hidden, and so is "no" beside it (the total would tell)
    assert "No: hidden; Prefer not to say: hidden" in text
    assert member_survey(None) == "" and member_survey({"rounds": []}) == ""
    table = gather([], suppressed_below=5)
    assert "Member survey" not in render_report(table, "cleveland")
    table["survey"] = survey
    assert "Member survey" in render_report(table, "cleveland")


@pytest.mark.parametrize("area", ["cleveland", "unknown"])
def test_an_area_without_incidents_still_gets_a_report(area):
    page = render_report(gather([], suppressed_below=5), area)
    assert "No incidents in this period." in page and "<svg" not in page
