"""The functions as deployed: each entry point loaded with the environment the template
gives it, over the template's own tables and buckets on moto, driven by real-shaped
events. A report is stored sealed and read back by staff; a member joins, is approved
from the staff command, sets a password from the e-mailed link, logs in and gets a
signed bundle URL that CloudFront would accept; the bundle it names verifies. A
publication reaches members by SES and SNS once, even when its event comes twice, and
a bounce marks the member's channel.
"""

from __future__ import annotations

import json
import os
import re
import time
from base64 import b64decode, b64encode
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from nacl.public import PrivateKey, SealedBox

from tests.alerts.test_shelf_cloudfront import checked_by_cloudfront
from tests.functions.loading import load_function
from tests.functions.test_notify_function import NotifyContext, bounce
from tests.infra.moto_stack import ACCOUNT, REGION, create_stack
from tests.lambda_events import FakeLambdaContext, http_api_event
from tests.members.test_published_alerts import VERIFY_KEYS, publish_examples
from tests.notify.scenario import VERIFY_KEYS as NOTIFY_VERIFY_KEYS
from tests.notify.scenario import alert, member
from tests.notify.scenario import publish as publish_with_changes
from tests.notify.test_fanout_aws import sent_email, sent_sms
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.shelf.s3 import S3BundleShelf
from uglymugs.alerts.signing import verify_bundle
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.reports.vault.s3 import S3ReportVault

PASSWORD = "a long enough passphrase"
MAIL_DOMAIN = "uglymugs.example"


@pytest.fixture
def report_key():
    return PrivateKey.generate()


@pytest.fixture
def url_key():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def stack(mocked_aws, report_key, url_key):
    """The template's resources on moto, and the deploy-time parameters and secret."""
    import boto3
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    ring = ReportKeyRing("report-e2e", {"report-e2e": report_key.public_key.encode()})
    made = create_stack(
        {
            "MailFromAddress": f"Ugly Mugs <alerts@{MAIL_DOMAIN}>",
            "MailDomain": MAIL_DOMAIN,
            "SiteUrl": "https://d111111abcdef8.cloudfront.net",
            "ReportKeyRing": ring.to_json(),
            "BundleVerifyKeys": json.dumps(
                {
                    key_id: b64encode(key).decode()
                    for key_id, key in {**VERIFY_KEYS, **NOTIFY_VERIFY_KEYS}.items()
                }
            ),
        }
    )
    pem = url_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    secret = made.parameters["BundleUrlPrivateKeySecretPrefix"] + "-a"  # slot A is active
    boto3.client("secretsmanager").create_secret(Name=secret, SecretString=pem)
    yield made
    parameters.clear_caches()


def deployed(monkeypatch, tmp_path, stack, function: str, name: str, **overrides: str):
    """``functions/<name>/app.py`` loaded with the template's environment (and ``overrides``)."""
    for variable in list(os.environ):
        if variable.startswith("UGLYMUGS_"):
            monkeypatch.delenv(variable)
    # A local fallback would write here; the assertions below prove nothing does.
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "must-stay-empty"))
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", f"uglymugs-{name}")
    for variable, value in {**stack.environment(function), **overrides}.items():
        monkeypatch.setenv(variable, value)
    return load_function(name)


def invoke(function, event, cookies=None):
    if cookies:
        event["cookies"] = cookies
    response = function.handler(event, FakeLambdaContext())
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = b64decode(body).decode()
    return response, body


def json_event(method, path, document):
    return http_api_event(method, path, json.dumps(document), {"content-type": "application/json"})


def test_a_report_is_stored_sealed_once_and_staff_can_open_it(
    monkeypatch, tmp_path, stack, report_key
):
    import boto3

    report = deployed(monkeypatch, tmp_path, stack, "ReportFunction", "report")
    _, body = invoke(report, http_api_event("GET", "/api/reports/key"))
    assert json.loads(body)["key_id"] == "report-e2e"

    sealed = SealedBox(report_key.public_key).encrypt(b'{"schema": "uglymugs.report/1"}')
    submission = {
        "key_id": "report-e2e",
        "ciphertext": b64encode(sealed).decode(),
        "idempotency_key": "E" * 43,
    }
    first, first_body = invoke(report, json_event("POST", "/api/reports", submission))
    again, again_body = invoke(report, json_event("POST", "/api/reports", submission))
    assert first["statusCode"] == again["statusCode"] == 201
    number = json.loads(first_body)["report_number"]
    assert json.loads(again_body)["report_number"] == number

    vault = stack.names["VaultBucket"]
    s3 = boto3.client("s3")
    (stored,) = s3.list_objects_v2(Bucket=vault)["Contents"]
    assert stored["Key"] == f"reports/{number}.json"
    head = s3.head_object(Bucket=vault, Key=stored["Key"])
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == stack.arns["DataKey"]
    # Powertools answered the retry from its table.
    records = boto3.client("dynamodb").scan(TableName=stack.names["IdempotencyTable"])["Items"]
    assert [item["status"]["S"] for item in records] == ["COMPLETED"]
    # Staff read the vault (their role may; the function's may not) and open the report.
    staff_copy = S3ReportVault(vault).get(number)
    assert SealedBox(report_key).decrypt(staff_copy.ciphertext).startswith(b'{"schema"')
    assert not (tmp_path / "must-stay-empty").exists()


