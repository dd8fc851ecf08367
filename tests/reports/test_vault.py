"""One contract for every report vault: write-once, readable by number, listable."""

import boto3
import pytest

from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault
from uglymugs.reports.vault.s3 import KEY_PREFIX


def stored(number=None, ciphertext=b"\x01" * 64):
    return StoredReport(
        report_number=number or new_report_number(),
        key_id="report-abcdefgh",
        ciphertext=ciphertext,
        received_at="2026-11-23T10:00:00Z",
    )


@pytest.fixture
def vault(report_storage):
    return report_storage.vault


def test_put_new_then_get_returns_the_same_report(vault):
    report = stored()
    assert vault.put_new(report) is True
    assert vault.get(report.report_number) == report


def test_a_taken_number_is_refused_and_the_first_report_is_untouched(vault):
    first = stored(ciphertext=b"first" * 20)
    second = stored(first.report_number, ciphertext=b"second" * 20)
    assert vault.put_new(first) is True
    assert vault.put_new(second) is False
    assert vault.get(first.report_number) == first


def test_get_of_an_unknown_or_malformed_number_is_none(vault):
    assert vault.get(new_report_number()) is None
    assert vault.get("../../etc/passwd") is None
    assert vault.get(new_report_number().lower()) is None


def test_numbers_lists_every_report_sorted(vault):
    assert list(vault.numbers()) == []
    numbers = [new_report_number() for _ in range(5)]
    for number in numbers:
        vault.put_new(stored(number))
    assert list(vault.numbers()) == sorted(numbers)


def test_number_set_is_every_number_whatever_the_caller_knows(vault):
    assert vault.number_set() == set()
    numbers = [new_report_number() for _ in range(5)]
    for number in numbers:
        vault.put_new(stored(number))
    assert vault.number_set() == set(numbers)
    assert vault.number_set(numbers[:3]) == set(numbers)  # the rest are checked
    assert vault.number_set([*numbers, new_report_number()]) == set(numbers)  # gone: not listed


def test_number_set_checks_the_names_it_does_not_know(tmp_path, aws_report_storage):
    """A name the caller does not know is a report only if numbers() lists it: a
    hand-made file or object beside the reports is not one, known numbers or not."""
    local = LocalReportVault(tmp_path / "vault")
    reports = [stored(), stored()]
    for vault in (local, aws_report_storage.vault):
        for report in reports:
            vault.put_new(report)
    first, second = (report.report_number for report in reports)
    folder = tmp_path / "vault"
    for name in ("notes.json", ".json", f"{first}.json.json", first, f"{first.lower()}.json"):
        (folder / name).write_text("{}")
    (folder / f"{first}.json\n{second}.json").write_text("{}")
    s3 = boto3.client("s3")
    bucket = aws_report_storage.vault.bucket
    for key in ("notes.json", ".json", f"{first}.json.json", first, f"{first.lower()}.json"):
        s3.put_object(Bucket=bucket, Key=f"{KEY_PREFIX}{key}", Body=b"{}")
    for vault in (local, aws_report_storage.vault):
        for known in ([], [first], [first, second]):
            assert vault.number_set(known) == {first, second} == set(vault.numbers())


def test_the_local_listing_digest_changes_with_every_name(tmp_path):
    vault = LocalReportVault(tmp_path / "vault")
    empty = vault.listing_digest()
    report = stored()
    vault.put_new(report)
    digest = vault.listing_digest()
    assert digest != empty and vault.listing_digest() == digest
    assert vault.numbers_and_digest() == ([report.report_number], digest)
    (tmp_path / "vault" / "notes.json").write_text("{}")  # not a report, still a change
    assert vault.listing_digest() not in (digest, empty)
    (tmp_path / "vault" / "notes.json").unlink()
    assert vault.listing_digest() == digest
    vault.delete(report.report_number)
    assert vault.listing_digest() == empty


def test_the_s3_vault_has_no_listing_digest(aws_report_storage):
    report = stored()
    aws_report_storage.vault.put_new(report)
    assert aws_report_storage.vault.listing_digest() is None
    assert aws_report_storage.vault.numbers_and_digest() == ([report.report_number], None)


def test_local_number_set_without_a_folder_is_empty(tmp_path):
    assert LocalReportVault(tmp_path / "none").number_set() == set()
    (tmp_path / "file").write_text("")
    assert LocalReportVault(tmp_path / "file").number_set() == set()


def test_delete_removes_a_report_once_and_nothing_else(vault):
    kept, gone = stored(), stored()
    vault.put_new(kept), vault.put_new(gone)
    assert vault.delete(gone.report_number) is True
    assert vault.get(gone.report_number) is None
    assert list(vault.numbers()) == [kept.report_number]
    assert vault.delete(gone.report_number) is False
    assert vault.delete("../../etc/passwd") is False
    assert vault.get(kept.report_number) == kept


def test_a_malformed_number_is_never_stored(vault):
    with pytest.raises(ValueError):
        vault.put_new(stored("UM-../../x"))


def test_s3_objects_are_encrypted_with_the_kms_key(aws_report_storage, aws_resources):
    report = stored()
    aws_report_storage.vault.put_new(report)
    head = boto3.client("s3").head_object(
        Bucket=aws_resources.bucket, Key=f"{KEY_PREFIX}{report.report_number}.json"
    )
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith(aws_resources.kms_key_id)


def test_s3_vault_pages_through_more_than_a_thousand_objects(aws_report_storage):
    numbers = sorted(new_report_number() for _ in range(1005))
    for number in numbers:
        aws_report_storage.vault.put_new(stored(number, ciphertext=b"x" * 48))
    assert list(aws_report_storage.vault.numbers()) == numbers


def test_local_vault_is_private_and_leaves_no_temporary_files(tmp_path):
    vault = LocalReportVault(tmp_path / "vault")
    report = stored()
    vault.put_new(report)
    vault.put_new(report)
    files = list((tmp_path / "vault").iterdir())
    assert [path.name for path in files] == [f"{report.report_number}.json"]
    assert (tmp_path / "vault").stat().st_mode & 0o777 == 0o700
    assert files[0].stat().st_mode & 0o777 == 0o600


def test_local_vault_ignores_foreign_files(tmp_path):
    vault = LocalReportVault(tmp_path / "vault")
    report = stored()
    vault.put_new(report)
    (tmp_path / "vault" / "notes.json").write_text("{}")
    (tmp_path / "vault" / ".tmp-123-UM-x.json").write_text("{}")
    assert list(vault.numbers()) == [report.report_number]


def test_a_local_name_holding_two_report_names_is_not_two_reports(tmp_path):
    vault = LocalReportVault(tmp_path / "vault")
    reports = [stored(), stored()]
    for report in reports:
        vault.put_new(report)
    first, second = (report.report_number for report in reports)
    (tmp_path / "vault" / f"{first}.json\n{second}.json").write_text("{}")
    assert list(vault.numbers()) == sorted([first, second])
    (tmp_path / "vault" / f"{first}.json\n{second}.json").unlink()
    assert list(vault.numbers()) == sorted([first, second])  # the names checked at once


def test_the_s3_module_does_not_import_boto3():
    import subprocess
    import sys

    code = (
        "import sys, uglymugs.reports.vault.s3, uglymugs.reports.claims.dynamodb; "
        "print('boto3' in sys.modules or 'botocore' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
