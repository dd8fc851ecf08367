"""Suggested links: shared identifiers, normalised; never a report with its follow-up."""

from __future__ import annotations

from uglymugs.cases.links import suggest_links
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport


def report(number, follows=None, **answers):
    content = {
        "schema": "uglymugs.report/1",
        "report_type": "follow_up" if follows else "full",
        "follows": follows,
        "reporter": "self",
        "answers": answers,
    }
    return OpenedReport(number, "2026-01-01", "report-x", content)


def links(*reports):
    return suggest_links(group_incidents(reports))


def test_the_same_phone_written_two_ways_is_a_link_with_its_reason():
    (link,) = links(
        report("UM-A", phone_numbers="07700 900123"),
        report("UM-B", phone_numbers="+44 7700 900123\nnot a number"),
        report("UM-C", phone_numbers="07700 900999"),
    )
    assert (link.a, link.b) == ("UM-A", "UM-B")
    assert link.reasons == ("same phone +44 7700 900123",)
    assert 0 < link.score <= 1


def test_more_shared_identifiers_score_higher_and_common_ones_lower():
    result = links(
        report(
            "UM-A", emails="Dave@Example.org", usernames="@DaveM", vehicle_registration="CN51 QZX"
        ),
        report(
            "UM-B", emails="dave@example.org", usernames="davem", vehicle_registration="cn51qzx"
        ),
        *[report(f"UM-R{n}", phone_numbers="07700 900555") for n in range(4)],
        *[report(f"UM-F{n}", phone_numbers=f"07700 900{n:03d}") for n in range(40)],
    )
    best = result[0]
    assert (best.a, best.b) == ("UM-A", "UM-B") and len(best.reasons) == 3
    recycled = [link for link in result if link.a.startswith("UM-R")]
    assert len(recycled) == 6 and all(link.score < best.score for link in recycled)
    assert "also in 2 other incidents" in recycled[0].reasons[0]


def test_a_follow_up_is_never_linked_with_its_original_nor_a_pair_twice():
    result = links(
        report("UM-A", phone_numbers="07700 900123"),
        report("UM-A2", follows="UM-A", phone_numbers="07700 900123"),
        report("UM-B", phone_numbers="07700 900123", emails="x@example.org"),
        report("UM-B2", follows="UM-B", emails="x@example.org"),
    )
    assert [(link.a, link.b) for link in result] == [("UM-A", "UM-B")]


def test_a_compatible_partial_plate_is_a_link_with_its_reason():
    (link,) = links(
        report("UM-A", vehicle_registration="AB12 C??"),
        report("UM-B", vehicle_registration="ab12 cde"),
        report("UM-C", vehicle_registration="XY99 ZZZ"),
    )
    assert (link.a, link.b) == ("UM-A", "UM-B")
    assert link.reasons == ("plate AB12 C?? is compatible with AB12 CDE",)
