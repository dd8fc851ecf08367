"""``uglymugs stats`` and ``uglymugs stats report`` over a generated vault, member
directory, alert files and notify ledger: no visible count from 1 to K−1 anywhere (the
JSON, the report's HTML with its charts, the PDF's text), for every force area; totals
that add up; the JSON's shape; bad input as one clear line."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape

import jsonschema
import pytest

from tests.cli.test_reports_cli import Scheme, incident, run
from uglymugs.config import Settings

AREAS = ("cleveland", "merseyside", "west-midlands", "durham", "northumbria", "not_sure")
YEARS = ("2023", "2024", "2025")
CATEGORIES = ("violence", "rape", "sexual_assault", "robbery", "threats")
K = 5


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "staff passphrase")
    return Scheme(tmp_path / "data")


@pytest.fixture
def generated(scheme, tmp_path):
    """Incidents in six areas over three years, small and large counts mixed, with
    follow-ups, requests from police, members, alerts and the members they reached."""
    rng = random.Random(16)  # noqa: S311 - a repeatable test set, not a secret
    incidents = 0
    for area in AREAS:
        for year in YEARS:
            for n in range(rng.choice((0, 1, 2, 3, 4, 6, 9, 14))):
                answers = {
                    "force_area": area,
                    "incident_date": f"{year}-0{1 + n % 9}-1{n % 9}",
                    "categories": rng.sample(CATEGORIES, rng.randint(1, 3)),
                    "police_told": rng.choice(("yes", "no", "not_sure")),
                    "consent_alert": rng.choice(("yes", "no")),
                    "consent_scas": rng.choice(("yes", "yes", "no")),
                    "consent_police_help": rng.choice(("yes", "no", "no")),
                }
                number = incident(scheme, f"{year}-12-01T08:00:00Z", **answers)
                incidents += 1
                if n % 4 == 0:  # a follow-up: the same incident
                    follow = {**_content(), "report_type": "follow_up", "follows": number}
                    scheme.store(follow, f"{year}-12-02T08:00:00Z")
    for n, (area, kind) in enumerate(
        [("cleveland", "help_request")] * 2
        + [("merseyside", "help_request")] * 6
        + [("cleveland", "circulate")] * 7
    ):
        scheme.store(_partner(area, kind), f"2025-0{1 + n % 9}-01T08:00:00Z")
    _members()
    alerts = _alerts(tmp_path / "alerts")
    _reach()
    return {"incidents": incidents, "alerts": alerts}


def _content():
    return {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": "self",
        "language": "en",
        "answers": {"what_happened": "He came back the next week."},
    }


def _partner(area, kind):
    return {
        "schema": "uglymugs.partner/1",
        "report_type": "partner",
        "reporter": "police",
        "language": "en",
        "answers": {
            "submission_kind": kind,
            "organisation": "Example force",
            "force_area": area,
            "what_happened": "A request",
            "consent_alert": "no",
        },
    }


def _members():
    from tests.members.factories import a_member
    from uglymugs import composition

    directory = composition.member_directory(Settings())
    kinds = [("cleveland", "individual")] * 7 + [("cleveland", "project")] * 2
    kinds += [("durham", "individual")] * 3 + [("merseyside", "site")] * 6
    for n, (area, kind) in enumerate(kinds):
        member = a_member(f"member{n}", f"m{n}@example.org", monitoring={"areas": area})
        directory.add(replace(member, status="approved", membership_type=kind))


def _alerts(folder):
    folder.mkdir()
    plan = [("cleveland", "2024", "published")] * 6 + [("cleveland", "2025", "corrected")] * 2
    plan += [("durham", "2025", "published")] * 3 + [("merseyside", "2025", "withdrawn")]
    for n, (region, year, status) in enumerate(plan):
        (folder / f"{year}-{n:04d}.md").write_text(
            f"---\nnumber: {year}-{n:04d}\nstatus: {status}\nissued: {year}-03-0{1 + n % 9}\n"
            f"region: {region}\nincident:\n  date: {year}-03-01\n---\nText.\n",
            encoding="utf-8",
        )
    return folder


def _reach():
    from uglymugs import composition
    from uglymugs.notify.ledger import DeliveryKey, Plan

    ledger = composition.notification_ledger(Settings())
    now = datetime(2025, 4, 1, tzinfo=UTC)
    for alert, members in (("2024-0000", 12), ("2025-0006", 3), ("2025-0008", 8)):
        plan = Plan(alert, "v1", "email", "new", 1, members, 0, now)
        ledger.save_plan(plan)
        keys = [DeliveryKey(alert, "v1", "email", f"member-{m}") for m in range(members)]
        ledger.record_sent(ledger.claim(keys, now), now)


def small_numbers(text: str, k: int = K) -> list[int]:
    """Every number from 1 to k−1 a reader sees in ``text``: not a date, a year or a
    percentage (a share is printed only beside its shown count)."""
    text = re.sub(r"\d{4}-\d{2}-\d{2}", " ", text)
    text = re.sub(r"\d+\s*%", " ", text)
    numbers = re.findall(r"(?<![\w.])\d+(?![\w.])", text)
    return [int(n) for n in numbers if 0 < int(n) < k]


def visible_text(page: str) -> str:
    """What a reader of the page sees: its text and the charts' text, not attributes."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


