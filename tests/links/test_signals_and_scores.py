"""Suggested links over every signal: what counts, what must not flood the list."""

from __future__ import annotations

import time

from uglymugs.cases.links import profile_of_alert, suggest_links
from uglymugs.cases.records import CaseRecord, link_decisions
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport

COMMON = {
    "offender_sex": "male",
    "offender_ethnicity": "white",
    "offender_age": "30s",
    "offender_build": "medium",
}


def report(number, reporter="self", follows=None, **answers):
    content = {
        "schema": "uglymugs.report/1",
        "report_type": "follow_up" if follows else "full",
        "follows": follows,
        "reporter": reporter,
        "answers": answers,
    }
    return OpenedReport(number, "2026-01-01", "k", content)


def fillers(count=40):
    """Unrelated incidents, so that a vault's frequencies mean something."""
    return [
        report(f"UM-F{n:03d}", **COMMON, what_happened="He refused to pay.") for n in range(count)
    ]


def links(*reports, alerts=(), decisions=None):
    return suggest_links(group_incidents(reports), alerts, decisions)


def pair(found, a, b):
    return next((link for link in found if {link.a, link.b} == {a, b}), None)


def test_a_recycled_number_years_apart_with_different_men_scores_below_matching_ones():
    phone = "07700 900321"
    same = {"offender_age": "mid 40s", "offender_height": "5ft 10", "offender_build": "stocky"}
    found = links(
        report("UM-A", phone_numbers=phone, incident_date="2019-02-01", **same),
        report(
            "UM-B",
            phone_numbers=phone,
            incident_date="2025-07-01",
            offender_age="early 20s",
            offender_height="160cm",
            offender_build="slim",
        ),
        report("UM-C", phone_numbers="07700 900654", incident_date="2025-01-01", **same),
        report(
            "UM-D",
            phone_numbers="+44 7700 900654",
            incident_date="2025-02-11",
            offender_age="40-50",
            offender_height="178cm",
            offender_build="stocky",
        ),
        *fillers(),
    )
    recycled, matching = pair(found, "UM-A", "UM-B"), pair(found, "UM-C", "UM-D")
    assert matching is not None and matching.reasons[0] == "same phone +44 7700 900654"
    assert any("aged 43–47 and 40–50" in reason for reason in matching.reasons)
    assert recycled is None or recycled.score < matching.score
    assert "6 years apart" in " ".join(recycled.reasons if recycled else ["6 years apart"])


def test_marks_and_method_in_other_languages_are_the_same_concepts():
    found = links(
        report(
            "UM-EN",
            offender_marks="snake tattoo on his left forearm",
            what_happened="He took the condom off and said he was police.",
        ),
        report(
            "UM-PL",
            offender_marks="tatuaż węża na lewym przedramieniu",
            what_happened="Zdjął prezerwatywę i mówił, że jest policjantem.",
        ),
        report("UM-ZH", offender_marks="左前臂有蛇纹身", what_happened="他自称警察，还偷偷摘套"),
        *fillers(),
    )
    link = pair(found, "UM-EN", "UM-PL")
    assert link is not None
    assert "both describe a snake tattoo on the left forearm" in link.reasons
    assert "same method: claims to be police; removes the condom" in link.reasons
    assert pair(found, "UM-EN", "UM-ZH") is not None and pair(found, "UM-PL", "UM-ZH")


def test_common_descriptions_and_common_first_names_do_not_flood_the_list():
    found = links(
        *fillers(60),
        *[report(f"UM-N{n}", usernames="dave", **COMMON) for n in range(25)],
    )
    assert found == [] or max(link.score for link in found) < 0.3


def test_a_projects_own_number_in_its_reports_links_nothing():
    office = "0191 496 0000"
    found = links(
        *[
            report(
                f"UM-P{n}",
                reporter="project",
                project_name="Northern Lights Project",
                phone_numbers=office,
                contact_details="via the project" if n % 2 else f"ring us on {office}",
                offender_age=f"{20 + 9 * n}",
            )
            for n in range(5)
        ],
        *fillers(),
    )
    assert all("0191" not in reason for link in found for reason in link.reasons)


def test_a_compatible_partial_plate_with_a_misreading():
    found = links(
        report("UM-A", vehicle_registration="A812 CDE", vehicle_make="VW"),
        report("UM-B", vehicle_registration="starts AB1", vehicle_make="Volkswagen"),
        report("UM-C", vehicle_registration="AB12 CDE"),
        *fillers(),
    )
    misread = pair(found, "UM-A", "UM-C")
    assert misread is not None
    assert "plate A812 CDE is compatible with AB12 CDE (8 read as B)" in misread.reasons
    partial = pair(found, "UM-B", "UM-A")
    assert partial is not None and "same vehicle: Volkswagen" in partial.reasons


def test_an_incident_links_to_a_published_alert():
    alert = {
        "number": "2026-0008",
        "region": "northumbria",
        "incident": {"date": "2026-11-01"},
        "identifiers": {"phones": ["+447700900123"]},
        "offender": {"sex": "male", "age": "40s"},
        "what_happened": "He said he was police.",
    }
    found = links(
        report(
            "UM-A", phone_numbers="07700 900123", force_area="cleveland", incident_date="2026-11-12"
        ),
        *fillers(),
        alerts=[alert],
    )
    link = pair(found, "UM-A", "alert 2026-0008")
    assert link is not None and link.reasons[0] == "same phone +44 7700 900123"
    assert "Cleveland and Northumbria" in link.reasons[-1] and "11 days apart" in link.reasons[-1]
    assert profile_of_alert(alert).force_area == "northumbria"


