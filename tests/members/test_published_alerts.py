"""The bundle endpoint and the identifier check, against a real publish of ``site/alerts``."""

import json
import shutil
from base64 import b64decode
from datetime import UTC, date, datetime, timedelta

import pytest
from nacl.signing import SigningKey
from starlette.testclient import TestClient

from tests.members.factories import a_member
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.signing import verify_bundle
from uglymugs.config import Settings, repository_root
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.published import PLATE_GRAMS, PublishedAlerts, build_index
from uglymugs.members.sessions import COOKIE_NAME, Sessions
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.publishing import publish

KEY = SigningKey(b"\x07" * 32)
KEY_ID = "bundle-test"
VERIFY_KEYS = {KEY_ID: bytes(KEY.verify_key)}
TODAY = date(2026, 11, 23)


def publish_examples(shelf, tmp_path, today=TODAY):
    return publish(
        Settings(data_dir=tmp_path / "publish-data"),
        alerts_dir=repository_root() / "site" / "alerts",
        shelf=shelf,
        signing_key=KEY,
        key_id=KEY_ID,
        today=today,
        now=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        build_public_site=False,
    )


def logged_in_client(member_stores, clock, tmp_path, published):
    directory, store = member_stores
    member = a_member(status="approved")
    directory.add(member)
    services = MemberServices(
        directory,
        store,
        OutboxMailer(tmp_path / "outbox", notice=lambda _l: None),
        TEST_PARAMETERS,
        "https://uglymugs.example",
        clock,
        published,
    )
    client = TestClient(create_member_app(services), base_url="https://testserver")
    client.cookies.set(COOKIE_NAME, Sessions(store, directory, clock).start(member.id))
    return client


@pytest.fixture
def local_setup(member_stores, clock, tmp_path, local_bundle_shelf):
    publish_examples(local_bundle_shelf, tmp_path)
    published = PublishedAlerts(local_bundle_shelf, VERIFY_KEYS)
    return logged_in_client(member_stores, clock, tmp_path, published), local_bundle_shelf


def bundle_and_signature(response) -> tuple[bytes, bytes]:
    """The bundle bytes and the .sig document bytes, as the browser receives them."""
    body = response.json()
    return b64decode(body["bundle"], validate=True), canonical_bytes(body["signature"])


def check(client, kind, value):
    return client.post("/api/check", json={"kind": kind, "value": value})


def test_the_bundle_streams_with_its_signature_which_verifies(local_setup):
    client, _ = local_setup
    response = client.get("/api/alerts/bundle")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    bundle = verify_bundle(*bundle_and_signature(response), VERIFY_KEYS)
    assert bundle.scope == "all" and "2026-0008" in [a["number"] for a in bundle.alerts]


def test_a_region_bundle(local_setup):
    client, _ = local_setup
    response = client.get("/api/alerts/bundle", params={"region": "northumbria"})
    bundle = verify_bundle(*bundle_and_signature(response), VERIFY_KEYS)
    assert bundle.scope == "region:northumbria"
    assert {alert["region"] for alert in bundle.alerts} == {"northumbria"}


def test_a_region_without_alerts_is_a_signed_empty_bundle(local_setup):
    # Not a 404 (which the browser logs, and could not verify): the signed "none" of
    # that scope, of the current sequence like every other bundle.
    client, _ = local_setup
    response = client.get("/api/alerts/bundle", params={"region": "dorset"})
    assert response.status_code == 200
    bundle = verify_bundle(*bundle_and_signature(response), VERIFY_KEYS)
    assert bundle.scope == "region:dorset" and bundle.alerts == ()
    whole = verify_bundle(*bundle_and_signature(client.get("/api/alerts/bundle")), VERIFY_KEYS)
    assert bundle.sequence == whole.sequence


