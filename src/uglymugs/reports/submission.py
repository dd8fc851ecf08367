"""The sealed report as it arrives over HTTP, and every rule it must pass.

The server cannot read a report, so these rules are all it can check: well-formed
JSON with exactly the documented fields, a key it knows, standard padded base64, at
least as long as an empty sealed box and within the size limit. Each broken rule has
its own error code and names the field, so a client developer can fix it at once.
"""

from __future__ import annotations

import binascii
import json
from base64 import b64decode
from collections.abc import Container
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from uglymugs.web.errors import ApiError, ErrorCode

# A full report with long free text seals to a few KB; this leaves room for any
# language and many identifiers while bounding what one request can make us store.
MAX_BODY_BYTES = 256 * 1024
SEALED_BOX_OVERHEAD = 48  # ephemeral public key (32) + MAC (16)
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,128}$"
KEY_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"


class _SubmissionFields(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    key_id: str = Field(pattern=KEY_ID_PATTERN)
    ciphertext: str = Field(min_length=1)
    idempotency_key: str | None = Field(default=None, pattern=IDEMPOTENCY_KEY_PATTERN)


_FIELD_RULES = {
    "key_id": "must be the id of a report key (the one built into the report page)",
    "ciphertext": "must be a non-empty base64 string",
    "idempotency_key": "must be 16 to 128 characters of A-Z, a-z, 0-9, '-' or '_'",
}


@dataclass(frozen=True)
class Submission:
    """A report submission that passed every rule: ready to store, still sealed."""

    key_id: str
    ciphertext: bytes
    idempotency_key: str | None


def parse_submission(body: bytes, known_key_ids: Container[str]) -> Submission:
    """Check ``body`` against every rule; raise :class:`ApiError` for the first broken one."""
    if len(body) > MAX_BODY_BYTES:
        raise too_large_error()
    fields = _validated_fields(_json_object(body))
    ciphertext = _decoded_ciphertext(fields.ciphertext)
    if fields.key_id not in known_key_ids:
        raise ApiError(
            422,
            ErrorCode.UNKNOWN_KEY,
            "this report was sealed to a key we do not hold: the page that sealed it is out of "
            "date; reload it to get the current key",
            "key_id",
        )
    return Submission(fields.key_id, ciphertext, fields.idempotency_key)


def too_large_error() -> ApiError:
    return ApiError(413, ErrorCode.TOO_LARGE, f"the request is larger than {MAX_BODY_BYTES} bytes")


def _json_object(body: bytes) -> dict[str, object]:
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, ErrorCode.INVALID_JSON, "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, ErrorCode.INVALID_JSON, "the body must be a JSON object")
    return value


def _validated_fields(value: dict[str, object]) -> _SubmissionFields:
    try:
        return _SubmissionFields.model_validate(value)
    except ValidationError as error:
        raise _first_problem(error) from None


def _first_problem(error: ValidationError) -> ApiError:
    problem = error.errors(include_url=False, include_input=False)[0]
    field = str(problem["loc"][0]) if problem["loc"] else None
    if problem["type"] == "missing":
        return ApiError(422, ErrorCode.MISSING_FIELD, f"{field} is required", field)
    if problem["type"] == "extra_forbidden":
        allowed = ", ".join(_FIELD_RULES)
        return ApiError(
            422, ErrorCode.UNKNOWN_FIELD, f"{field} is not a field; the fields are {allowed}", field
        )
    rule = _FIELD_RULES.get(field or "", "is not valid")
    return ApiError(422, ErrorCode.INVALID_FIELD, f"{field} {rule}", field)


def _decoded_ciphertext(text: str) -> bytes:
    try:
        ciphertext = b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            422,
            ErrorCode.NOT_BASE64,
            "ciphertext must be standard base64 with padding (RFC 4648 section 4)",
            "ciphertext",
        ) from None
    if len(ciphertext) < SEALED_BOX_OVERHEAD:
        raise ApiError(
            422,
            ErrorCode.TOO_SHORT,
            f"ciphertext is shorter than a sealed box ({SEALED_BOX_OVERHEAD} bytes)",
            "ciphertext",
        )
    return ciphertext
