"""The member API as a test sees it: a client, its services, staff actions and the outbox."""

import pytest
from starlette.testclient import TestClient

from tests.members.survey_stores import (  # noqa: F401 - fixtures for every module here
    aws_survey_store,
    local_survey_store,
    survey_store,
)
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.staff import StaffActions
from uglymugs.messaging.mailer.outbox import OutboxMailer

SITE = "https://uglymugs.example"


@pytest.fixture
def scheme(member_stores, clock, tmp_path):
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock)
    services = MemberServices(
        member_stores.directory, member_stores.sessions, mailer, TEST_PARAMETERS, SITE, clock
    )
    client = TestClient(create_member_app(services), base_url="https://testserver")
    staff = StaffActions(
        member_stores.directory, member_stores.sessions, services.account_mail, SITE, clock
    )
    return client, services, staff, mailer
