"""Joining: the application form's rules, and an answer that never reveals a member.

Whoever applies gets the same ``202 {"status": "pending"}``: a new applicant, someone
whose username or e-mail address is taken, and a retry of the same application. What
differs goes by e-mail, to addresses only their owners read: a new applicant is told
their application arrived; the owner of a taken address is told someone tried to join
with it; an applicant whose username is taken is asked to choose another.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from uglymugs.alerts.identifiers import IdentifierError, normalise_email, normalise_phone
from uglymugs.members import vocabulary
from uglymugs.members.directory import (
    EmailTakenError,
    Member,
    MemberDirectory,
    MembershipType,
    MemberStatus,
    UsernameTakenError,
    new_member_id,
    timestamp,
    username_key,
)
from uglymugs.members.vocabulary import LANGUAGE_CODES, LanguageCode, values
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES
from uglymugs.safe_text import unsafe_characters
from uglymugs.web.errors import ApiError, ErrorCode

if TYPE_CHECKING:
    from uglymugs.members.account_mail import AccountMail

log = logging.getLogger(__name__)

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$"
SERVICE_USERS = values(vocabulary.SERVICE_USERS)
WORK_TYPES = values(vocabulary.WORK_TYPES)
GENDERS = values(vocabulary.GENDERS)
MEMBERSHIP_TYPES = values(vocabulary.MEMBERSHIP_TYPES)
PREFER_NOT_TO_SAY = vocabulary.PREFER_NOT_TO_SAY.value
# Where a member works, for the funders' figures: police force area ids, or "prefer not
# to say" alone. Kept in the member's monitoring answers as one space-separated value.
AREAS = (*FORCE_AREA_NAMES, PREFER_NOT_TO_SAY)

# Literal[("a", "b")] is Literal["a", "b"]: the API accepts exactly the page's choices,
# built from the vocabulary at import; to a type checker they are text.
if TYPE_CHECKING:
    ServiceUser = WorkType = Gender = MembershipTypeValue = Area = str
else:
    ServiceUser = Literal[SERVICE_USERS]
    WorkType = Literal[WORK_TYPES]
    Gender = Literal[GENDERS]
    MembershipTypeValue = Literal[MEMBERSHIP_TYPES]
    Area = Literal[AREAS]


class Monitoring(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    work: WorkType | None = None
    gender: Gender | None = None


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    membership_type: MembershipTypeValue
    username: str = Field(pattern=USERNAME_PATTERN)
    email: str = Field(min_length=3, max_length=254)
    mobile: str | None = Field(default=None, min_length=1, max_length=32)
    organisation: str | None = Field(default=None, min_length=1, max_length=200)
    contact_role: str | None = Field(default=None, min_length=1, max_length=100)
    service_users: list[ServiceUser] | None = Field(default=None, max_length=len(SERVICE_USERS))
    accept_terms: Literal[True]
    monitoring: Monitoring | None = None
    language: LanguageCode = "en"
    areas: list[Area] | None = Field(default=None, min_length=1, max_length=len(AREAS))

    @field_validator("areas")
    @classmethod
    def _prefer_not_to_say_alone(cls, value: list[str] | None) -> list[str] | None:
        """ "Prefer not to say" next to an area would say both; the form never sends it."""
        if value and PREFER_NOT_TO_SAY in value and len(value) > 1:
            raise ValueError("prefer_not_to_say cannot be given with areas")
        return value

    @field_validator("email", "mobile", "organisation", "contact_role")
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        """Staff read these in a terminal: nothing that could drive it or hide text."""
        if value is not None and unsafe_characters(value):
            raise ValueError("has a control or invisible formatting character")
        return value


_PRINTABLE = "with no control or invisible formatting characters"
JOIN_RULES = {
    "membership_type": "must be individual, project or site",
    "username": "must be 3 to 32 characters of A-Z, a-z, 0-9, '.', '-' or '_', "
    "starting with a letter or digit",
    "email": "must be an e-mail address",
    "mobile": "must be a mobile phone number",
    "organisation": f"must be 1 to 200 characters, {_PRINTABLE}",
    "contact_role": f"must be 1 to 100 characters, {_PRINTABLE}",
    "service_users": "must be a list of: " + ", ".join(SERVICE_USERS),
    "accept_terms": "must be true: you must accept the terms to join",
    "monitoring": 'must be an object with "work" and/or "gender"',
    "monitoring.work": "must be one of: " + ", ".join(WORK_TYPES),
    "monitoring.gender": "must be one of: " + ", ".join(GENDERS),
    "language": "must be one of: " + ", ".join(LANGUAGE_CODES),
    "areas": "must be a list of police force area ids (docs/alerts.md), or "
    '["prefer_not_to_say"] alone',
}


def new_member(request: JoinRequest, now: datetime) -> Member:
    """The pending member an application describes; 422 for a field that cannot be used."""
    if request.membership_type != MembershipType.INDIVIDUAL and not request.organisation:
        raise ApiError(
            422,
            ErrorCode.MISSING_FIELD,
            "organisation is required for a project or site membership",
            "organisation",
        )
    try:
        email = normalise_email(request.email)
    except IdentifierError:
        raise ApiError(
            422, ErrorCode.INVALID_FIELD, f"email {JOIN_RULES['email']}", "email"
        ) from None
    mobile = None
    if request.mobile is not None:
        try:
            mobile = normalise_phone(request.mobile)
        except IdentifierError:
            raise ApiError(
                422, ErrorCode.INVALID_FIELD, f"mobile {JOIN_RULES['mobile']}", "mobile"
            ) from None
    monitoring = request.monitoring.model_dump(exclude_none=True) if request.monitoring else {}
    if request.areas:
        monitoring["areas"] = " ".join(sorted(set(request.areas)))
    service_users = tuple(sorted(set(request.service_users or ())))
    digest_source = {
        "membership_type": request.membership_type,
        "username": username_key(request.username),
        "email": email,
        "mobile": mobile,
        "organisation": request.organisation,
        "contact_role": request.contact_role,
        "service_users": service_users,
        "monitoring": monitoring,
    }
    digest = hashlib.sha256(json.dumps(digest_source, sort_keys=True).encode()).hexdigest()
    stamp = timestamp(now)
    return Member(
        id=new_member_id(),
        membership_type=request.membership_type,
        username=request.username,
        email=email,
        status=MemberStatus.PENDING.value,
        created_at=stamp,
        updated_at=stamp,
        mobile=mobile,
        organisation=request.organisation,
        contact_role=request.contact_role,
        service_users=service_users,
        monitoring=monitoring,
        join_digest=digest,
        language=request.language,
    )


def join(
    request: JoinRequest,
    directory: MemberDirectory,
    mail: AccountMail,
    clock: Callable[[], datetime],
) -> bool:
    """Store the application unless a member has its username or address; mail accordingly
    (at most one e-mail of each kind per address a day: :mod:`uglymugs.members.account_mail`).

    True when a new application was stored (not a retry, not a taken name or address)."""
    member = new_member(request, clock())
    try:
        directory.add(member)
    except UsernameTakenError:
        holder = directory.find(member.username)
        if holder is not None and holder.join_digest == member.join_digest:
            return False  # a retry of an application we stored
        owner_of_address = directory.find(member.email)
        if owner_of_address is not None:
            _mail(
                mail,
                owner_of_address.email,
                "join_attempt_with_your_email",
                language=owner_of_address.language,
            )
        else:
            _mail(mail, member.email, "username_unavailable", language=member.language)
        return False
    except EmailTakenError:
        owner = directory.find(member.email)
        if owner is not None and owner.join_digest != member.join_digest:
            _mail(mail, owner.email, "join_attempt_with_your_email", language=owner.language)
        return False
    _mail(
        mail,
        member.email,
        "application_received",
        username=member.username,
        language=member.language,
    )
    return True


def _mail(mail: AccountMail, to: str, message: str, **context: str) -> None:
    """Send, but never fail the application over it: staff see pending members anyway."""
    try:
        mail.send(to, message, **context)
    except Exception as error:
        log.error("join e-mail failed", extra={"error_type": type(error).__name__})
