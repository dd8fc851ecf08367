"""The composition root: the one place that chooses adapters and assembles the scheme.

Every entry point (the three Lambda functions, ``uglymugs dev`` and each command)
builds its parts here from one :class:`~uglymugs.config.Settings`. A deployment names
its AWS resources and gets the AWS adapter; anything not named falls back to the local
adapter under the data directory. Adapters are imported inside the branch that uses
them, so a function's cold start loads only its own (boto3 is loaded lazily by the AWS
adapters themselves).

>>> from uglymugs.config import Settings
>>> type(report_vault(Settings.from_environ({"UGLYMUGS_DATA_DIR": "/tmp/x"}))).__name__
'LocalReportVault'
>>> type(report_vault(Settings.from_environ({"UGLYMUGS_VAULT_BUCKET": "b"}))).__name__
'S3ReportVault'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from uglymugs.config import Settings

if TYPE_CHECKING:  # annotations only: the report function need not import members
    from starlette.applications import Starlette

    from uglymugs.alerts.shelf import BundleShelf
    from uglymugs.alerts.shelf.s3 import S3BundleShelf
    from uglymugs.audit.log import AuditLog
    from uglymugs.cases.store import CaseStore
    from uglymugs.members.counter_keys import CounterKeys
    from uglymugs.members.directory import ApiTokenStore, MemberDirectory, SessionStore
    from uglymugs.members.passwords import PasswordHasher
    from uglymugs.members.published import PublishedAlerts
    from uglymugs.members.services import MemberRecords, MemberServices
    from uglymugs.members.survey import SurveyStore
    from uglymugs.messaging.mailer import Mailer
    from uglymugs.messaging.texter import Texter
    from uglymugs.notify.ledger import NotificationLedger
    from uglymugs.notify.recipients import AlertPartner
    from uglymugs.notify.services import NotifyServices
    from uglymugs.operations.retention import RetentionHolds
    from uglymugs.powertools.metrics import MetricsSink
    from uglymugs.reports.api import Intake
    from uglymugs.reports.claims import IdempotencyLedger
    from uglymugs.reports.incidents import Incident
    from uglymugs.reports.keyring import ReportKeyRing
    from uglymugs.reports.vault import ReportVault
    from uglymugs.sharing.sending import SendingServices

# --- Ports: one adapter each, chosen from the settings ------------------------------


def report_vault(settings: Settings) -> ReportVault:
    if settings.vault_bucket:
        from uglymugs.reports.vault.s3 import S3ReportVault

        return S3ReportVault(settings.vault_bucket, kms_key_id=settings.vault_kms_key_id)
    from uglymugs.reports.vault.files import LocalReportVault

    return LocalReportVault(settings.vault_dir)


def idempotency_ledger(settings: Settings) -> IdempotencyLedger:
    if settings.idempotency_table:
        from uglymugs.reports.claims.dynamodb import DynamoDBIdempotencyLedger

        return DynamoDBIdempotencyLedger(settings.idempotency_table)
    from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger

    return SQLiteIdempotencyLedger(settings.state_db)


def member_directory(settings: Settings) -> MemberDirectory:
    if settings.members_table:
        from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory

        return DynamoDBMemberDirectory(settings.members_table)
    from uglymugs.members.directory.sqlite import SQLiteMemberDirectory

    return SQLiteMemberDirectory(settings.state_db)


def existing_member_directory(settings: Settings) -> MemberDirectory | None:
    """The member directory for a reader that must create nothing (``uglymugs stats``):
    None when it is the local database and that does not exist yet (no members)."""
    if not settings.members_table and not settings.state_db.exists():
        return None
    return member_directory(settings)


def api_token_store(settings: Settings) -> ApiTokenStore:
    """Projects' and sites' API tokens: beside the members (their table or database)."""
    if settings.members_table:
        from uglymugs.members.directory.dynamodb import DynamoDBApiTokenStore

        return DynamoDBApiTokenStore(settings.members_table)
    from uglymugs.members.directory.sqlite import SQLiteApiTokenStore

    return SQLiteApiTokenStore(settings.state_db)


def session_store(settings: Settings) -> SessionStore:
    if settings.sessions_table:
        from uglymugs.members.directory.dynamodb import DynamoDBSessionStore

        return DynamoDBSessionStore(settings.sessions_table)
    from uglymugs.members.directory.sqlite import SQLiteSessionStore

    return SQLiteSessionStore(settings.state_db)


def survey_store(settings: Settings) -> SurveyStore:
    """The member survey: two DynamoDB tables on AWS (markers apart from answers)."""
    if settings.survey_table and settings.survey_responses_table:
        from uglymugs.members.survey.dynamodb import DynamoDBSurveyStore

        return DynamoDBSurveyStore(settings.survey_table, settings.survey_responses_table)
    from uglymugs.members.survey.sqlite import SQLiteSurveyStore

    return SQLiteSurveyStore(settings.state_db)


def existing_survey_store(settings: Settings) -> SurveyStore | None:
    """The survey store for a reader that must create nothing (``uglymugs stats``):
    None when it is the local database and that does not exist yet (no answers)."""
    if not settings.survey_table and not settings.state_db.exists():
        return None
    return survey_store(settings)


def notification_ledger(settings: Settings) -> NotificationLedger:
    if settings.notify_ledger_table:
        from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger

        return DynamoDBNotificationLedger(settings.notify_ledger_table)
    from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger

    return SQLiteNotificationLedger(settings.state_db)


def existing_notification_ledger(settings: Settings) -> NotificationLedger | None:
    """The notification ledger for a reader that must create nothing (``uglymugs
    stats``): None when it is the local database and that does not exist yet."""
    if not settings.notify_ledger_table and not settings.state_db.exists():
        return None
    return notification_ledger(settings)


def bundle_shelf(settings: Settings, bucket: str | None = None) -> BundleShelf:
    """The bundle shelf: ``bucket`` or the settings' bundle bucket, else ``shelf/``."""
    bucket = bucket or settings.bundle_bucket
    if bucket:
        from uglymugs.alerts.shelf.s3 import S3BundleShelf

        return S3BundleShelf(bucket, kms_key_id=settings.bundle_kms_key_id)
    from uglymugs.alerts.shelf.files import LocalBundleShelf

    return LocalBundleShelf(settings.shelf_dir)