def test_dismissed_pairs_stay_dismissed_and_confirmed_ones_are_marked():
    from datetime import UTC, datetime

    now = datetime(2026, 11, 29, tzinfo=UTC)
    records = {
        "UM-A": CaseRecord("UM-A").with_link("UM-B", "dismissed", "sam", now),
        "UM-C": CaseRecord("UM-C").with_link("UM-D", "confirmed", "sam", now),
    }
    decisions = link_decisions(records)
    found = links(
        report("UM-A", phone_numbers="07700 900111"),
        report("UM-B", phone_numbers="07700 900111"),
        report("UM-C", phone_numbers="07700 900222"),
        report("UM-D", phone_numbers="07700 900222"),
        *fillers(),
        decisions=decisions,
    )
    assert pair(found, "UM-A", "UM-B") is None
    assert pair(found, "UM-C", "UM-D").confirmed


def test_hostile_text_is_read_quickly_and_never_breaks_a_link():
    hostile = {
        "what_happened": "(a+)+$ [[[ .* \\\\ \u202e 𝕏 " * 2000,
        "offender_age": "9" * 5000,
        "offender_height": "5'" * 3000,
        "vehicle_registration": "?" * 10_000,
        "phone_numbers": "+" * 10_000,
        "offender_marks": "纹身" * 5000,
    }
    started = time.perf_counter()
    found = links(report("UM-H1", **hostile), report("UM-H2", **hostile), *fillers())
    assert time.perf_counter() - started < 10
    assert all(isinstance(reason, str) and reason for link in found for reason in link.reasons)


def test_a_rare_name_he_gave_links_and_a_common_one_weighs_less():
    found = links(
        *fillers(60),
        report("UM-R1", what_happened="He called himself Tarquin and would not pay.", **COMMON),
        report("UM-R2", what_happened="Said his name was 'Tarquin'. Refused to pay.", **COMMON),
        report("UM-C1", what_happened="He called himself Dave and would not pay.", **COMMON),
        report("UM-C2", what_happened="Said his name was Dave. Refused to pay.", **COMMON),
        report("UM-P1", what_happened="He called himself a policeman.", **COMMON),
        report("UM-P2", what_happened="He called himself a policeman.", **COMMON),
    )
    rare, common = pair(found, "UM-R1", "UM-R2"), pair(found, "UM-C1", "UM-C2")
    assert rare is not None and "both say he called himself Tarquin" in rare.reasons
    assert common is None or common.score < rare.score
    assert not any("called himself" in r for link in found for r in link.reasons if "P" in link.a)


def test_ages_written_as_words_are_compared():
    found = links(
        *fillers(60),
        report(
            "UM-W1", offender_age="forty-five", offender_sex="male", phone_numbers="07700 900111"
        ),
        report("UM-W2", offender_age="about 46", offender_sex="male", phone_numbers="07700 900111"),
    )
    assert any("aged 42–48 and 43–49" in reason for reason in pair(found, "UM-W1", "UM-W2").reasons)


def test_the_same_evidence_scores_lower_in_a_larger_vault():
    """Chance coincidences grow with the vault: one in 50 shares the snake tattoo."""

    def score(size):
        same = {"offender_marks": "snake tattoo on the left forearm", "phone_numbers": ""}
        twins = [report(n, **same) for n in ("UM-T1", "UM-T2")]
        snakes = [report(f"UM-S{n}", **same) for n in range(size // 50)]
        found = links(*fillers(size), *snakes, *twins)
        link = pair(found, "UM-T1", "UM-T2")
        return link.score if link else 0.0  # not suggested at all: no score

    assert score(1_000) > 0 and score(5_000) < score(1_000)


def test_hostile_names_are_read_quickly_and_only_as_names():
    from uglymugs.cases.signals import names_in

    started = time.perf_counter()
    assert names_in("called himself " * 3000) <= {"calle"}  # the last word, cut off
    assert names_in("known as " + "a" * 20_000) == set()
    assert names_in("his name was Mr. Smith; se numea Ionuț") == {"smith", "ionut"}
    assert time.perf_counter() - started < 1


def test_ages_and_heights_in_words_and_local_styles_in_every_language():
    from uglymugs.cases.signals import parse_age, parse_height

    fifty = {
        "fifty",
        "cincizeci",
        "cinquenta",
        "pięćdziesiąt",
        "五十岁",
        "about 50",
    }
    assert {parse_age(text) for text in fifty} == {(47, 53)}
    forties = ["in his forties", "patruzeci și ceva", "quarenta e tantos", "czterdziestolatek"]
    assert {parse_age(text) for text in [*forties, "四十多岁", "40s"]} == {(40, 49)}
    assert parse_age("quarenta e cinco anos") == parse_age("czterdzieści pięć lat") == (42, 48)
    tall = ["180cm", "1,80 m", "1m80", "um metro e oitenta", "metr osiemdziesiąt", "180公分"]
    assert {parse_height(text) for text in tall} == {(177, 183)}
    assert parse_height("一米八") == parse_height("1.8m") == (175, 185)


def test_a_name_he_gave_in_chinese_links_two_incidents():
    found = links(
        *fillers(60),
        report("UM-Z1", what_happened="他自称小龙，还偷偷摘套", offender_sex="male"),
        report("UM-Z2", what_happened="那个人说他叫小龙。他把钱抢回去了", offender_sex="male"),
    )
    link = pair(found, "UM-Z1", "UM-Z2")
    assert link is not None and "both say he called himself 小龙" in link.reasons
