"""Intake: each report stored exactly once, through retries, crashes and collisions."""

from datetime import UTC, datetime
from itertools import chain, repeat

import pytest

from tests.fakes import CrashingVault, InMemoryLedger, InMemoryVault, StorageDownError
from uglymugs.reports.intake import (
    IdempotencyConflictError,
    NumberSpaceExhaustedError,
    ReportIntake,
)
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.submission import Submission

FIXED_NOW = datetime(2026, 11, 23, 21, 30, 15, 123456, tzinfo=UTC)


def sealed(text: bytes = b"x" * 64, key: str | None = "idem-key-0123456789abcdef") -> Submission:
    return Submission(key_id="report-test", ciphertext=text, idempotency_key=key)


@pytest.fixture
def vault():
    return InMemoryVault()


@pytest.fixture
def intake(vault):
    return ReportIntake(vault=vault, ledger=InMemoryLedger(), clock=lambda: FIXED_NOW)


def test_a_report_is_stored_with_its_key_id_and_time_to_the_second(intake, vault):
    receipt = intake.accept(sealed())
    stored = vault.get(receipt.report_number)
    assert stored.ciphertext == b"x" * 64
    assert stored.key_id == "report-test"
    assert stored.received_at == "2026-11-23T21:30:15Z"
    assert not receipt.replayed


def test_same_idempotency_key_gives_same_number_and_stores_nothing_new(intake, vault):
    first = intake.accept(sealed())
    again = intake.accept(sealed())
    assert again.report_number == first.report_number
    assert again.replayed
    assert list(vault.numbers()) == [first.report_number]


def test_without_idempotency_key_each_request_is_a_new_report(intake, vault):
    a = intake.accept(sealed(key=None))
    b = intake.accept(sealed(key=None))
    assert a.report_number != b.report_number
    assert len(list(vault.numbers())) == 2


def test_same_key_with_another_report_is_refused_and_stores_nothing(intake, vault):
    intake.accept(sealed(b"a" * 64))
    with pytest.raises(IdempotencyConflictError):
        intake.accept(sealed(b"b" * 64))
    assert len(list(vault.numbers())) == 1


def test_a_crash_before_the_write_is_healed_by_the_retry(vault):
    crashing = CrashingVault(vault, crashes=1)
    intake = ReportIntake(vault=crashing, ledger=InMemoryLedger(), clock=lambda: FIXED_NOW)
    with pytest.raises(StorageDownError):
        intake.accept(sealed())
    assert list(vault.numbers()) == []
    receipt = intake.accept(sealed())
    assert list(vault.numbers()) == [receipt.report_number]
    assert intake.accept(sealed()).report_number == receipt.report_number
    assert list(vault.numbers()) == [receipt.report_number]


def test_a_number_collision_picks_a_new_number_and_keeps_both_reports(vault):
    taken = new_report_number()
    fresh = new_report_number()
    numbers = chain([taken, taken, taken, fresh], repeat(None))
    intake = ReportIntake(vault=vault, ledger=InMemoryLedger(), new_number=lambda: next(numbers))
    intake.accept(sealed(b"first" * 20, key=None))  # takes `taken`
    receipt = intake.accept(sealed(b"second" * 20))  # claims `taken`, collides, rebinds
    assert receipt.report_number not in (taken, None)
    assert intake.accept(sealed(b"second" * 20)).report_number == receipt.report_number
    assert vault.get(taken).ciphertext == b"first" * 20
    assert len(list(vault.numbers())) == 2


def test_endless_collisions_fail_loudly_rather_than_overwrite(vault):
    taken = new_report_number()
    intake = ReportIntake(vault=vault, ledger=InMemoryLedger(), new_number=lambda: taken)
    intake.accept(sealed(b"first" * 20, key=None))
    with pytest.raises(NumberSpaceExhaustedError):
        intake.accept(sealed(b"second" * 20, key=None))
    assert vault.get(taken).ciphertext == b"first" * 20
