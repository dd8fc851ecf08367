"""Figures for funders: every incident counted once, no count from 1 to K−1 visible,
and no hidden count that a total or a complement gives away."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uglymugs.reports.figures import (
    CATEGORIES,
    MEASURES,
    FiguresError,
    figures,
)
from uglymugs.reports.figures_html import render_html
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport

AREAS = ("merseyside", "cleveland", "west-midlands", "not_sure", None)


def report(number, follows=None, received="2026-01-01", **answers):
    content = {
        "schema": "uglymugs.report/1",
        "report_type": "follow_up" if follows else "full",
        "follows": follows,
        "reporter": "self",
        "answers": {k: v for k, v in answers.items() if v is not None},
    }
    return OpenedReport(number, received, "report-x", content)


def many(count, start=0, **answers):
    return [report(f"UM-{n:04d}", **answers) for n in range(start, start + count)]


def counts(table):
    """Every count the table shows (rows and totals), None for a hidden one."""
    for row in [*table["incidents"], table["totals"]]:
        yield row["reports"]
        yield from row["by_category"].values()
        yield from (row[m] for m in MEASURES)


def test_small_counts_are_hidden_and_totals_are_exact():
    reports = [
        *many(12, force_area="merseyside", incident_date="2024-03-01", categories=["violence"]),
        *many(2, 100, force_area="cleveland", incident_date="2024-05-01", categories=["rape"]),
        *many(6, 200, force_area="not_sure", incident_date="2025-01-01"),
    ]
    table = figures(group_incidents(reports), suppressed_below=5)
    rows = {(row["force_area"], row["year"]): row for row in table["incidents"]}
    assert set(rows) == {("merseyside", 2024), ("cleveland", 2024), ("unknown", 2025)}
    assert rows["cleveland", 2024]["reports"] is None
    assert rows["cleveland", 2024]["by_category"]["rape"] is None
    assert table["totals"]["reports"] == 20
    # one hidden cell in the column would be 20 - 12 - 6: so one more is hidden
    assert [row["reports"] for row in table["incidents"]].count(None) >= 2
    assert rows["merseyside", 2024]["by_category"]["robbery"] == 0
    assert table["suppressed_below"] == 5


def test_a_follow_up_and_its_original_are_one_incident_with_the_later_area():
    reports = [
        *many(5, force_area="merseyside", incident_date="2024-01-02"),
        report("UM-0009", force_area="not_sure", incident_date="2024-01-02"),
        report("UM-0010", follows="UM-0009", received="2026-02-01", force_area="merseyside"),
    ]
    table = figures(group_incidents(reports), suppressed_below=5)
    assert table["incidents"] == [
        {**table["incidents"][0], "force_area": "merseyside", "year": 2024, "reports": 6}
    ]


def test_the_complement_of_a_count_is_not_left_small():
    reports = [
        *many(8, force_area="merseyside", incident_date="2024-01-01", categories=["violence"]),
        *many(2, 50, force_area="merseyside", incident_date="2024-01-01"),
    ]
    table = figures(group_incidents(reports), suppressed_below=5)
    (row,) = table["incidents"]
    assert row["reports"] == 10 and row["by_category"]["violence"] is None


def test_the_threshold_is_at_least_five():
    with pytest.raises(FiguresError):
        figures([], suppressed_below=3)


incident_answers = st.fixed_dictionaries(
    {
        "force_area": st.sampled_from(AREAS),
        "incident_date": st.sampled_from((None, "2023-04-01", "2024-07-09", "2025-12-31", "n/a")),
        "categories": st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3),
        "police_told": st.sampled_from((None, "yes", "no")),
        "consent_alert": st.sampled_from((None, "yes", "no")),
        "consent_scas": st.sampled_from((None, "yes", "no")),
        "consent_police_help": st.sampled_from((None, "yes", "no")),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(incident_answers, max_size=60), st.integers(min_value=5, max_value=8))
def test_no_visible_small_count_and_no_hidden_count_worked_out(answers, k):
    reports = [report(f"UM-{n:04d}", **a) for n, a in enumerate(answers)]
    table = figures(group_incidents(reports), suppressed_below=k)
    shown = list(counts(table))
    assert not [value for value in shown if value is not None and 0 < value < k]
    totals = table["totals"]
    assert totals["reports"] == (len(answers) if len(answers) == 0 or len(answers) >= k else None)
    assert len({(r["force_area"], r["year"]) for r in table["incidents"]}) == len(
        table["incidents"]
    )
    for column in ["reports", *CATEGORIES, *MEASURES]:
        cells, total = _column(table, column)
        if total is None:
            continue
        hidden = [cell for cell in cells if cell is None]
        visible_sum = sum(cell for cell in cells if cell is not None)
        assert visible_sum <= total
        if hidden:  # what the total gives away is a sum of at least two cells, and >= K
            assert len(hidden) >= 2 and total - visible_sum >= k
        else:
            assert visible_sum == total  # totals add up
    for row in [*table["incidents"], totals]:
        if row["reports"] is not None:
            for value in [*row["by_category"].values(), *(row[m] for m in MEASURES)]:
                assert value is None or not 0 < row["reports"] - value < k
    html = render_html(table)
    for value in range(1, k):
        assert f">{value}<" not in html and f">{value} (" not in html


def _column(table, column):
    def cell(row):
        return row["by_category"][column] if column in CATEGORIES else row[column]

    return [cell(row) for row in table["incidents"]], cell(table["totals"])


def test_every_incident_is_in_exactly_one_row():
    answers = itertools.product(AREAS, (None, "2024-01-01", "2025-06-01"))
    reports = [
        report(f"UM-{n:04d}", force_area=area, incident_date=when)
        for n, (area, when) in enumerate(list(answers) * 5)
    ]
    table = figures(group_incidents(reports), suppressed_below=5)
    assert sum(row["reports"] for row in table["incidents"]) == len(reports)
    assert {row["force_area"] for row in table["incidents"]} == {
        "merseyside",
        "cleveland",
        "west-midlands",
        "unknown",
    }
