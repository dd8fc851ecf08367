"""Incidents: reports grouped with their follow-ups, answers merged, the triage summary;
and the town → force area table behind the suggested region."""

import pytest
import yaml

from uglymugs.alerts.regions import load_regions
from uglymugs.reports.incidents import group_incidents, incident_of
from uglymugs.reports.places import force_area_for_town, places
from uglymugs.reports.reading import OpenedReport


def report(number, received, report_type="full", follows=None, reporter="self", **answers):
    content = {
        "schema": "uglymugs.report/1",
        "report_type": report_type,
        "follows": follows,
        "reporter": reporter,
        "answers": answers,
    }
    return OpenedReport(number, received, "report-x", content)


A, B, C, D = (f"UM-AAAA-AAAA-AAA{n}" for n in range(1, 5))


def test_a_partial_and_its_follow_ups_are_one_incident_with_merged_answers():
    reports = [
        report(C, "2026-11-23", "follow_up", follows=B, categories=["threats"]),
        report(A, "2026-11-20", "partial", town_or_area="Middlesbrough", categories=["robbery"]),
        report(
            B,
            "2026-11-21",
            "follow_up",
            follows=A,
            incident_date="2026-11-19",
            contact_preference="phone",
            consent_alert="yes",
            town_or_area="Hartlepool",
        ),
        report(D, "2026-11-22", what_happened="another"),
    ]
    first, second = group_incidents(reports)
    assert first.numbers == (A, B, C) and second.numbers == (D,)
    assert first.number == A and first.report_type == "partial"
    assert first.received_at == "2026-11-20" and first.last_received_at == "2026-11-23"
    assert first.town == "Hartlepool" and first.answers["town_or_area"].report_number == B
    assert first.force_area == "cleveland" and first.force_area_source == "town"
    assert first.categories == ("robbery", "threats")
    assert first.incident_date == "2026-11-19"
    assert first.wants_contact and first.contact_preference == "phone"
    assert first.consents.alert.allowed and first.consents.alert.source == B
    assert incident_of(C, reports).number == A and incident_of(D, reports).numbers == (D,)
    summary = first.summary()
    assert summary["numbers"] == [A, B, C] and summary["who_reported"] == "self"
    assert summary["consents"]["consent_alert"] == {"answer": "yes", "allowed": True}
    assert "what_happened" not in str(summary)


def test_who_reported_and_the_force_area_the_report_gives():
    staff = report(
        A,
        "2026-11-20",
        reporter="project",
        force_area="merseyside",
        town_or_area="Middlesbrough",
        contact_preference="none",
    )
    staff = OpenedReport(A, staff.received_at, "report-x", {**staff.content, "entered_by": "Sam"})
    (incident,) = group_incidents([staff])
    assert incident.who_reported == "staff"
    assert incident.force_area == "merseyside" and incident.force_area_source == "report"
    assert incident.wants_contact is False
    not_sure = report(B, "2026-11-20", force_area="not_sure")
    assert group_incidents([not_sure])[0].force_area is None


def test_a_follow_up_of_a_missing_report_and_an_unreadable_one_stand_alone():
    orphan = report(A, "2026-11-20", "follow_up", follows=B)
    broken = OpenedReport(C, "2026-11-21", "report-x", problem="corrupt")
    loop = [
        report(B, "2026-11-22", "follow_up", follows=D),
        report(D, "2026-11-23", "follow_up", follows=B),
    ]
    incidents = group_incidents([orphan, broken, *loop])
    assert sorted(n for i in incidents for n in i.numbers) == sorted([A, B, C, D])
    unreadable = next(i for i in incidents if i.number == C)
    assert not unreadable.readable and unreadable.summary()["problem"] == "corrupt"


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Middlesbrough", "cleveland"),
        ("Linthorpe Road, MIDDLESBROUGH", "cleveland"),
        ("Ancoats, Manchester", "greater-manchester"),
        ("near Stratford-upon-Avon", "warwickshire"),
        ("Stratford, east London", "metropolitan"),
        ("King's Lynn", "norfolk"),
        ("Cardiff Bay", "south-wales"),
        ("Glasgow", "scotland"),
        ("between Leeds and Manchester", None),  # two force areas: no guess
        ("by the canal", None),
        ("", None),
    ],
)
def test_a_town_suggests_its_force_area_only_when_it_is_sure(text, area):
    assert force_area_for_town(text) == area


def test_the_places_table_covers_every_force_area_and_names_only_known_ones():
    regions = load_regions()
    assert set(places().values()) == set(regions)
    from importlib.resources import files

    table = yaml.safe_load(files("uglymugs").joinpath("data", "places.yaml").read_text())
    names = [town for towns in table.values() for town in towns]
    assert len(names) == len(set(names))  # no town in two force areas