def bundle_verify_keys(settings: Settings) -> dict[str, bytes] | None:
    """Keys that published bundles are trusted with: the settings' or the local key
    files'; None when there are none."""
    keys = settings.verify_keys()
    if keys is not None:
        return keys
    from uglymugs.crypto.keys import KeyStoreError, load_public_keys

    try:
        public = load_public_keys(settings.keys_dir)
    except KeyStoreError:
        return None
    return {public.bundle_key_id: public.bundle_verify_key}


def report_keyring(settings: Settings) -> ReportKeyRing:
    """The report keys' public halves: the deployment's, or the local key files'."""
    from uglymugs.reports.keyring import ReportKeyRing

    if settings.report_keyring:
        return ReportKeyRing.from_json(settings.report_keyring)
    from uglymugs.crypto.keys import load_public_keys

    return ReportKeyRing.from_public_keys(load_public_keys(settings.keys_dir))


def mailer(settings: Settings) -> Mailer:
    """SES when a sender address is set; else the outbox (a directory and the console)."""
    from uglymugs.messaging.mailer import OUTBOX_DIR
    from uglymugs.messaging.mailer.outbox import OutboxMailer
    from uglymugs.messaging.mailer.ses import SESMailer

    if settings.mail_from:
        return SESMailer(settings.mail_from, configuration_set=settings.ses_configuration_set)
    return OutboxMailer(settings.data_dir / OUTBOX_DIR)


def texter(settings: Settings) -> Texter:
    """SNS when ``sms_sender`` is ``sns``; else the outbox."""
    from uglymugs.messaging.texter import OUTBOX_DIR
    from uglymugs.messaging.texter.outbox import OutboxTexter
    from uglymugs.messaging.texter.sns import SNSTexter

    if settings.sms_sender == "sns":
        return SNSTexter(sender_id=settings.sms_sender_id, rate=settings.notify_sms_rate)
    return OutboxTexter(settings.data_dir / OUTBOX_DIR)


def utc_clock() -> datetime:
    return datetime.now(UTC)


# --- The report function ------------------------------------------------------------


def report_intake(settings: Settings) -> Intake:
    """The intake, behind Powertools Idempotency when the deployment names its table."""
    from uglymugs.reports.intake import ReportIntake

    intake: Intake = ReportIntake(vault=report_vault(settings), ledger=idempotency_ledger(settings))
    if settings.powertools_idempotency_table:
        from uglymugs.reports.powertools_idempotency import PowertoolsIdempotentIntake

        intake = PowertoolsIdempotentIntake(intake, settings.powertools_idempotency_table)
    return intake


