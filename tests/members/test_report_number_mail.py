"""E-mail me my report number: one e-mail to the logged-in member, nothing kept.

A member's report never carries their session, so this route is the only place a
number meets an account, and only in the e-mail it sends: the number must not be
stored in any table, and the account-mail limits bound how many can be sent.
"""

from tests.members.test_member_api import approved_member, bodies, log_in
from tests.members.test_my_data import every_row
from tests.members.test_my_data import scheme as scheme
from uglymugs.reports.numbers import new_report_number

ROUTE = "/api/members/me/report-number"


def test_the_number_is_mailed_to_the_member_and_stored_nowhere(scheme, tmp_path):
    client, _services, _, mailer = scheme
    approved_member(scheme)
    assert log_in(client).status_code == 204
    number = new_report_number()
    before = len(bodies(mailer))

    response = client.post(ROUTE, json={"report_number": number.lower().replace("-", " ")})

    assert response.status_code == 204
    to, text = bodies(mailer)[before]
    assert to == "dave@example.org" and number in text
    compact = number.replace("-", "")
    for table, rows in every_row(tmp_path).items():
        for row in rows:
            assert number not in repr(row) and compact not in repr(row), table


def test_a_bad_number_or_no_session_sends_nothing(scheme):
    client, _services, _, mailer = scheme
    approved_member(scheme)
    before = len(bodies(mailer))
    assert client.post(ROUTE, json={"report_number": new_report_number()}).status_code == 401
    assert log_in(client).status_code == 204
    good = new_report_number()
    wrong_check = good[:-1] + ("2" if good[-1] != "2" else "3")
    bad = client.post(ROUTE, json={"report_number": wrong_check})
    assert bad.status_code == 422
    assert bad.json()["error"] == {
        "code": "invalid_field",
        "message": "report_number must be a report number like UM-7K3F-92QH-X4PM",
        "field": "report_number",
    }
    extra = client.post(ROUTE, json={"report_number": new_report_number(), "who": "me"})
    assert extra.status_code == 422 and extra.json()["error"]["code"] == "unknown_field"
    assert len(bodies(mailer)) == before


def test_three_a_day_then_429_with_retry_after(scheme):
    client, _services, _, mailer = scheme
    approved_member(scheme)
    assert log_in(client).status_code == 204
    before = len(bodies(mailer))
    for _ in range(3):
        assert client.post(ROUTE, json={"report_number": new_report_number()}).status_code == 204
    refused = client.post(ROUTE, json={"report_number": new_report_number()})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0
    assert len(bodies(mailer)) == before + 3