def test_bundle_errors(local_setup):
    client, _ = local_setup
    unknown = client.get("/api/alerts/bundle", params={"region": "atlantis"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "region"
    client.cookies.clear()
    assert client.get("/api/alerts/bundle").status_code == 401


def test_nothing_published_is_404(member_stores, clock, tmp_path, local_bundle_shelf):
    client = logged_in_client(
        member_stores, clock, tmp_path, PublishedAlerts(local_bundle_shelf, VERIFY_KEYS)
    )
    assert client.get("/api/alerts/bundle").json()["error"]["code"] == "no_bundle"
    assert check(client, "phone", "07700 900123").json() == {"matches": []}


def test_on_aws_the_bundle_is_a_presigned_url(aws_member_stores, clock, tmp_path, aws_bundle_shelf):
    import urllib.parse

    import boto3

    publish_examples(aws_bundle_shelf, tmp_path)
    published = PublishedAlerts(
        aws_bundle_shelf, VERIFY_KEYS, presign=lambda n: aws_bundle_shelf.presigned_url(n, 300)
    )
    client = logged_in_client(aws_member_stores, clock, tmp_path, published)
    response = client.get("/api/alerts/bundle")
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"url", "expires_in", "signature"} and answer["expires_in"] == 300
    url = urllib.parse.urlparse(answer["url"])
    assert url.path.endswith("/alerts-all.json") and "Signature" in url.query
    key = url.path.split("/", 2)[2] if url.netloc.startswith("s3") else url.path.lstrip("/")
    data = boto3.client("s3").get_object(Bucket=aws_bundle_shelf.bucket, Key=key)["Body"].read()
    assert verify_bundle(data, canonical_bytes(answer["signature"]), VERIFY_KEYS).scope == "all"


@pytest.mark.parametrize(
    "spelling", ["07700 900123", "+447700900123", "+44 7700 900123", "(07700) 900-123"]
)
def test_a_check_finds_the_example_alert_however_the_number_is_written(local_setup, spelling):
    client, _ = local_setup
    response = check(client, "phone", spelling)
    assert response.status_code == 200
    assert response.json() == {
        "matches": [
            {"number": "2026-0008", "issued": "2026-11-02", "region": "northumbria", "risk": "high"}
        ]
    }


def test_a_check_with_no_match_is_an_empty_list(local_setup):
    client, _ = local_setup
    assert check(client, "phone", "07700 900999").json() == {"matches": []}
    assert check(client, "email", "nobody@example.org").json() == {"matches": []}
    assert check(client, "username", "@nobody").json() == {"matches": []}
    assert check(client, "plate", "AB12 CDE").json() == {"matches": []}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "phone", "value": "not a number"}, "value"),
        ({"kind": "email", "value": "nope"}, "value"),
        ({"kind": "plate", "value": "!!"}, "value"),
        ({"kind": "fax", "value": "1"}, "kind"),
        ({"kind": "phone", "value": ""}, "value"),
        ({"kind": "phone"}, "value"),
        ({"kind": "phone", "value": "1", "why": "x"}, "why"),
    ],
)
def test_bad_checks_name_the_field_and_never_echo_the_value(local_setup, body, field):
    client, _ = local_setup
    response = client.post("/api/check", json=body)
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    if body.get("value"):
        assert body["value"] not in response.json()["error"]["message"]


def test_checks_need_a_session(local_setup):
    client, _ = local_setup
    client.cookies.clear()
    assert check(client, "phone", "07700 900123").status_code == 401


def test_checks_are_rate_limited_per_member(local_setup, clock):
    client, _ = local_setup
    for _ in range(30):
        assert check(client, "phone", "07700 900999").status_code == 200
    limited = check(client, "phone", "07700 900123")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert 0 < int(limited.headers["retry-after"]) <= 600
    clock.advance(timedelta(seconds=int(limited.headers["retry-after"])))
    assert check(client, "phone", "07700 900123").json()["matches"]


