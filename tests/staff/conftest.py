"""A console over a real data directory: keys, sealed reports, SQLite cases and audit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nacl.public import PublicKey, SealedBox
from starlette.testclient import TestClient

from uglymugs.audit.log.sqlite import SQLiteAuditLog
from uglymugs.cases.store.sqlite import SQLiteCaseStore
from uglymugs.crypto.keys import create_keys, load_public_keys
from uglymugs.crypto.passphrase_box import TEST_KDF
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.index import index_path
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault
from uglymugs.sharing.sending import SendingServices
from uglymugs.staff.app import create_staff_app
from uglymugs.staff.guard import COOKIE, Tickets, allowed_hosts
from uglymugs.staff.seen import seen_path
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.unlocked import Keyholder

PASSPHRASE = "violet-harbour-tangent-4-quiet"
PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"


def report(**answers) -> dict:
    """A sealed report's content; keyword arguments are answers (report_type etc. too)."""
    envelope = {k: answers.pop(k) for k in ("report_type", "follows", "reporter") if k in answers}
    return {
        "schema": "uglymugs.report/1",
        "report_type": envelope.get("report_type", "full"),
        "follows": envelope.get("follows"),
        "reporter": envelope.get("reporter", "self"),
        "language": "en",
        "answers": answers,
    }


class Clock:
    """A monotonic clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Console:
    client: TestClient
    services: ConsoleServices
    tickets: Tickets
    vault: LocalReportVault
    data_dir: Path
    clock: Clock

    def add(self, content: dict, received_at: str = "2026-11-23T10:00:00Z", number=None) -> str:
        public = load_public_keys(self.data_dir / "keys")
        sealed = SealedBox(PublicKey(public.report_public_key)).encrypt(
            json.dumps(content).encode()
        )
        number = number or new_report_number()
        self.vault.put_new(StoredReport(number, public.report_key_id, sealed, received_at))
        return number

    def post(self, path: str, data: dict | None = None, **kwargs):
        headers = {"Origin": ORIGIN, "Sec-Fetch-Site": "same-origin", **kwargs.pop("headers", {})}
        return self.client.post(
            path, data=data or {}, headers=headers, follow_redirects=False, **kwargs
        )

    def unlock(self):
        return self.post("/unlock", {"passphrase": PASSPHRASE})

    def share_with(self, partners: Path) -> tuple[SQLiteAuditLog, OutboxMailer]:
        """Send to the partner directory ``partners`` as ``uglymugs staff`` does locally:
        a sharing ledger in the state database, e-mail to the outbox; both returned."""
        db = self.data_dir / "state.sqlite3"
        ledger = SQLiteAuditLog(db, table="sharing_ledger")
        mailer = OutboxMailer(self.data_dir / "outbox", notice=lambda line: None)
        self.services.sharing_ledger = ledger
        self.services.partners_dir = partners
        self.services.sending = SendingServices(ledger, SQLiteIdempotencyLedger(db), mailer)
        return ledger, mailer


@pytest.fixture(scope="session")
def key_files(tmp_path_factory) -> Path:
    keys_dir = tmp_path_factory.mktemp("staff-keys") / "keys"
    create_keys(keys_dir, PASSPHRASE, kdf=TEST_KDF)
    return keys_dir


def make_console(tmp_path: Path, key_files: Path, staff_name: str = "Sam") -> Console:
    import shutil

    data_dir = tmp_path / "data"
    if not (data_dir / "keys").exists():
        shutil.copytree(key_files, data_dir / "keys")
    vault = LocalReportVault(data_dir / "vault")
    clock = Clock()
    db = data_dir / "state.sqlite3"
    keyholder = Keyholder(
        data_dir / "keys",
        vault,
        SQLiteCaseStore(db),
        clock=clock,
        seen_path=seen_path(data_dir, staff_name),
        index_path=index_path(data_dir, None),
    )
    checkout = tmp_path / "checkout"
    (checkout / "site" / "alerts").mkdir(parents=True, exist_ok=True)
    services = ConsoleServices(
        staff_name=staff_name,
        keyholder=keyholder,
        audit_log=SQLiteAuditLog(db),
        checkout=checkout,
        report_keyring=lambda: ReportKeyRing.from_public_keys(load_public_keys(data_dir / "keys")),
        clock=lambda: datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
    )
    tickets = Tickets()
    app = create_staff_app(services, tickets, allowed_hosts(PORT))
    client = TestClient(app, base_url=ORIGIN)
    return Console(client, services, tickets, vault, data_dir, clock)


@pytest.fixture
def console(tmp_path, key_files) -> Console:
    """A console opened with its launch token (session cookie set), still locked."""
    made = make_console(tmp_path, key_files)
    response = made.client.get(f"/launch?token={made.tickets.launch_token}", follow_redirects=False)
    assert response.status_code == 303 and COOKIE in response.cookies
    return made
