"""Storing a report runs off the event loop: the key is served while a store is slow."""

import asyncio

import httpx

from tests.fakes import Gate
from uglymugs.reports.api import create_report_app
from uglymugs.reports.intake import Receipt
from uglymugs.reports.keyring import ReportKeyRing


class GatedIntake:
    """Takes every report, but only once the gate opens (a store that is slow)."""

    def __init__(self, gate: Gate) -> None:
        self.gate = gate

    def accept(self, _submission) -> Receipt:
        self.gate.wait_here()
        return Receipt("UM-7K3F-92QH-X4PM", replayed=False)


async def a_key_while_a_report_is_stored(gate: Gate) -> tuple[int, int]:
    app = create_report_app(GatedIntake(gate), ReportKeyRing("report-k", {"report-k": bytes(32)}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        body = {"key_id": "report-k", "ciphertext": "A" * 64}
        storing = asyncio.create_task(client.post("/api/reports", json=body))
        await asyncio.to_thread(gate.entered.wait, 5)
        key = await client.get("/api/reports/key")
        gate.open()
        return key.status_code, (await storing).status_code


def test_the_key_is_served_while_a_report_is_being_stored():
    gate = Gate()
    assert asyncio.run(a_key_while_a_report_is_stored(gate)) == (200, 201)
    assert gate.opened_in_time  # the store waited in a thread while the key was served
