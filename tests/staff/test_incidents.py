"""The incident view and casework: follow-ups merged, consent resolved, conflicts told."""

import re

from tests.staff.conftest import make_console, report
from uglymugs.audit.trail import verify


def partial_and_follow_up(console):
    partial = console.add(
        report(report_type="partial", what_happened="He took the money back by force."),
        received_at="2026-11-20T09:00:00Z",
    )
    follow_up = console.add(
        report(
            report_type="follow_up",
            follows=partial,
            consent_alert="yes",
            consent_scas="no",
            town_or_area="Middlesbrough",
            categories=["robbery"],
        ),
        received_at="2026-11-21T09:00:00Z",
    )
    return partial, follow_up


def test_a_partial_report_and_its_follow_up_are_one_incident_with_the_follow_ups_consent(console):
    partial, follow_up = partial_and_follow_up(console)
    console.unlock()
    queue = console.client.get("/queue").text
    assert "Incidents shown: 1" in queue and partial in queue and follow_up in queue
    page = console.client.get(f"/incidents/{partial}").text
    assert f"from {follow_up}" in page and f"from {partial}" in page
    assert "Draft alert" in page  # the follow-up's consent_alert: yes
    assert "may not be shared" in page  # consent_scas: no
    assert console.client.get(f"/incidents/{follow_up}").status_code == 200


def test_a_project_report_without_the_persons_agreement_offers_no_draft(console):
    number = console.add(
        report(
            reporter="project",
            victim_agreed="no",
            consent_alert="yes",
            consent_scas="yes",
            what_happened="x",
        )
    )
    console.unlock()
    page = console.client.get(f"/incidents/{number}").text
    assert "Draft alert" not in page and "may not be shared" in page
    assert console.client.get(f"/incidents/{number}/alert").status_code == 403
    refused = console.post(f"/incidents/{number}/case", {"version": "0", "status": "shared"})
    assert refused.status_code == 422 and 'id="status-problem"' in refused.text
    assert console.services.keyholder.state.casework.load(number).version == 0


def test_assign_note_and_status_are_saved_and_audited_without_the_notes_text(console):
    number = console.add(report(what_happened="x", consent_alert="yes"))
    console.unlock()
    response = console.post(
        f"/incidents/{number}/case",
        {
            "version": "0",
            "status": "in_progress",
            "assignee": "Sam",
            "note": "canary-note-91",
            "contact_kind": "called_back",
            "contact_text": "",
        },
    )
    assert response.status_code == 303
    case = console.services.keyholder.state.casework.load(number)
    assert (case.status, case.assignee, case.version) == ("in_progress", "Sam", 1)
    assert case.notes[0].text == "canary-note-91" and case.contacts[0].kind == "called_back"
    page = console.client.get(f"/incidents/{number}").text
    assert "canary-note-91" in page and "In progress" in page
    actions = [e.action for e in console.services.history(number)]
    assert {"read", "status", "assign", "note", "contact"} <= set(actions)
    entries = list(console.services.audit_log.entries())
    assert all("canary-note-91" not in e.to_json() for e in entries)
    assert verify(console.services.audit_log).ok


def test_bad_case_input_is_shown_beside_its_field_and_nothing_is_stored(console):
    number = console.add(report(what_happened="x"))
    console.unlock()
    for data, field in (
        ({"version": "0", "status": "sleeping"}, "status"),
        ({"version": "0", "status": "new", "assignee": "x" * 81}, "assignee"),
        ({"version": "0", "status": "new", "contact_kind": "telepathy"}, "contact_kind"),
        ({"version": "0", "status": "new", "contact_text": "rang"}, "contact_kind"),
        ({"status": "new"}, "version"),
    ):
        response = console.post(f"/incidents/{number}/case", data)
        assert response.status_code == 422, data
        assert f'id="{field}-problem"' in response.text, data
    assert console.services.keyholder.state.casework.load(number).version == 0


def test_two_staff_saving_one_case_the_second_is_told_and_shown_the_newer(tmp_path, key_files):
    sam = make_console(tmp_path, key_files, "Sam")
    number = sam.add(report(what_happened="x"))
    alex = make_console(tmp_path, key_files, "Alex")
    for console in (sam, alex):
        console.client.get(f"/launch?token={console.tickets.launch_token}")
        console.unlock()
    form = {"version": "0", "status": "in_progress"}
    assert sam.post(f"/incidents/{number}/case", {**form, "assignee": "Sam"}).status_code == 303
    second = alex.post(f"/incidents/{number}/case", {**form, "assignee": "Alex"})
    assert second.status_code == 409
    assert "Someone else saved this case first" in second.text
    assert re.search(r'name="version" value="1"', second.text)
    assert 'value="Sam"' in second.text
    case = alex.services.keyholder.state.casework.load(number)
    assert (case.assignee, case.version) == ("Sam", 1)


def test_an_answer_the_form_no_longer_asks_is_still_shown_as_stored(console):
    number = console.add(report(what_happened="x", old_question="kept <b>as text</b>"))
    console.unlock()
    page = console.client.get(f"/incidents/{number}").text
    assert "old_question" in page and "kept &lt;b&gt;as text&lt;/b&gt;" in page


def test_the_force_area_the_person_chose_is_shown_by_name(console):
    number = console.add(
        report(what_happened="x", town_or_area="Middlesbrough", force_area="west-midlands")
    )
    console.unlock()
    page = console.client.get(f"/incidents/{number}").text
    assert "Police force area" in page and "West Midlands" in page


def test_why_a_consent_does_not_stand_is_shown_in_the_staff_members_language(console):
    """A project's "yes" without the person's agreement: the incident page and the
    refused draft say why in the console's language, not in English."""
    import html

    number = console.add(report(reporter="project", consent_alert="yes", consent_scas="yes"))
    console.unlock()
    english = html.unescape(console.client.get(f"/incidents/{number}").text)
    assert "was not asked about the report" in english
    for language, says in [
        ("pl", "nie zapytano o zgłoszenie"),
        ("ro", "nu a fost întrebată despre raport"),
        ("pt-BR", "não foi consultada sobre o relato"),
        ("zh-Hans", "项目或网站不能代其同意"),
    ]:
        headers = {"Accept-Language": language}
        page = html.unescape(console.client.get(f"/incidents/{number}", headers=headers).text)
        assert says in page and "was not asked" not in page, language
        refused = console.client.get(f"/incidents/{number}/alert", headers=headers)
        assert refused.status_code == 403
        assert says in html.unescape(refused.text), language
