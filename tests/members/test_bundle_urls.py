"""On AWS the bundle endpoint answers a URL: CloudFront-signed on the site's own origin
when the deployment names a URL key (what the member area can fetch under its CSP),
else a presigned S3 URL (for clients that are not the member area)."""

import json
import time
from base64 import b64encode
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.alerts.test_shelf_cloudfront import checked_by_cloudfront
from tests.members.test_published_alerts import (
    KEY_ID,
    VERIFY_KEYS,
    logged_in_client,
    publish_examples,
)
from uglymugs import composition
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.signing import verify_bundle
from uglymugs.config import Settings

SECRET = "uglymugs/bundle-url-private-key"


@pytest.fixture
def url_key(mocked_aws):
    import boto3
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    boto3.client("secretsmanager").create_secret(Name=SECRET, SecretString=pem)
    yield key
    parameters.clear_caches()


def environ(bucket, **extra):
    keys = json.dumps({KEY_ID: b64encode(VERIFY_KEYS[KEY_ID]).decode()})
    return {"UGLYMUGS_BUNDLE_BUCKET": bucket, "UGLYMUGS_BUNDLE_VERIFY_KEYS": keys, **extra}


def settings_for(named, tmp_path):
    return Settings.from_environ({**named, "UGLYMUGS_DATA_DIR": str(tmp_path / "data")})


def test_with_a_url_key_the_bundle_comes_from_the_sites_own_origin(
    aws_member_stores, clock, tmp_path, aws_bundle_shelf, url_key
):
    import boto3

    publish_examples(aws_bundle_shelf, tmp_path)
    named = environ(
        aws_bundle_shelf.bucket,
        UGLYMUGS_BUNDLE_URL_KEY_ID="K2JCJMDEHXQW5F",
        UGLYMUGS_BUNDLE_URL_KEY_SECRET=SECRET,
    )
    published = composition.published_alerts(settings_for(named, tmp_path))
    client = logged_in_client(aws_member_stores, clock, tmp_path, published)
    answer = client.get("/api/alerts/bundle?region=northumbria").json()
    assert set(answer) == {"url", "expires_in", "signature"}
    key_pair_id, _ = checked_by_cloudfront(answer["url"], url_key.public_key(), now=time.time())
    assert key_pair_id == "K2JCJMDEHXQW5F"
    path = urlsplit(answer["url"]).path
    assert path.startswith("/seq-") and path.endswith("/alerts-region-northumbria.json")
    # CloudFront's origin request for that path is the object of the same key.
    data = boto3.client("s3").get_object(Bucket=aws_bundle_shelf.bucket, Key=path[1:])
    bundle = verify_bundle(data["Body"].read(), canonical_bytes(answer["signature"]), VERIFY_KEYS)
    assert bundle.scope == "region:northumbria"


def test_without_a_url_key_the_answer_is_a_presigned_s3_url(
    aws_member_stores, clock, tmp_path, aws_bundle_shelf
):
    publish_examples(aws_bundle_shelf, tmp_path)
    published = composition.published_alerts(
        settings_for(environ(aws_bundle_shelf.bucket), tmp_path)
    )
    client = logged_in_client(aws_member_stores, clock, tmp_path, published)
    url = urlsplit(client.get("/api/alerts/bundle").json()["url"])
    assert url.scheme == "https" and "amazonaws.com" in url.netloc
    assert "X-Amz-Signature" in url.query
