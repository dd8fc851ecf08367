"""Information from police (schema uglymugs.partner/1, sealed to the report key like a
report) lands in the queue as its own kind, "From police"; staff can draft an alert
when the partner states it may be circulated; it can never be shared as a victim's
report; a report cannot pretend to be from police."""

from tests.staff.conftest import report


def partner_submission(**answers) -> dict:
    return {
        "schema": "uglymugs.partner/1",
        "report_type": "partner",
        "reporter": "police",
        "language": "en",
        "answers": {
            "submission_kind": "circulate",
            "organisation": "Example force intelligence bureau",
            "force_area": "greater-manchester",
            "what_happened": "A man offering lifts near the station has assaulted two women.",
            "consent_alert": "yes",
            "contact_details": "DC Example, 0161 000 0000",
            **answers,
        },
    }


def test_a_police_submission_is_its_own_kind_in_the_queue_and_the_incident(console):
    number = console.add(partner_submission())
    console.add(report(what_happened="someone else", consent_alert="yes"))
    console.unlock()
    queue = console.client.get("/queue").text
    assert queue[queue.index("<tbody>") :].count("From police") == 1
    page = console.client.get(f"/incidents/{number}").text
    assert "From police" in page and "offering lifts" in page
    assert f"/incidents/{number}/alert" in page  # the partner said it may be circulated


def test_a_police_submission_not_for_circulation_cannot_become_an_alert(console):
    number = console.add(partner_submission(consent_alert="no", submission_kind="help_request"))
    console.unlock()
    page = console.client.get(f"/incidents/{number}").text
    assert f'href="/incidents/{number}/alert"' not in page


def test_a_police_submission_is_never_shared_as_a_victims_report(console):
    number = console.add(partner_submission(categories=["rape"]))
    console.unlock()
    page = console.client.get(f"/incidents/{number}").text
    assert "This incident may not be shared with SCAS or the police." in page


def test_a_report_cannot_claim_to_be_from_police(console):
    number = console.add(report(reporter="police", what_happened="pretending"))
    console.unlock()
    assert "From police" not in console.client.get(f"/incidents/{number}").text
