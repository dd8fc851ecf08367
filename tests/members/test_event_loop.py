"""Password hashing and the stores run off the event loop: one slow log-in holds up no one."""

import asyncio

import httpx

from tests.fakes import Gate
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.messaging.mailer.outbox import OutboxMailer


class GatedHasher:
    """Argon2id that takes until the gate opens (a burst of log-ins on a small CPU)."""

    def __init__(self, gate: Gate) -> None:
        self.gate = gate

    def hash(self, password: str) -> str:
        return TEST_PARAMETERS.hash(password)

    def verify(self, password_hash, password) -> bool:
        self.gate.wait_here()
        return TEST_PARAMETERS.verify(password_hash, password)


async def another_request_during_a_log_in(app, gate: Gate) -> tuple[int, int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        logging_in = asyncio.create_task(
            client.post("/api/session", json={"login": "DaveM", "password": "a long guess!"})
        )
        await asyncio.to_thread(gate.entered.wait, 5)
        me = await client.get("/api/members/me")
        gate.open()
        return me.status_code, (await logging_in).status_code


def test_a_request_is_answered_while_a_password_is_being_checked(
    local_member_stores, clock, tmp_path
):
    gate = Gate()
    services = MemberServices(
        local_member_stores.directory,
        local_member_stores.sessions,
        OutboxMailer(tmp_path / "outbox", notice=lambda _line: None),
        GatedHasher(gate),
        "https://uglymugs.example",
        clock,
    )
    statuses = asyncio.run(another_request_during_a_log_in(create_member_app(services), gate))
    assert statuses == (401, 401)
    assert gate.opened_in_time
