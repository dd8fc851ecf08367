"""The funders' charts and PDF: drawn from the suppressed table only, so no hidden count
can be read from a bar, a label, the page or the PDF."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports.test_figures import incident_answers, many, report
from uglymugs.reports.figures import figures
from uglymugs.reports.figures_charts import SERIES, area_chart, area_rows, value_of
from uglymugs.reports.figures_html import render_html
from uglymugs.reports.figures_pdf import offline_fetcher, render_pdf
from uglymugs.reports.incidents import group_incidents


def incidents_with_rapes(cleveland_rapes: int, merseyside_rapes: int):
    """Ten incidents in each of two areas in 2024, some of them rapes."""
    reports = []
    for area, rapes, start in (
        ("cleveland", cleveland_rapes, 0),
        ("merseyside", merseyside_rapes, 100),
    ):
        reports += many(
            rapes, start, force_area=area, incident_date="2024-05-01", categories=["rape"]
        )
        reports += many(10 - rapes, start + 50, force_area=area, incident_date="2024-05-01")
    return group_incidents(reports)


def test_moving_a_hidden_count_between_cells_changes_no_byte_of_any_output():
    """Cleveland 2 rapes and Merseyside 3, or the other way round: both hidden (1 to 4),
    the same total. The table, the page with its charts and the PDF are identical, so
    none of them tells a reader which area had which."""
    one = figures(incidents_with_rapes(2, 3), suppressed_below=5)
    other = figures(incidents_with_rapes(3, 2), suppressed_below=5)
    assert one == other
    assert one["incidents"][0]["by_category"]["rape"] is None
    assert render_html(one) == render_html(other)
    assert render_pdf(render_html(one)) == render_pdf(render_html(other))
    different = figures(incidents_with_rapes(5, 0), suppressed_below=5)
    assert render_pdf(render_html(different)) != render_pdf(render_html(one))  # it can tell


@settings(max_examples=60, deadline=None)
@given(st.lists(incident_answers, max_size=60), st.integers(min_value=5, max_value=8))
def test_a_chart_draws_a_bar_for_each_shown_count_and_none_for_a_hidden_one(answers, k):
    reports = [report(f"UM-{n:04d}", **a) for n, a in enumerate(answers)]
    table = figures(group_incidents(reports), suppressed_below=k)
    for area, rows in area_rows(table).items():
        svg = area_chart(area, rows, k)
        values = [value_of(row, name) for row in rows for name in SERIES]
        shown = [v for v in values if v is not None]
        bars = re.findall(
            r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"[^>]*><title>(\d+)</title>',
            svg,
        )
        assert [int(value) for _, value in bars] == shown
        assert svg.count(">*<") == len(values) - len(shown)
        labels = [int(t) for t in re.findall(r">(\d+)</text>", svg) if len(t) < 4]
        assert not [n for n in labels if 0 < n < k], labels  # years are 4 digits
        top = max(shown, default=0) or k
        for height, value in bars:
            assert float(height) == pytest.approx((280 - 44 - 40) * int(value) / top, abs=0.06)


def test_every_chart_is_an_image_with_a_title_a_description_and_a_table():
    table = figures(incidents_with_rapes(2, 3), suppressed_below=5)
    page = render_html(table)
    assert page.count('role="img"') == 2 and page.count("<figure") == 2
    for area in ("cleveland", "merseyside"):
        assert f'aria-labelledby="chart-{area}-title chart-{area}-desc"' in page
        assert (
            f'<title id="chart-{area}-title">' in page and f'<desc id="chart-{area}-desc">' in page
        )
    assert page.count('<table class="chart-table">') == 2
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")


def test_the_pdf_is_made_offline():
    pdf = render_pdf('<!doctype html><p>figures</p><img src="https://tracker.example/x.png">')
    assert pdf.startswith(b"%PDF-")
    for address in ("https://tracker.example/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            offline_fetcher().fetch(address)