UNCOUNTED = ("year", "suppressed_below")


def json_counts(value, key=None):
    if isinstance(value, dict):
        for name, item in value.items():
            yield from json_counts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_counts(item, key)
    elif isinstance(value, int) and not isinstance(value, bool) and key not in UNCOUNTED:
        yield value


def test_no_small_count_anywhere_for_every_force_area(generated, capsys, tmp_path):
    alerts = str(generated["alerts"])
    code, out, err = run(capsys, "stats", "--json", "--alerts", alerts)
    assert code == 0, err
    table = json.loads(out)
    assert not [n for n in json_counts(table) if 0 < n < K]
    overview = tmp_path / "all.html"
    code, out, err = run(capsys, "stats", "--html", str(overview), "--alerts", alerts)
    assert code == 0 and "From police, and alerts" in overview.read_text(), err
    assert small_numbers(visible_text(overview.read_text())) == []
    pdf_text = shutil.which("pdftotext")
    for area in {*AREAS[:-1], "unknown"}:
        code, out, err = run(capsys, "stats", "--json", "--force-area", area, "--alerts", alerts)
        assert code == 0 and not [n for n in json_counts(json.loads(out)) if 0 < n < K]
        code, page, err = run(
            capsys, "stats", "report", "--force-area", area, "--format", "html", "--alerts", alerts
        )
        assert code == 0, err
        assert page.startswith("<!doctype html>") and page.count("<svg") >= 1
        assert small_numbers(visible_text(page)) == [], area
        for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
            assert small_numbers(visible_text(svg)) == []
        if pdf_text and area in ("cleveland", "merseyside"):
            pdf = tmp_path / f"{area}.pdf"
            code, _out, err = run(
                capsys, "stats", "report", "--force-area", area, "--format", "pdf",
                "--output", str(pdf), "--alerts", alerts,
            )  # fmt: skip
            assert code == 0 and pdf.read_bytes().startswith(b"%PDF-"), err
            text = subprocess.run(
                [pdf_text, str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert "Cleveland" in text or "Merseyside" in text
            assert small_numbers(text) == [], area


def test_the_report_shows_the_area_beside_the_nation_with_every_kind_of_figure(generated, capsys):
    alerts = str(generated["alerts"])
    code, page, err = run(
        capsys, "stats", "report", "--force-area", "merseyside", "--format", "html",
        "--alerts", alerts,
    )  # fmt: skip
    assert code == 0, err
    text = visible_text(page)
    for heading in ("At a glance", "Trends over the years", "Members", "Method"):
        assert heading in text
    assert "Merseyside" in text and "All areas" in text
    assert 'aria-labelledby="chart-merseyside-title' in page
    assert 'aria-labelledby="chart-all-title' in page  # the national trend
    assert re.search(r"Requests for help from police\s+hidden\s+8", text)
    assert re.search(r"Sites\s+6\s+6", text)
    assert "Member survey" not in text  # no survey results given
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")


def test_the_report_in_another_language(generated, capsys):
    code, page, err = run(
        capsys, "stats", "report", "--force-area", "cleveland", "--format", "html",
        "--language", "pl", "--alerts", str(generated["alerts"]),
    )  # fmt: skip
    assert code == 0, err
    assert '<html lang="pl">' in page and "Trends over the years" not in page
    assert "Method" not in visible_text(page) and ">hidden<" not in page


def test_totals_add_up_to_the_incidents(generated, capsys):
    code, out, err = run(capsys, "stats", "--json", "--alerts", str(generated["alerts"]))
    assert code == 0, err
    table = json.loads(out)
    assert table["totals"]["reports"] == generated["incidents"]  # police requests apart
    for part in ("incidents", "by_year", "by_area"):
        shown = [row["reports"] for row in table[part]]
        assert sum(n for n in shown if n is not None) <= generated["incidents"]
        assert shown.count(None) != 1  # one hidden cell would be the total less the rest
    assert table["police_requests"]["totals"] == {"requests": 8, "information": 7}
    assert table["alerts"]["totals"] == {"issued": 12, "corrected": None, "withdrawn": None}
    assert {row["year"]: row["members_reached"] for row in table["notify_reach"]["by_year"]} == {
        2025: 12
    }


SCHEMA = {
    "type": "object",
    "required": ["suppressed_below", "incidents", "totals", "by_year", "by_area"],
    "properties": {
        "suppressed_below": {"type": "integer", "minimum": 5},
        "incidents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["force_area", "year", "reports", "by_category", "rates"],
                "properties": {
                    "force_area": {"type": "string"},
                    "year": {"type": ["integer", "null"]},
                    "reports": {"type": ["integer", "null"], "minimum": 0},
                    "by_category": {
                        "type": "object",
                        "additionalProperties": {"type": ["integer", "null"], "minimum": 0},
                    },
                    "rates": {
                        "type": "object",
                        "additionalProperties": {
                            "type": ["number", "null"],
                            "minimum": 0,
                            "maximum": 1,
                        },
                    },
                },
            },
        },
        "members": {"type": "array"},
        "member_totals": {"type": "object"},
        "police_requests": {"type": "object", "required": ["rows", "by_year", "totals"]},
        "alerts": {"type": "object", "required": ["rows", "by_year", "totals"]},
        "notify_reach": {"type": "object", "required": ["rows", "by_year"]},
    },
}


