"""The Word download: exactly the selected alerts, from the verified bundle, in the
member's language; it opens with python-docx."""

import io

import pytest
from docx import Document
from starlette.testclient import TestClient

from tests.members.factories import a_member
from tests.members.test_published_alerts import VERIFY_KEYS, publish_examples
from uglymugs.composition import alert_labels_in
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.published import PublishedAlerts
from uglymugs.members.sessions import COOKIE_NAME, Sessions
from uglymugs.members.word_export import DOCX_TYPE
from uglymugs.messaging.mailer.outbox import OutboxMailer


@pytest.fixture
def client_for(local_member_stores, clock, tmp_path, local_bundle_shelf):
    publish_examples(local_bundle_shelf, tmp_path)
    directory, store = local_member_stores
    services = MemberServices(
        directory,
        store,
        OutboxMailer(tmp_path / "outbox", notice=lambda _l: None),
        TEST_PARAMETERS,
        "https://uglymugs.example",
        clock,
        PublishedAlerts(local_bundle_shelf, VERIFY_KEYS),
        alert_labels=alert_labels_in,
    )
    app = create_member_app(services)

    def make(language="en", username="Project1"):
        member = a_member(username, f"{username}@example.org", status="approved", language=language)
        directory.add(member)
        client = TestClient(app, base_url="https://testserver")
        client.cookies.set(COOKIE_NAME, Sessions(store, directory, clock).start(member.id))
        return client

    return make


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def numbers_in(client) -> list[str]:
    import base64
    import json

    body = client.get("/api/alerts/bundle").json()
    return [a["number"] for a in json.loads(base64.b64decode(body["bundle"]))["alerts"]]


def test_the_document_opens_and_holds_exactly_the_selected_alerts(client_for):
    client = client_for()
    every = numbers_in(client)
    assert len(every) >= 3
    chosen = [every[2], every[0]]
    response = client.post("/api/alerts/docx", json={"numbers": chosen})
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX_TYPE
    assert "attachment" in response.headers["content-disposition"]
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [heading.split()[1] for heading in headings] == chosen
    text = text_of(response.content)
    for number in set(every) - set(chosen):
        assert number not in text
    assert "What happened" in text and "non_payment" not in text


def test_labels_are_in_the_members_language(client_for):
    client = client_for("pl")
    (first, *_) = numbers_in(client)
    text = text_of(client.post("/api/alerts/docx", json={"numbers": [first]}).content)
    assert "Ostrzeżenie" in text and "Co się stało" in text
    assert "What happened" not in text


@pytest.mark.parametrize(
    "numbers", [[], ["2099-0001"], ["not a number"], ["2026-0008", "2026-0008"], "2026-0008"]
)
def test_unknown_or_bad_numbers_are_refused(client_for, numbers):
    response = client_for().post("/api/alerts/docx", json={"numbers": numbers})
    assert response.status_code == 422 and response.json()["error"]["field"] == "numbers"


def test_the_download_needs_a_session(client_for):
    client = client_for()
    client.cookies.clear()
    response = client.post("/api/alerts/docx", json={"numbers": ["2026-0008"]})
    assert response.status_code == 401


def test_copy_as_text_holds_exactly_the_selected_alerts_with_translated_labels(client_for):
    client = client_for("pl")
    every = numbers_in(client)
    response = client.post("/api/alerts/text", json={"numbers": [every[1]]})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert text.startswith(f"Ostrzeżenie {every[1]}")
    assert "Co się stało:" in text
    assert all(number not in text for number in every if number != every[1])
    refused = client.post("/api/alerts/text", json={"numbers": ["2099-0001"]})
    assert refused.status_code == 422
