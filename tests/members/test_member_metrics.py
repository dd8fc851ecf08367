"""The alerts function counts members joined: new applications, not retries or clashes."""

from starlette.testclient import TestClient

from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.messaging.mailer.outbox import OutboxMailer

APPLICATION = {
    "membership_type": "individual",
    "username": "CountMe",
    "email": "count@example.org",
    "accept_terms": True,
}


class RecordedMetrics:
    def __init__(self):
        self.added = []

    def add_metric(self, name, unit, value):
        self.added.append((name, unit, value))


def test_only_a_new_application_counts_as_a_member_joined(local_member_stores, clock, tmp_path):
    metrics = RecordedMetrics()
    services = MemberServices(
        local_member_stores.directory,
        local_member_stores.sessions,
        OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock),
        TEST_PARAMETERS,
        "https://uglymugs.example",
        clock,
        metrics=metrics,
    )
    client = TestClient(create_member_app(services), base_url="https://testserver")
    assert client.post("/api/members", json=APPLICATION).status_code == 202
    assert client.post("/api/members", json=APPLICATION).status_code == 202  # a retry
    taken = {**APPLICATION, "email": "other@example.org"}
    assert client.post("/api/members", json=taken).status_code == 202  # username taken
    assert metrics.added == [("MembersJoined", "Count", 1)]