def test_the_index_follows_a_new_publish(local_setup, tmp_path):
    client, shelf = local_setup
    assert check(client, "phone", "07700 900123").json()["matches"]
    # 2026-0008 expires before this later day (or is re-published): either way the
    # index must be the one of the new manifest.
    later = TODAY + timedelta(days=400)
    result = publish_examples(shelf, tmp_path, today=later)
    assert result.sequence == 2
    bundle = json.loads(shelf.get(f"seq-{2:06d}/alerts-all.json"))
    expected = [
        a["number"]
        for a in bundle["alerts"]
        if "+447700900123" in (a.get("identifiers") or {}).get("phones", [])
    ]
    found = [m["number"] for m in check(client, "phone", "07700 900123").json()["matches"]]
    assert found == expected


def test_build_index_reads_identifiers_and_vehicle_registrations():
    bundle = json.dumps(
        {
            "alerts": [
                {
                    "number": "2026-0001",
                    "issued": "2026-01-01",
                    "region": "kent",
                    "risk": "low",
                    "identifiers": {"emails": ["a@b.org"], "usernames": ["DaveM"]},
                    "vehicle": {"registration": "ZZ99 ZZZ"},
                }
            ]
        }
    ).encode()
    index = build_index(bundle)
    exact = {key for key in index if key[0] != PLATE_GRAMS}
    assert exact == {("email", "a@b.org"), ("username", "davem"), ("plate", "ZZ99ZZZ")}


def test_build_index_keeps_e164_phones_as_published_and_leaves_out_what_is_not_one():
    """Bundle phones are checked for their form, not re-parsed: an E.164 number that is
    not in libphonenumber's plan is kept as written; a national spelling is left out."""
    alert = {"number": "2026-0001", "issued": "2026-01-01", "region": "kent", "risk": "low"}
    alert["identifiers"] = {"phones": ["+447900000001", "07700 900123", "+0123", 447700900123]}
    index = build_index(json.dumps({"alerts": [alert]}).encode())
    assert {key for key in index if key[0] != PLATE_GRAMS} == {("phone", "+447900000001")}
    assert index[("phone", "+447900000001")][0]["number"] == "2026-0001"


def test_the_index_never_goes_back_to_an_older_sequence(
    member_stores, clock, tmp_path, local_bundle_shelf
):
    """A shelf rolled back to an older, validly signed manifest keeps the newer index:
    an alert withdrawn in sequence 2 never comes back into checks."""
    alerts_dir = tmp_path / "alerts"
    shutil.copytree(repository_root() / "site" / "alerts", alerts_dir)
    settings = Settings(tmp_path / "publish-data")
    options = {"shelf": local_bundle_shelf, "signing_key": KEY, "key_id": KEY_ID, "today": TODAY}
    options |= {"now": datetime(2026, 11, 23, 10, 0, tzinfo=UTC), "build_public_site": False}
    publish(settings, alerts_dir=alerts_dir, **options)
    first_manifest = local_bundle_shelf.get_manifest()
    published = PublishedAlerts(local_bundle_shelf, VERIFY_KEYS)
    client = logged_in_client(member_stores, clock, tmp_path, published)
    assert check(client, "phone", "07700 900123").json()["matches"]

    alert = alerts_dir / "2026-0008.md"
    withdrawn = "status: withdrawn\nwithdrawn_reason: reported in error"
    alert.write_text(alert.read_text().replace("status: published", withdrawn))
    assert publish(settings, alerts_dir=alerts_dir, **options).sequence == 2
    assert check(client, "phone", "07700 900123").json()["matches"] == []

    local_bundle_shelf.put_manifest(first_manifest)  # sequence 1 again, signature valid
    assert check(client, "phone", "07700 900123").json()["matches"] == []
    # A fresh reader of the rolled-back shelf would see it: the rule is what keeps it out.
    fresh = PublishedAlerts(local_bundle_shelf, VERIFY_KEYS)
    assert fresh.check("phone", "07700 900123")
