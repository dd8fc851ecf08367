"""Signed CloudFront URLs for bundle files: same origin, one file, five minutes, checkable
with the public key exactly as CloudFront checks them."""

import base64
import json
from fnmatch import fnmatchcase
from urllib.parse import parse_qsl, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from uglymugs.alerts.shelf import ShelfError
from uglymugs.alerts.shelf.cloudfront import (
    BundleUrlKeyError,
    CloudFrontUrlSigner,
    secret_reader,
)
from uglymugs.deploy.headers import BUNDLE_PATH_PATTERN

NOW = 1_795_469_415
NAME = "seq-000042/alerts-all.json"


def pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def from_cloudfront_base64(text: str) -> bytes:
    return base64.b64decode(text.translate(str.maketrans("-_~", "+=/")), validate=True)


def checked_by_cloudfront(url: str, public_key, host: str = "alerts.example.org", now=NOW):
    """What CloudFront does with a custom-policy URL: the policy's signature, its resource
    against the requested URL (signing parameters removed) and its expiry."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, strict_parsing=True))
    assert set(params) == {"Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"}
    assert params["Hash-Algorithm"] == "SHA256"
    policy = from_cloudfront_base64(params["Policy"])
    signature = from_cloudfront_base64(params["Signature"])
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, policy, ec.ECDSA(hashes.SHA256()))
    else:
        public_key.verify(signature, policy, padding.PKCS1v15(), hashes.SHA256())
    (statement,) = json.loads(policy)["Statement"]
    assert fnmatchcase(f"https://{host}{parts.path}", statement["Resource"])
    assert now < statement["Condition"]["DateLessThan"]["AWS:EpochTime"]
    return params["Key-Pair-Id"], statement


@pytest.mark.parametrize(
    "key",
    [ec.generate_private_key(ec.SECP256R1()), rsa.generate_private_key(65537, 2048)],
    ids=["ecdsa-p256", "rsa-2048"],
)
def test_a_url_cloudfront_accepts_for_one_file_for_five_minutes(key):
    signer = CloudFrontUrlSigner("K2JCJMDEHXQW5F", lambda: pem(key), clock=lambda: NOW)
    url = signer.url(NAME, expires_in=300)
    key_id, statement = checked_by_cloudfront(url, key.public_key())
    assert key_id == "K2JCJMDEHXQW5F"
    assert statement["Condition"]["DateLessThan"]["AWS:EpochTime"] == NOW + 300
    assert statement["Resource"] == f"https://*/{NAME}"  # this file only
    with pytest.raises(AssertionError):
        checked_by_cloudfront(url, key.public_key(), now=NOW + 300)


def test_the_url_is_on_the_pages_own_origin_under_the_bundle_path_pattern():
    key = ec.generate_private_key(ec.SECP256R1())
    url = CloudFrontUrlSigner("K1", lambda: pem(key), clock=lambda: NOW).url(NAME, 300)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("", "")  # relative: the member area's origin
    assert fnmatchcase(parts.path, BUNDLE_PATH_PATTERN)


def test_a_signature_from_another_key_does_not_pass():
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    url = CloudFrontUrlSigner("K1", lambda: pem(key), clock=lambda: NOW).url(NAME, 300)
    with pytest.raises(InvalidSignature):
        checked_by_cloudfront(url, other.public_key())


@pytest.mark.parametrize("name", ["manifest.json", "../vault/x.json", "/etc/passwd", "a b"])
def test_only_shelf_file_names_are_signed(name):
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises((ShelfError, ValueError)):
        CloudFrontUrlSigner("K1", lambda: pem(key)).url(name, 300)


def test_a_secret_that_is_not_a_private_key_is_refused_plainly():
    signer = CloudFrontUrlSigner("K1", lambda: "-----BEGIN PUBLIC KEY-----\nnope\n")
    with pytest.raises(BundleUrlKeyError):
        signer.url(NAME, 300)


def test_the_key_is_parsed_once_and_again_only_when_the_secret_changes():
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(2)]
    current = [pem(keys[0])]
    signer = CloudFrontUrlSigner("K1", lambda: current[0], clock=lambda: NOW)
    first = signer._private_key()
    assert signer._private_key() is first
    current[0] = pem(keys[1])  # rotated
    checked_by_cloudfront(signer.url(NAME, 300), keys[1].public_key())


@pytest.fixture
def fresh_parameters():
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()
    yield
    parameters.clear_caches()


def test_the_private_key_is_read_from_secrets_manager_with_powertools(mocked_aws, fresh_parameters):
    import boto3

    key = ec.generate_private_key(ec.SECP256R1())
    boto3.client("secretsmanager").create_secret(
        Name="uglymugs/bundle-url-private-key", SecretString=pem(key)
    )
    signer = CloudFrontUrlSigner(
        "K1", secret_reader("uglymugs/bundle-url-private-key"), clock=lambda: NOW
    )
    checked_by_cloudfront(signer.url(NAME, 300), key.public_key())