def sent_mail() -> list[dict]:
    from moto.ses.models import ses_backends

    return [
        {"to": message.destinations["ToAddresses"], "body": message.body, "source": message.source}
        for message in ses_backends[ACCOUNT][REGION].sent_messages
    ]


def test_a_member_joins_is_approved_logs_in_and_gets_a_bundle_url_cloudfront_accepts(
    monkeypatch, tmp_path, stack, url_key
):
    import boto3

    from uglymugs.cli import main as uglymugs

    alerts = deployed(monkeypatch, tmp_path, stack, "AlertsFunction", "alerts")
    application = {
        "membership_type": "individual",
        "username": "NewPerson",
        "email": "new@example.org",
        "accept_terms": True,
    }
    response, body = invoke(alerts, json_event("POST", "/api/members", application))
    assert (response["statusCode"], json.loads(body)) == (202, {"status": "pending"})
    assert sent_mail()[-1]["to"] == ["new@example.org"]  # application received

    # Staff approve with the command, against the same tables and SES; the staff
    # machine keeps its own audit log in its own data directory.
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "staff-machine"))
    assert uglymugs(["members", "approve", "NewPerson"]) == 0
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "must-stay-empty"))
    link = re.search(r"(https://\S+#token=[A-Za-z0-9_-]+)", sent_mail()[-1]["body"]).group(1)
    assert link.startswith("https://d111111abcdef8.cloudfront.net/members/set-password/")
    token = link.rsplit("#token=", 1)[1]
    choose = {"token": token, "password": PASSWORD}
    response, _ = invoke(alerts, json_event("POST", "/api/members/password", choose))
    assert response["statusCode"] == 204

    login = {"login": "NewPerson", "password": PASSWORD}
    response, _ = invoke(alerts, json_event("POST", "/api/session", login))
    assert response["statusCode"] == 204
    session = [response["cookies"][0].split(";")[0]]
    response, body = invoke(alerts, http_api_event("GET", "/api/members/me"), session)
    assert json.loads(body)["username"] == "NewPerson"

    # Publish to the stack's bundle bucket, as `uglymugs publish --target aws` does.
    bucket = stack.names["BundleBucket"]
    publish_examples(S3BundleShelf(bucket, kms_key_id=stack.arns["DataKey"]), tmp_path)
    response, body = invoke(alerts, http_api_event("GET", "/api/alerts/bundle"), session)
    answer = json.loads(body)
    key_pair_id, _ = checked_by_cloudfront(answer["url"], url_key.public_key(), now=time.time())
    assert key_pair_id == stack.names["BundleUrlKeyA"]
    # What CloudFront fetches from the bundle bucket for that path, through its OAC.
    path = urlsplit(answer["url"]).path
    data = boto3.client("s3").get_object(Bucket=bucket, Key=path[1:])["Body"].read()
    assert verify_bundle(data, canonical_bytes(answer["signature"]), VERIFY_KEYS).scope == "all"

    response, body = invoke(
        alerts,
        json_event("POST", "/api/check", {"kind": "phone", "value": "07700 900123"}),
        session,
    )
    assert [match["number"] for match in json.loads(body)["matches"]] == ["2026-0008"]
    assert not (tmp_path / "must-stay-empty").exists()


def test_a_publication_is_sent_once_by_email_and_sms_and_a_bounce_marks_the_channel(
    monkeypatch, tmp_path, stack
):
    import boto3

    from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory

    # One batch at a time: moto's DynamoDB is not thread-safe.
    notify = deployed(
        monkeypatch, tmp_path, stack, "NotifyFunction", "notify", UGLYMUGS_NOTIFY_CONCURRENCY="1"
    )
    directory = DynamoDBMemberDirectory(stack.names["MembersTable"])
    directory.add(member("Reader"))
    directory.add(member("Texter", channels=("sms",), mobile="+447700900101"))
    shelf = S3BundleShelf(stack.names["BundleBucket"], kms_key_id=stack.arns["DataKey"])
    publish_with_changes(shelf, [alert("2026-0008")])

    publish_event = {"sequence": 1}  # what `uglymugs publish --target aws` sends
    summary = notify.handler(publish_event, NotifyContext())
    assert summary["sent"] == {"email": 1, "sms": 1}
    assert [m.destinations["ToAddresses"] for m in sent_email()] == [["reader@example.org"]]
    assert [number for number, *_ in sent_sms()] == ["+447700900101"]

    # Lambda delivers the same event again: Powertools answers, nothing is sent.
    assert notify.handler(publish_event, NotifyContext()) == {"duplicate_delivery": True}
    assert len(sent_email()) == 1 and len(sent_sms()) == 1
    records = boto3.client("dynamodb").scan(TableName=stack.names["IdempotencyTable"])["Items"]
    assert [item["id"]["S"].split("#")[0] for item in records] == ["uglymugs.notify"]

    # SES reports a bounce through the configuration set's SNS topic.
    result = notify.handler(bounce("reader@example.org"), NotifyContext())
    assert result["feedback"]["marked"] == 1
    assert directory.find("Reader").channel_failing("email")
    assert not (tmp_path / "must-stay-empty").exists()
