"""Choosing adapters from the environment: AWS when a deployment names its resources.

The Lambda functions get bucket and table names from the SAM template; anything not
named falls back to the local adapter under the data directory, which is what
``uglymugs dev`` and the tests use. Imports are inside the branches so a Lambda
cold start loads only what it uses (boto3 is loaded lazily by the AWS adapters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from uglymugs.config import Settings

if TYPE_CHECKING:  # annotations only: the report function need not import members
    from uglymugs.alerts.shelf import BundleShelf
    from uglymugs.members.directory import MemberDirectory, SessionStore
    from uglymugs.notify.ledger import NotificationLedger
    from uglymugs.reports.claims import IdempotencyLedger
    from uglymugs.reports.vault import ReportVault

VAULT_BUCKET_VARIABLE = "UGLYMUGS_VAULT_BUCKET"
VAULT_KMS_KEY_VARIABLE = "UGLYMUGS_VAULT_KMS_KEY_ID"
IDEMPOTENCY_TABLE_VARIABLE = "UGLYMUGS_IDEMPOTENCY_TABLE"
MEMBERS_TABLE_VARIABLE = "UGLYMUGS_MEMBERS_TABLE"
SESSIONS_TABLE_VARIABLE = "UGLYMUGS_SESSIONS_TABLE"


def report_vault(environ: Mapping[str, str], settings: Settings) -> ReportVault:
    bucket = environ.get(VAULT_BUCKET_VARIABLE)
    if bucket:
        from uglymugs.reports.vault.s3 import S3ReportVault

        return S3ReportVault(bucket, kms_key_id=environ.get(VAULT_KMS_KEY_VARIABLE))
    from uglymugs.reports.vault.files import LocalReportVault

    return LocalReportVault(settings.vault_dir)


def idempotency_ledger(environ: Mapping[str, str], settings: Settings) -> IdempotencyLedger:
    table = environ.get(IDEMPOTENCY_TABLE_VARIABLE)
    if table:
        from uglymugs.reports.claims.dynamodb import DynamoDBIdempotencyLedger

        return DynamoDBIdempotencyLedger(table)
    from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger

    return SQLiteIdempotencyLedger(settings.state_db)


def member_directory(environ: Mapping[str, str], settings: Settings) -> MemberDirectory:
    table = environ.get(MEMBERS_TABLE_VARIABLE)
    if table:
        from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory

        return DynamoDBMemberDirectory(table)
    from uglymugs.members.directory.sqlite import SQLiteMemberDirectory

    return SQLiteMemberDirectory(settings.state_db)


def session_store(environ: Mapping[str, str], settings: Settings) -> SessionStore:
    table = environ.get(SESSIONS_TABLE_VARIABLE)
    if table:
        from uglymugs.members.directory.dynamodb import DynamoDBSessionStore

        return DynamoDBSessionStore(table)
    from uglymugs.members.directory.sqlite import SQLiteSessionStore

    return SQLiteSessionStore(settings.state_db)


NOTIFY_LEDGER_TABLE_VARIABLE = "UGLYMUGS_NOTIFY_LEDGER_TABLE"
BUNDLE_BUCKET_VARIABLE = "UGLYMUGS_BUNDLE_BUCKET"
BUNDLE_VERIFY_KEYS_VARIABLE = "UGLYMUGS_BUNDLE_VERIFY_KEYS"
SHELF_DIR = "shelf"


def notification_ledger(environ: Mapping[str, str], settings: Settings) -> NotificationLedger:
    table = environ.get(NOTIFY_LEDGER_TABLE_VARIABLE)
    if table:
        from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger

        return DynamoDBNotificationLedger(table)
    from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger

    return SQLiteNotificationLedger(settings.state_db)


def bundle_shelf(environ: Mapping[str, str], settings: Settings) -> BundleShelf:
    """The bundle shelf: ``$UGLYMUGS_BUNDLE_BUCKET`` or the data directory's ``shelf/``."""
    bucket = environ.get(BUNDLE_BUCKET_VARIABLE)
    if bucket:
        from uglymugs.alerts.shelf.s3 import S3BundleShelf

        return S3BundleShelf(bucket)
    from uglymugs.alerts.shelf.files import LocalBundleShelf

    return LocalBundleShelf(settings.data_dir / SHELF_DIR)


def bundle_verify_keys(environ: Mapping[str, str], settings: Settings) -> dict[str, bytes] | None:
    """Keys that published bundles are trusted with: ``$UGLYMUGS_BUNDLE_VERIFY_KEYS``
    (``{"key id": "base64"}``) or the local key files; None when there are none."""
    text = environ.get(BUNDLE_VERIFY_KEYS_VARIABLE)
    if text:
        import base64
        import json

        return {key: base64.b64decode(value) for key, value in json.loads(text).items()}
    from uglymugs.crypto.keys import KeyStoreError, load_public_keys

    try:
        public = load_public_keys(settings.keys_dir)
    except KeyStoreError:
        return None
    return {public.bundle_key_id: public.bundle_verify_key}
