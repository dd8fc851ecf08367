"""Size budgets: the real build passes them, a smaller budget fails, and libsodium is
loaded only where something is sealed or verified."""

from __future__ import annotations

import shutil

import pytest

from uglymugs.cli import main
from uglymugs.website.budgets import (
    BUDGET_BYTES,
    BudgetError,
    budget_for,
    check_budgets,
    page_weights,
    size_report,
)
from uglymugs.website.build import SiteBuildError, build_site

SEALING_PAGES = {"/report/", "/partners/submit/", "/members/"}


@pytest.fixture(scope="module")
def weights(built_site):
    return page_weights(built_site.output)


def test_every_page_of_the_real_build_is_within_budget(built_site, weights):
    assert {w.page for w in weights} >= {"/", "/report/", "/contacts/", "/device/"}
    assert len(weights) == len(built_site.html_pages())
    check_budgets(weights)  # raises if not
    home = next(w for w in weights if w.page == "/")
    assert 0 < home.total <= BUDGET_BYTES and home.libsodium == 0
    assert home.html and home.css and home.js


def test_a_budget_smaller_than_a_page_fails(weights):
    with pytest.raises(BudgetError) as failure:
        check_budgets(weights, budget=1_000)
    message = str(failure.value)
    home = next(w for w in weights if w.page == "/")
    assert f"/ is {home.total:,} bytes gzip before libsodium, over the budget of 1,000" in message
    for weight in weights:
        assert (weight.page + " is") in message


def test_libsodium_is_loaded_only_where_something_is_sealed_or_verified(weights):
    sealing = {w.page for w in weights if w.libsodium}
    assert sealing >= SEALING_PAGES  # and the same pages in other languages
    assert all(page.endswith(tuple(SEALING_PAGES)) for page in sealing), sealing
    sodium = {w.libsodium for w in weights if w.libsodium}
    assert len(sodium) == 1 and sodium.pop() > BUDGET_BYTES  # why it is kept apart
    with pytest.raises(BudgetError, match="/report/ loads libsodium, but nothing on it"):
        check_budgets(weights, may_load_libsodium=lambda page: False)


def test_the_size_report_has_a_row_for_every_page(weights):
    report = size_report(weights)
    header, *rows = report.splitlines()[1:]
    assert header.split() == ["page", "HTML", "CSS", "JS", "total", "budget", "libsodium"]
    assert [row.split()[0] for row in rows] == [w.page for w in weights]
    for row, weight in zip(rows, weights, strict=True):
        cells = row.split()
        assert cells[4] == f"{weight.total:,}" and cells[5] == f"{budget_for(weight.page):,}"
        assert cells[6] == "ok"
        assert cells[7] == (f"{weight.libsodium:,}" if weight.libsodium else "-")


def test_a_build_over_budget_fails(built_site, tmp_path):
    with pytest.raises(SiteBuildError, match=r"over budget: .* / is [0-9,]+ bytes gzip"):
        build_site(built_site.settings, tmp_path / "site", budget=1_000)


def test_uglymugs_build_prints_the_size_report(built_site, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(built_site.settings.data_dir))
    assert main(["build", "--output", str(tmp_path / "site")]) == 0
    out = capsys.readouterr().out
    assert "Page weights, gzip bytes" in out
    assert "/report/" in out and "32,000" in out
    shutil.rmtree(tmp_path / "site")


def test_only_the_member_area_has_more_room(weights):
    """The member area is an app (log in, the list, selection, preferences); no other
    page gets its extra room, in any language."""
    roomy = {w.page for w in weights if budget_for(w.page) > BUDGET_BYTES}
    assert roomy and all(page.endswith("/members/") for page in roomy)
    assert budget_for("/members/tokens/") == BUDGET_BYTES
