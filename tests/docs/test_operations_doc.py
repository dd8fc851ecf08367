"""docs/operations.md stays true: its commands, figures, tests and AWS claims."""

import re
from pathlib import Path

from tests.docs.test_readme import real_commands
from tests.infra.template import resources, template
from uglymugs.operations.backup import WRITE_WAIT
from uglymugs.operations.doctor import TEMPORARY_GRACE
from uglymugs.operations.sealed_stream import CHUNK_SIZE

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "operations.md").read_text()
FLAT = " ".join(DOC.split())


def test_every_backup_command_is_real_and_explained():
    commands = {"backup", "backup verify", "restore", "doctor", "keys export", "keys import"}
    assert commands <= real_commands()
    for command in commands:
        assert f"uglymugs {command}" in FLAT, command


def test_the_figures_are_the_code_s():
    assert WRITE_WAIT.total_seconds() == 5 and "5 seconds at most" in FLAT
    assert TEMPORARY_GRACE.total_seconds() == 60 and "a minute old" in FLAT
    assert CHUNK_SIZE == 64 * 1024 and "64 KiB chunks" in FLAT


def test_the_tests_it_cites_exist():
    for path in re.findall(r"`(tests/[a-z_/]+\.py)`", DOC):
        assert (ROOT / path).is_file(), path


def test_what_it_says_outlives_the_stack_and_keeps_versions_is_the_template():
    tables = dict(resources(template(), "AWS::DynamoDB::Table"))
    kept = {name for name, table in tables.items() if table.get("DeletionPolicy") == "Retain"}
    survey = {"SurveyTable", "SurveyResponsesTable"}
    assert kept == {"MembersTable", "NotifyLedgerTable", "CasesTable", *survey}
    assert "and so are the two member survey tables" in FLAT
    assert (
        "members table, the notify ledger and the cases table (sealed case records and the "
        "audit log) are also kept (`Retain`)"
    ) in FLAT
    buckets = dict(resources(template(), "AWS::S3::Bucket"))
    vault_rules = buckets["VaultBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    forget = next(rule for rule in vault_rules if rule["Id"] == "ForgetDeletedReports")
    assert forget["NoncurrentVersionExpiration"] == {"NoncurrentDays": 35}
    assert not any("ExpirationInDays" in rule for rule in vault_rules)
    assert "deleted report's noncurrent version after 35 days" in FLAT
    for name in ("BundleBucket", "SiteBucket"):
        (rule,) = buckets[name]["Properties"]["LifecycleConfiguration"]["Rules"]
        assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    assert "forget noncurrent versions after 30 days" in FLAT
    assert template()["Resources"]["DataKey"]["DeletionPolicy"] == "Retain"


def test_the_retention_defaults_it_states_are_the_settings():
    from uglymugs.config import Settings

    settings = Settings()
    assert settings.retention_rejected_days == 30 and "30 days after rejection" in FLAT
    assert settings.retention_report_years == 6 and "6 years from receipt" in FLAT
    assert settings.retention_ledger_days == 400 and "| 400 days" in FLAT
    assert "uglymugs retention" in FLAT and "retention" in real_commands()