def report_app(settings: Settings, metrics: MetricsSink | None = None) -> Starlette:
    """The report API with the adapters and key ring the settings name."""
    from uglymugs.reports.api import create_report_app
    from uglymugs.web.log_policy import silence_request_loggers

    silence_request_loggers()
    return create_report_app(report_intake(settings), report_keyring(settings), metrics)


# --- The alerts (member) function ---------------------------------------------------


def published_alerts(settings: Settings) -> PublishedAlerts | None:
    """The bundle shelf trusted through the verify keys; None when there is no key to
    trust anything with."""
    from uglymugs.members.published import PublishedAlerts

    verify_keys = bundle_verify_keys(settings)
    if verify_keys is None:
        return None
    shelf = bundle_shelf(settings)
    if not hasattr(shelf, "presigned_url"):  # a local shelf: the API sends the bytes
        return PublishedAlerts(shelf, verify_keys)
    return PublishedAlerts(shelf, verify_keys, presign=bundle_url_maker(settings, shelf))  # type: ignore[arg-type]


def bundle_url_maker(settings: Settings, shelf: S3BundleShelf) -> Callable[[str], str]:
    """CloudFront signed URLs on the site's origin when the deployment names a key
    (private half in Secrets Manager); else presigned S3 URLs, for other clients."""
    from uglymugs.members.api import BUNDLE_URL_SECONDS

    key_id, secret = settings.bundle_url_key_id, settings.bundle_url_key_secret
    if key_id and secret:
        from uglymugs.alerts.shelf.cloudfront import CloudFrontUrlSigner, secret_reader

        signer = CloudFrontUrlSigner(key_id, secret_reader(secret))
        return lambda name: signer.url(name, BUNDLE_URL_SECONDS)
    return lambda name: shelf.presigned_url(name, BUNDLE_URL_SECONDS)


def member_services(
    settings: Settings,
    hasher: PasswordHasher | None = None,
    metrics: MetricsSink | None = None,
) -> MemberServices:
    """DynamoDB and SES on AWS, SQLite and the outbox here."""
    from uglymugs.members.passwords import PasswordHasher
    from uglymugs.members.services import MemberServices

    return MemberServices(
        directory=member_directory(settings),
        sessions=session_store(settings),
        mailer=mailer(settings),
        hasher=hasher or PasswordHasher(),
        site_url=settings.site_url,
        clock=utc_clock,
        published=published_alerts(settings),
        metrics=metrics,
        counter_keys=counter_keys(settings),
        mail_hourly_cap=settings.mail_hourly_cap,
        mail_subject=settings.mail_subject,
        member_records=member_records(settings),
        token_store=api_token_store(settings),
        alert_labels=alert_labels_in,
        survey_store=survey_store(settings),
    )


def alert_labels_in(language: str) -> dict[str, Any]:
    """The member area's alert labels in ``language`` (a site language code), for the
    member API's Word download; imported on its first use, not at a cold start."""
    from uglymugs.messaging.messages import translations_for
    from uglymugs.website.member_forms import alert_labels

    return alert_labels(translations_for(language).gettext)


def member_records(settings: Settings) -> dict[str, MemberRecords]:
    """Rows other stores keep about a member: the notify ledger's deliveries, where this
    process is given the ledger (locally always; on AWS where the function names its
    table; elsewhere its rows expire by TTL)."""
    if settings.members_table and not settings.notify_ledger_table:
        return {}
    return {"alerts_sent": notification_ledger(settings)}


def counter_keys(settings: Settings) -> CounterKeys:
    """The HMAC key of the rate-limit counters: Secrets Manager on AWS, a local file here."""
    from uglymugs.members.counter_keys import CounterKeys, local_secret

    if settings.counter_key_secret:
        from uglymugs.alerts.shelf.cloudfront import secret_reader

        read = secret_reader(settings.counter_key_secret)
        return CounterKeys(lambda: read().encode("utf-8"))
    return CounterKeys(local_secret(settings.data_dir))


def member_app(settings: Settings, metrics: MetricsSink | None = None) -> Starlette:
    from uglymugs.members.api import create_member_app
    from uglymugs.web.log_policy import silence_request_loggers

    silence_request_loggers()
    return create_member_app(member_services(settings, metrics=metrics))


# --- The notify function ------------------------------------------------------------


