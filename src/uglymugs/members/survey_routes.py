"""The member survey: ``GET``/``POST /api/members/me/survey`` (``docs/api.md``).

``GET`` says whether a round is open and whether this member has answered it, so the
member area shows the form only then. ``POST`` records the answers once per member
per round (:mod:`uglymugs.members.survey_answering`): a retry with the same
``submission`` id answers as the first did and stores nothing; another answer to the
same round is ``409 already_answered``. The response stored carries the round and
the answers only. Nothing is logged, and errors never repeat what was sent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from uglymugs.members.directory import Member
from uglymugs.members.request_context import MAX_BODY_BYTES, current_member, services_of
from uglymugs.members.survey import (
    COMMENT_MAX_CHARACTERS,
    AlreadyAnsweredError,
    SurveyResponse,
)
from uglymugs.members.survey_answering import SurveyTaking
from uglymugs.safe_text import unsafe_characters
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

Answer = Literal["yes", "no", "prefer_not_to_say"]
SUBMISSION_PATTERN = r"^[A-Za-z0-9_-]{16,128}$"


class _SurveyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    round: str = Field(min_length=1, max_length=40)
    submission: str = Field(pattern=SUBMISSION_PATTERN)
    alert_helped: Answer
    feel_safer: Answer
    comment: str | None = Field(default=None, max_length=COMMENT_MAX_CHARACTERS)


RULES = {
    "round": "must be the id of the open survey round",
    "submission": "must be 16 to 128 of A-Z a-z 0-9 - _, the same for retries of one answer",
    "alert_helped": 'must be "yes", "no" or "prefer_not_to_say"',
    "feel_safer": 'must be "yes", "no" or "prefer_not_to_say"',
    "comment": f"must be text of at most {COMMENT_MAX_CHARACTERS} characters, "
    "without control or invisible formatting characters",
}


async def survey(request: Request) -> JSONResponse:
    member = await run_in_threadpool(current_member, request)
    taking = services_of(request).survey
    if request.method == "GET":
        return JSONResponse(await run_in_threadpool(_status, taking, member))
    fields = await read_json(request, _SurveyRequest, RULES, MAX_BODY_BYTES)
    response = SurveyResponse(
        fields.round,
        {"alert_helped": fields.alert_helped, "feel_safer": fields.feel_safer},
        _comment(fields.comment),
    )
    stored = await run_in_threadpool(_record, taking, member, fields.submission, response)
    return JSONResponse({"recorded": True, "round": response.round_id}, 201 if stored else 200)


def _status(taking: SurveyTaking | None, member: Member) -> dict:
    survey_round = taking.open_round() if taking else None
    if taking is None or survey_round is None:
        return {"round": None, "answered": False}
    return {
        "round": {"id": survey_round.id, "closes": survey_round.closes.isoformat()},
        "answered": taking.has_answered(survey_round, member.id),
    }


def _comment(text: str | None) -> str | None:
    """The comment trimmed, with line breaks kept; 422 for a control character."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if unsafe_characters(text.replace("\n", "").replace("\t", " ")):
        raise ApiError(422, ErrorCode.INVALID_FIELD, f"comment {RULES['comment']}", "comment")
    return text or None


def _record(
    taking: SurveyTaking | None, member: Member, submission: str, response: SurveyResponse
) -> bool:
    survey_round = taking.open_round() if taking else None
    if taking is None or survey_round is None or survey_round.id != response.round_id:
        raise ApiError(
            409,
            ErrorCode.SURVEY_CLOSED,
            "this survey round is not open: answers are taken only while a round is open",
            "round",
        )
    try:
        return taking.answer(member.id, submission, response)
    except AlreadyAnsweredError:
        raise ApiError(
            409,
            ErrorCode.ALREADY_ANSWERED,
            "this membership has already answered this survey round: "
            "each member answers once per round",
            "round",
        ) from None


ROUTES = [Route("/api/members/me/survey", survey, methods=["GET", "POST"])]