def test_stats_json_is_one_object_of_the_documented_shape(generated, capsys):
    code, out, err = run(capsys, "stats", "--json", "--alerts", str(generated["alerts"]))
    assert code == 0, err
    table = json.loads(out)  # exactly one JSON object: json.loads refuses anything more
    assert out.count("\n") == 1
    jsonschema.validate(table, SCHEMA)
    for row in table["incidents"]:
        assert row["force_area"] in {*AREAS[:-1], "unknown"}
        assert row["year"] in (2023, 2024, 2025)


@pytest.mark.parametrize(
    "argv",
    [
        ["--force-area", "atlantis", "--format", "html"],
        [
            "--force-area",
            "cleveland",
            "--format",
            "pdf",
            "--from",
            "2025-01-01",
            "--to",
            "2024-01-01",
        ],
    ],
)
def test_stats_report_refuses_bad_input_with_one_line(scheme, capsys, argv, tmp_path):
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(capsys, "stats", "report", *argv)
    assert code == 1 and len(err.strip().splitlines()) == 1 and not out
    assert sorted(tmp_path.rglob("*")) == before


def test_stats_report_needs_an_area_and_a_format(scheme, capsys):
    with pytest.raises(SystemExit) as exit_code:
        run(capsys, "stats", "report", "--format", "html")
    assert exit_code.value.code == 2 and "--force-area" in capsys.readouterr().err


def test_the_member_survey_is_in_the_json_and_the_report(generated, capsys):
    from datetime import date

    from uglymugs import composition
    from uglymugs.members.survey import SurveyResponse, SurveyRound

    store = composition.survey_store(Settings.from_environ(dict(os.environ)))
    store.save_round(SurveyRound("2026-autumn", date(2026, 12, 31)))
    for n in range(12):
        answers = {"alert_helped": "yes", "feel_safer": "yes" if n < 9 else "no"}
        store.record(f"member-{n}", f"submission-{n}", SurveyResponse("2026-autumn", answers))
    code, out, err = run(capsys, "stats", "--json", "--alerts", str(generated["alerts"]))
    assert code == 0, err
    [autumn] = json.loads(out)["survey"]["rounds"]
    assert autumn["answers"] == 12
    assert autumn["questions"]["feel_safer"]["choices"]["no"]["count"] is None  # 3 < K
    code, page, err = run(
        capsys, "stats", "report", "--force-area", "cleveland", "--format", "html",
        "--alerts", str(generated["alerts"]),
    )  # fmt: skip
    text = visible_text(page)
    assert "Member survey" in text and "Survey round 2026-autumn" in text
    assert "Yes: 100% (75.8–100%)" in text and "12 answers" in text
