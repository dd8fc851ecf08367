"""Consent resolved across an incident: the latest explicit answer, and the person's
agreement for a project's or a site's answer. Table-driven: each row is an incident
(its reports in the order they arrived) and what ``consent_alert`` resolves to."""

import pytest

from uglymugs.reports.consent import ALERT, POLICE_HELP, SCAS, resolve_consents
from uglymugs.reports.reading import OpenedReport


def report(number, reporter="self", report_type="full", **answers):
    content = {
        "schema": "uglymugs.report/1",
        "report_type": report_type,
        "follows": None,
        "reporter": reporter,
        "answers": answers,
    }
    return OpenedReport(number, f"2026-11-2{number[-1]}T08:00:00Z", "report-x", content)


P, F1, F2 = "UM-AAAA-AAAA-AAA1", "UM-AAAA-AAAA-AAA2", "UM-AAAA-AAAA-AAA3"

CASES = [
    # (name, reports, answer, allowed, source, reason contains)
    ("yes on its own", [report(P, consent_alert="yes")], "yes", True, P, None),
    ("never answered", [report(P)], None, False, None, "not answered"),
    (
        "partial, then consent in a follow-up",
        [
            report(P, report_type="partial"),
            report(F1, report_type="follow_up", consent_alert="yes"),
        ],
        "yes",
        True,
        F1,
        None,
    ),
    (
        "a follow-up that says nothing changes nothing",
        [report(P, consent_alert="yes"), report(F1, report_type="follow_up")],
        "yes",
        True,
        P,
        None,
    ),
    (
        "withdrawn later",
        [report(P, consent_alert="yes"), report(F1, consent_alert="no")],
        "no",
        False,
        F1,
        "did not agree",
    ),
    (
        "no, then yes",
        [report(P, consent_alert="no"), report(F1, consent_alert="yes")],
        "yes",
        True,
        F1,
        None,
    ),
    (
        "a hostile or unknown answer is not an answer",
        [report(P, consent_alert="yes"), report(F1, consent_alert="maybe\x1b")],
        "yes",
        True,
        P,
        None,
    ),
    (
        "project, person agreed",
        [report(P, "project", consent_alert="yes", victim_agreed="yes")],
        "yes",
        True,
        P,
        None,
    ),
    (
        "project, person did not agree",
        [report(P, "project", consent_alert="yes", victim_agreed="no")],
        "yes",
        False,
        P,
        "did not agree",
    ),
    (
        "project, person not asked",
        [report(P, "project", consent_alert="yes")],
        "yes",
        False,
        P,
        "was not asked",
    ),
    (
        "site, person did not agree",
        [report(P, "site", consent_alert="yes", victim_agreed="no")],
        "yes",
        False,
        P,
        "did not agree",
    ),
    (
        "site, person not asked",
        [report(P, "site", consent_alert="yes")],
        "yes",
        False,
        P,
        "was not asked",
    ),
    (
        "site, agreement given in a follow-up",
        [
            report(P, "site", consent_alert="yes"),
            report(F1, "site", report_type="follow_up", victim_agreed="yes"),
        ],
        "yes",
        True,
        P,
        None,
    ),
    (
        "project agreement withdrawn later blocks even the person's own yes",
        [
            report(P, consent_alert="yes"),
            report(F1, "project", report_type="follow_up", victim_agreed="no"),
        ],
        "yes",
        False,
        P,
        "did not agree",
    ),
    (
        "the person's own yes after a project report not asked",
        [
            report(P, "project", consent_alert="yes"),
            report(F1, "self", report_type="follow_up", consent_alert="yes"),
        ],
        "yes",
        True,
        F1,
        None,
    ),
    (
        "a 'yes' to victim_agreed from the person themselves counts for nothing",
        [report(P, "project", consent_alert="yes"), report(F1, "self", victim_agreed="yes")],
        "yes",
        False,
        P,
        "was not asked",
    ),
]


@pytest.mark.parametrize(
    ("reports", "answer", "allowed", "source", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_alert_consent_resolves_to_the_latest_explicit_answer(
    reports, answer, allowed, source, reason
):
    for order in (reports, list(reversed(reports))):  # arrival time decides, not list order
        consent = resolve_consents(order).alert
        assert (consent.answer, consent.allowed, consent.source) == (answer, allowed, source)
        if reason:
            assert reason in consent.reason
        else:
            assert consent.reason is None


def test_each_consent_is_resolved_on_its_own_with_its_history():
    consents = resolve_consents(
        [
            report(P, report_type="partial", consent_scas="no"),
            report(F1, report_type="follow_up", consent_alert="yes", consent_scas="yes"),
            report(F2, report_type="follow_up", consent_police_help="no"),
        ]
    )
    assert [c.name for c in consents] == [ALERT, SCAS, POLICE_HELP]
    assert consents.scas.allowed and consents.scas.source == F1
    assert [(a.report_number, a.value) for a in consents.scas.history] == [(P, "no"), (F1, "yes")]
    assert consents.police_help.answer == "no" and not consents.police_help.allowed
    document = consents.as_dict()
    assert document[SCAS]["history"][0] == {
        "report_number": P,
        "received_at": "2026-11-21T08:00:00Z",
        "reporter": "self",
        "answer": "no",
    }


@pytest.mark.parametrize("reporter", ["project", "site"])
def test_no_consent_of_a_report_without_the_persons_agreement_is_allowed(reporter):
    answers = {ALERT: "yes", SCAS: "yes", POLICE_HELP: "yes"}
    for agreement in ({"victim_agreed": "no"}, {}):
        consents = resolve_consents([report(P, reporter, **answers, **agreement)])
        assert [consent.allowed for consent in consents] == [False, False, False]


def test_reports_that_cannot_be_opened_are_ignored():
    unreadable = OpenedReport(F1, "2026-11-29T08:00:00Z", "report-x", problem="corrupt")
    consent = resolve_consents([report(P, consent_alert="yes"), unreadable]).alert
    assert consent.allowed and consent.source == P