def notify_services(settings: Settings) -> NotifyServices:
    """Raises :class:`~uglymugs.notify.services.NotifySetupError` without a verify key."""
    from uglymugs.notify.publications import PublicationFeed
    from uglymugs.notify.services import NotifyServices, NotifySetupError

    verify_keys = bundle_verify_keys(settings)
    if verify_keys is None:
        raise NotifySetupError(
            "no bundle verify key: set $UGLYMUGS_BUNDLE_VERIFY_KEYS or create keys "
            "(uglymugs keys init)"
        )
    shelf = bundle_shelf(settings)
    return NotifyServices(
        ledger=notification_ledger(settings),
        directory=member_directory(settings),
        mailer=mailer(settings),
        texter=texter(settings),
        feed=PublicationFeed(shelf, verify_keys),
        site_url=settings.site_url,
        clock=utc_clock,
        concurrency=settings.notify_concurrency,
        rate_share=settings.notify_rate_share,
        staff_digest_email=settings.staff_digest_email,
        partners=alert_partners(settings, shelf, verify_keys),
        send_mobile_reminders=settings.mobile_reminders,
    )


def alert_partners(
    settings: Settings, shelf: BundleShelf, verify_keys: Mapping[str, bytes]
) -> tuple[AlertPartner, ...]:
    """The bureaus and regional units notify sends alerts to: from the partner directory
    in a checkout (imported only there: the notify function ships no partners nor
    pyrage), else the signed list ``uglymugs publish`` put on the shelf. A list that
    fails its check reaches nobody, and says so, rather than stopping members' alerts."""
    if settings.partners_dir.is_dir():
        from uglymugs.sharing.alert_partners import alert_partners as from_directory

        return from_directory(settings.partners_dir)
    from uglymugs.notify.partner_shelf import PartnerListError, read_partners

    try:
        return read_partners(shelf, verify_keys)
    except PartnerListError as error:
        logging.getLogger(__name__).warning("alert partners left out: %s", error)
        return ()


def notify_handler(settings: Settings) -> Callable[..., dict[str, Any]]:
    """Notify's event handler, run once per publish sequence when the deployment names
    the Powertools idempotency table."""
    from uglymugs.notify.events import handle_event
    from uglymugs.notify.idempotency import once_per_sequence

    return once_per_sequence(handle_event, settings.powertools_idempotency_table)


# --- Staff: casework and the audit trail ---------------------------------------------


def case_store(settings: Settings) -> CaseStore:
    """Sealed case records: DynamoDB when the deployment names the cases table."""
    if settings.cases_table:
        from uglymugs.cases.store.dynamodb import DynamoDBCaseStore

        return DynamoDBCaseStore(settings.cases_table)
    from uglymugs.cases.store.sqlite import SQLiteCaseStore

    return SQLiteCaseStore(settings.state_db)


def audit_log(settings: Settings) -> AuditLog:
    """The audit log: in the cases table on AWS, else SQLite in the data directory."""
    if settings.cases_table:
        from uglymugs.audit.log.dynamodb import DynamoDBAuditLog

        return DynamoDBAuditLog(settings.cases_table)
    from uglymugs.audit.log.sqlite import SQLiteAuditLog

    return SQLiteAuditLog(settings.state_db)


def retention_holds(
    settings: Settings, incidents: Callable[[], Iterable[Incident]] | None = None
) -> list[RetentionHolds]:
    """What keeps reports past their retention years: the case store and the sharing
    ledger (with ``incidents``, the opened reports, also those due to be shared)."""
    from uglymugs.sharing.holds import SharingHolds

    return [case_store(settings), SharingHolds(sharing_ledger(settings), incidents)]


def sharing_services(settings: Settings) -> SendingServices:
    """What e-mailing a packet needs: the sharing ledger, the claim ledger, the mailer."""
    from uglymugs.sharing.sending import SendingServices

    return SendingServices(sharing_ledger(settings), idempotency_ledger(settings), mailer(settings))


def sharing_ledger(settings: Settings) -> AuditLog:
    """The sharing ledger: a hash chain like the audit log, beside it (its own
    partition of the cases table on AWS, its own table in SQLite)."""
    if settings.cases_table:
        from uglymugs.audit.log.dynamodb import DynamoDBAuditLog

        return DynamoDBAuditLog(settings.cases_table, partition="sharing")
    from uglymugs.audit.log.sqlite import SQLiteAuditLog

    return SQLiteAuditLog(settings.state_db, table="sharing_ledger")
