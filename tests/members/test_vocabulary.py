"""Every choice the join page offers is accepted by the members API, and nothing else.

The page and the API once had different lists: a member ticking "Through an agency"
could not join. Both now read ``uglymugs.members.vocabulary``; this keeps it so.
"""

import pytest
from pydantic import ValidationError

from uglymugs.members import vocabulary
from uglymugs.members.joining import JoinRequest
from uglymugs.website import member_forms

BASE = {"username": "rosie", "email": "rosie@example.org", "accept_terms": True}


def join(**fields) -> JoinRequest:
    return JoinRequest.model_validate({"membership_type": "individual", **BASE, **fields})


def test_the_join_page_renders_the_same_options_the_api_accepts():
    for name in ("MEMBERSHIP_TYPES", "WORK_TYPES", "GENDERS", "SERVICE_USERS"):
        assert getattr(member_forms, name) is getattr(vocabulary, name)


@pytest.mark.parametrize("option", vocabulary.MEMBERSHIP_TYPES, ids=lambda o: o.value)
def test_every_membership_type_is_accepted(option):
    fields = {"membership_type": option.value, **BASE, "organisation": "Project X"}
    assert JoinRequest.model_validate(fields).membership_type == option.value


@pytest.mark.parametrize("option", vocabulary.WORK_TYPES, ids=lambda o: o.value)
def test_every_type_of_work_is_accepted(option):
    assert join(monitoring={"work": option.value}).monitoring.work == option.value


@pytest.mark.parametrize("option", vocabulary.GENDERS, ids=lambda o: o.value)
def test_every_gender_is_accepted(option):
    assert join(monitoring={"gender": option.value}).monitoring.gender == option.value


def test_every_service_user_box_is_accepted_at_once():
    chosen = list(vocabulary.values(vocabulary.SERVICE_USERS))
    assert join(service_users=chosen).service_users == chosen


def test_a_value_the_page_does_not_offer_is_refused():
    with pytest.raises(ValidationError):
        join(monitoring={"work": "escort"})


def test_docs_api_lists_the_same_choices():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    for options in (vocabulary.WORK_TYPES, vocabulary.GENDERS):
        assert "|".join(vocabulary.values(options)) in text
    for value in vocabulary.values(vocabulary.SERVICE_USERS):
        assert f'"{value}"' in text
