"""A local scheme in a temporary data directory, with reports stored through the intake."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from uglymugs.config import Settings
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.intake import ReportIntake, digest
from uglymugs.reports.submission import Submission
from uglymugs.reports.vault.files import LocalReportVault

HOUR_AGO = 3600


@dataclass
class LocalScheme:
    settings: Settings
    vault: LocalReportVault
    ledger: SQLiteIdempotencyLedger

    @property
    def intake(self) -> ReportIntake:
        return ReportIntake(self.vault, self.ledger)

    def submit(self, ciphertext: bytes | None = None, key: str | None = None) -> str:
        submission = Submission(
            "report-test", ciphertext or secrets.token_bytes(80), key or secrets.token_hex(16)
        )
        return self.intake.accept(submission).report_number

    def plant_claim_without_report(self) -> str:
        """A claim as the intake makes it, then a crash before the vault write."""
        number = self.intake.new_number()
        self.ledger.claim(digest(secrets.token_bytes(16)), digest(b"payload"), number)
        return number


def plant_temporary(directory: Path, name: str, age_seconds: int = HOUR_AGO) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f".tmp-{secrets.token_hex(8)}-{name}"
    path.write_bytes(b"a full copy of something sealed")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


@pytest.fixture
def scheme(tmp_path) -> LocalScheme:
    settings = Settings(data_dir=tmp_path / "data")
    return LocalScheme(
        settings, LocalReportVault(settings.vault_dir), SQLiteIdempotencyLedger(settings.state_db)
    )


PASSPHRASE = "a long passphrase for tests"


@pytest.fixture
def keyed_scheme(scheme) -> LocalScheme:
    """The scheme with its keys (cheap Argon2id, for speed)."""
    from uglymugs.crypto import TEST_KDF, create_keys

    create_keys(scheme.settings.keys_dir, PASSPHRASE, kdf=TEST_KDF)
    return scheme


@pytest.fixture
def empty_data_dir_with_keys(keyed_scheme, tmp_path) -> Settings:
    """Another data directory holding only the same keys, as `keys import` leaves it."""
    from uglymugs.crypto.keys import export_keys, import_keys

    settings = Settings(data_dir=tmp_path / "restored")
    export = export_keys(keyed_scheme.settings.keys_dir, PASSPHRASE)
    import_keys(export, settings.keys_dir, PASSPHRASE)
    return settings
