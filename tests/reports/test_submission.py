"""Every envelope rule of POST /api/reports, one test each."""

import json
from base64 import b64encode, urlsafe_b64encode

import pytest

from uglymugs.reports.submission import MAX_BODY_BYTES, SEALED_BOX_OVERHEAD, parse_submission
from uglymugs.web.errors import ApiError

KEYS = {"report-test"}
CIPHERTEXT = b64encode(bytes(range(64))).decode()


def body(**fields) -> bytes:
    base = {"key_id": "report-test", "ciphertext": CIPHERTEXT}
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not ...}).encode()


def problem(raw: bytes) -> ApiError:
    with pytest.raises(ApiError) as caught:
        parse_submission(raw, KEYS)
    return caught.value


def test_a_well_formed_submission_passes():
    submission = parse_submission(body(idempotency_key="k" * 22), KEYS)
    assert submission.key_id == "report-test"
    assert submission.ciphertext == bytes(range(64))
    assert submission.idempotency_key == "k" * 22


def test_idempotency_key_is_optional():
    assert parse_submission(body(), KEYS).idempotency_key is None


@pytest.mark.parametrize("raw", [b"", b"{", b"not json", b"\xff\xfe", b'{"a": }'])
def test_not_json(raw):
    error = problem(raw)
    assert (error.status, error.code.value) == (400, "invalid_json")


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null"])
def test_json_that_is_not_an_object(raw):
    error = problem(raw)
    assert (error.status, error.code.value) == (400, "invalid_json")
    assert "object" in error.message


@pytest.mark.parametrize("field", ["key_id", "ciphertext"])
def test_missing_field_is_named(field):
    error = problem(body(**{field: ...}))
    assert (error.status, error.code.value, error.field) == (422, "missing_field", field)
    assert field in error.message


def test_unknown_field_is_named():
    error = problem(body(plaintext="hello"))
    assert (error.status, error.code.value, error.field) == (422, "unknown_field", "plaintext")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key_id", 7),
        ("key_id", ""),
        ("key_id", "has spaces"),
        ("ciphertext", 123),
        ("ciphertext", ""),
        ("idempotency_key", "short"),
        ("idempotency_key", "x" * 129),
        ("idempotency_key", "not/allowed+chars=="),
        ("idempotency_key", 12345678901234567),
    ],
)
def test_invalid_field_is_named_with_its_rule(field, value):
    error = problem(body(**{field: value}))
    assert (error.status, error.code.value, error.field) == (422, "invalid_field", field)
    assert error.message.startswith(field + " ")


def test_unknown_key_id():
    error = problem(body(key_id="report-retired"))
    assert (error.status, error.code.value, error.field) == (422, "unknown_key", "key_id")
    assert "out of date" in error.message and "reload" in error.message


@pytest.mark.parametrize(
    "text",
    [
        "not base64!",
        urlsafe_b64encode(b"\xfb\xff" * 40).decode(),  # URL-safe alphabet
        b64encode(bytes(range(64))).decode().rstrip("="),  # padding dropped
        "QUJD\nREVG" * 10,
        "ümlaut" * 20,
    ],
)
def test_ciphertext_must_be_standard_padded_base64(text):
    error = problem(body(ciphertext=text))
    assert (error.status, error.code.value, error.field) == (422, "not_base64", "ciphertext")


def test_ciphertext_shorter_than_a_sealed_box():
    short = b64encode(bytes(SEALED_BOX_OVERHEAD - 1)).decode()
    error = problem(body(ciphertext=short))
    assert (error.status, error.code.value, error.field) == (422, "too_short", "ciphertext")
    assert parse_submission(body(ciphertext=b64encode(bytes(SEALED_BOX_OVERHEAD)).decode()), KEYS)


def test_over_the_size_limit():
    huge = b64encode(bytes(MAX_BODY_BYTES)).decode()
    error = problem(body(ciphertext=huge))
    assert (error.status, error.code.value) == (413, "too_large")
    assert str(MAX_BODY_BYTES) in error.message


def test_errors_never_echo_the_value_sent():
    secret = "canary-value-1234567890"
    for raw in (body(key_id=secret + " !"), body(ciphertext=secret + "!")):
        error = problem(raw)
        assert secret not in error.message
