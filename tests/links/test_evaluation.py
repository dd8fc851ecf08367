"""The labelled evaluation set (fictional) and the figures `links --evaluate` reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from uglymugs.cli import main

DATA = Path(__file__).parent / "data" / "eval.json"


def test_the_evaluation_set_is_fictional_and_well_formed():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert data["format"] == "uglymugs.links-eval/1"
    numbers = {item["report_number"] for item in data["reports"]}
    assert all(set(group) <= numbers for group in data["series"])
    assert all(3 <= len(group) <= 8 for group in data["series"])
    phones = [
        line
        for item in data["reports"]
        for line in str(item["content"]["answers"].get("phone_numbers", "")).splitlines()
    ]
    assert all(p.startswith(("07700 900", "+44 7", "0191 496")) for p in phones)


def test_links_evaluate_reports_the_quality_figures(capsys):
    assert main(["links", "--evaluate", str(DATA), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    for name in ("average_precision", "roc_auc", "precision_at_threshold", "recall_at_threshold"):
        assert 0 <= figures[name] <= 1
    # A floor, so a change that makes links worse fails here (measured: docs/links.md).
    assert figures["average_precision"] >= 0.7
    assert figures["roc_auc"] >= 0.95
    assert figures["precision_at_threshold"] >= 0.7
    assert figures["series_connected"]["mean_share"] >= 0.7


@pytest.mark.parametrize(
    "content", ["not json", '{"format": "other"}', '{"format": "uglymugs.links-eval/1"}']
)
def test_a_bad_evaluation_set_is_one_clear_line(tmp_path, capsys, content):
    path = tmp_path / "set.json"
    path.write_text(content)
    assert main(["links", "--evaluate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err
