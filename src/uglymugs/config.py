"""The scheme's settings: every ``UGLYMUGS_*`` environment variable, read here and only here.

One typed object, built once per process (by the ``uglymugs`` command, ``uglymugs
dev`` and each Lambda function) and handed to :mod:`uglymugs.composition`, which
chooses the adapters from it. A deployment names its AWS resources (the SAM template
sets them); anything left unset falls back to the local adapter under ``data_dir``.
Tests build one from a mapping with :meth:`Settings.from_environ`.

>>> settings = Settings.from_environ({"UGLYMUGS_DATA_DIR": "/tmp/scheme"})
>>> settings.vault_dir
PosixPath('/tmp/scheme/vault')
>>> settings.vault_bucket is None
True

``docs/configuration.md`` lists every field; a test keeps it equal to this class.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "UGLYMUGS_"
DEFAULT_DATA_DIR = ".uglymugs"
PASSPHRASE_VARIABLE = "UGLYMUGS_KEY_PASSPHRASE"  # noqa: S105 - a variable name
UNNAMED = "unnamed"  # the audit log's "who" when staff_name is unset
DEV_PASSPHRASE = "dev"  # noqa: S105 - documented, for local development keys only
# Where `uglymugs dev` notes the address it serves, so that other commands on the same
# data directory (`members approve`) e-mail links that reach it.
DEV_SITE_URL_FILE = "dev-site-url"


# Who reads each setting (``used_by``): the three Lambda functions, ``staff`` machines
# (the ``uglymugs`` command and ``uglymugs dev``) and ``ci`` (the publish workflow).
# tests/infra/test_environment.py checks that the template gives each function exactly
# the settings marked for it; docs/configuration.md shows them.
READERS = ("report", "alerts", "notify", "staff", "ci")


class Settings(BaseSettings):
    """Every setting of the scheme, with its type, default, readers and what it is for."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, frozen=True, extra="ignore", env_ignore_empty=True
    )

    # --- This machine -----------------------------------------------------------------
    data_dir: Path = Field(
        default=Path(DEFAULT_DATA_DIR),
        description="Where the local adapters keep keys, the vault, ledgers, the shelf, "
        "the outbox and the built site (git-ignored).",
        json_schema_extra={"used_by": ["staff"]},
    )
    key_passphrase: SecretStr | None = Field(
        default=None,
        description="Passphrase of the staff's private keys, for scripts and CI; "
        "commands ask for it at the terminal when unset (`uglymugs dev` uses `dev`).",
        json_schema_extra={"used_by": ["staff", "ci"]},
    )
    site_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The public site's address, used in e-mailed links, SMS and the "
        "pages' language alternates; unset: the address `uglymugs dev` last served "
        "this data_dir at, else http://127.0.0.1:8000.",
        json_schema_extra={"used_by": ["alerts", "notify", "staff", "ci"]},
    )

    partners_dir: Path = Field(
        default=Path("partners"),
        description="The partner directory (`partners/*.yaml`, docs/partners.md): force "
        "intelligence bureaus and regional units in it are sent published alerts by "
        "`uglymugs notify`.",
        json_schema_extra={"used_by": ["staff", "ci"]},
    )

    staff_name: str | None = Field(
        default=None,
        description="The name this staff member's actions are recorded under in the audit "
        "log (set by each person; docs/staff.md says what it proves); unset: `unnamed`.",
        json_schema_extra={"used_by": ["staff"]},
    )

    staff_checkout: Path = Field(
        default=Path("."),
        description="The staff member's git checkout of the scheme's repository: the staff "
        "console writes alert drafts to its site/alerts and proposes them from it.",
        json_schema_extra={"used_by": ["staff"]},
    )

    # --- Reports ----------------------------------------------------------------------
    vault_bucket: str | None = Field(
        default=None,
        description="S3 bucket of sealed reports; unset: files under data_dir/vault.",
        json_schema_extra={"used_by": ["report", "staff"]},
    )
    vault_kms_key_id: str | None = Field(
        default=None,
        description="KMS key the vault bucket's objects are encrypted with.",
        json_schema_extra={"used_by": ["report"]},
    )
    idempotency_table: str | None = Field(
        default=None,
        description="DynamoDB table binding idempotency keys to report numbers; "
        "unset: SQLite in data_dir.",
        json_schema_extra={"used_by": ["report"]},
    )
    powertools_idempotency_table: str | None = Field(
        default=None,
        description="DynamoDB table of Powertools Idempotency (report retries in flight, "
        "notify once per publish); unset: not used.",
        json_schema_extra={"used_by": ["report", "notify"]},
    )
    report_keyring: str | None = Field(
        default=None,
        description="The report keys' public halves as JSON (deployments, from SSM); "
        "unset: the local key files.",
        json_schema_extra={"used_by": ["report"]},
    )

    cases_table: str | None = Field(
        default=None,
        description="DynamoDB table of sealed case records and the audit log (staff only); "
        "unset: SQLite in data_dir.",
        json_schema_extra={"used_by": ["staff"]},
    )

    # --- Members and bundles ----------------------------------------------------------
    members_table: str | None = Field(
        default=None,
        description="DynamoDB table of members; unset: SQLite in data_dir.",
        json_schema_extra={"used_by": ["alerts", "notify", "staff"]},
    )
    sessions_table: str | None = Field(
        default=None,
        description="DynamoDB table of sessions, one-time links and counters; "
        "unset: SQLite in data_dir.",
        json_schema_extra={"used_by": ["alerts", "staff"]},
    )
    counter_key_secret: str | None = Field(
        default=None,
        description="Secrets Manager secret of the HMAC key that names the member API's "
        "rate-limit counters; unset: a key file made once in data_dir.",
        json_schema_extra={"used_by": ["alerts"]},
    )
    survey_table: str | None = Field(
        default=None,
        description="DynamoDB table of member survey rounds and answered-markers (keyed "
        "hashes); unset: SQLite in data_dir. Set together with survey_responses_table.",
        json_schema_extra={"used_by": ["alerts", "staff"]},
    )
    survey_responses_table: str | None = Field(
        default=None,
        description="DynamoDB table of anonymous member survey answers, apart from the "
        "markers; unset: SQLite in data_dir. Set together with survey_table.",
        json_schema_extra={"used_by": ["alerts", "staff"]},
    )
    figures_suppressed_below: int = Field(
        default=5,
        ge=5,
        description="Figures for funders (`uglymugs stats`) show no count from 1 to this "
        "number less one: such counts, and any total that would reveal them, print as null.",
        json_schema_extra={"used_by": ["staff"]},
    )
    mail_hourly_cap: int = Field(
        default=200,
        ge=1,
        description="At most this many account e-mails (join, set-password, reset) an hour "
        "for the whole scheme; past it nothing more is sent that hour.",
        json_schema_extra={"used_by": ["alerts", "staff"]},
    )
    mail_subject: str | None = Field(
        default=None,
        description='Subject of every account e-mail (default "Your account", translated): '
        "discreet, since a lock screen shows it.",
        json_schema_extra={"used_by": ["alerts", "staff"]},
    )
    bundle_bucket: str | None = Field(
        default=None,
        description="Private S3 bucket of signed alert bundles; unset: data_dir/shelf.",
        json_schema_extra={"used_by": ["alerts", "notify", "staff", "ci"]},
    )
    bundle_kms_key_id: str | None = Field(
        default=None,
        description="KMS key for the bundle bucket's objects (publish --target aws).",
        json_schema_extra={"used_by": ["staff", "ci"]},
    )
    bundle_verify_keys: str | None = Field(
        default=None,
        description='Keys bundles are trusted with, as JSON {"key id": "base64"}; '
        "unset: the local key files.",
        json_schema_extra={"used_by": ["alerts", "notify", "staff"]},
    )
    bundle_url_key_id: str | None = Field(
        default=None,
        description="CloudFront public key id for signed bundle URLs; unset: presigned S3 URLs.",
        json_schema_extra={"used_by": ["alerts"]},
    )
    bundle_url_key_secret: str | None = Field(
        default=None,
        description="Secrets Manager secret holding the private half of bundle_url_key_id.",
        json_schema_extra={"used_by": ["alerts"]},
    )

    # --- Mail and SMS -----------------------------------------------------------------
    mail_from: str | None = Field(
        default=None,
        description="Sender address for SES; unset: e-mails go to data_dir/outbox.",
        json_schema_extra={"used_by": ["alerts", "notify", "staff"]},
    )
    ses_configuration_set: str | None = Field(
        default=None,
        description="SES configuration set that reports bounces and complaints.",
        json_schema_extra={"used_by": ["alerts", "notify", "staff"]},
    )
    sms_sender: Literal["outbox", "sns"] = Field(
        default="outbox",
        description="Where SMS go: `sns` (Amazon SNS) or `outbox` (data_dir).",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    sms_sender_id: str | None = Field(
        default=None,
        description="Alphanumeric SMS sender id, where the destination allows one.",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )

    # --- Notify -----------------------------------------------------------------------
    notify_ledger_table: str | None = Field(
        default=None,
        description="DynamoDB table of deliveries; unset: SQLite in data_dir.",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    notify_concurrency: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Send batches in flight at once in one notify run.",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    notify_sms_rate: float = Field(
        default=10.0,
        gt=0,
        le=1000,
        description="SMS a second the SNS account may send (SNS's API says no rate; its "
        "default quota is 20).",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    notify_rate_share: float = Field(
        default=1.0,
        gt=0,
        le=1,
        description="Part of the account's SES and SMS rates one notify run uses (runs that "
        "may send at once split them).",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    staff_digest_email: str | None = Field(
        default=None,
        description="Staff address told once a day how many member applications arrived "
        "and are waiting (counts only, no applicant's details); unset: no such e-mail.",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    mobile_reminders: bool = Field(
        default=True,
        description="Text members who get alerts by SMS every six months to confirm or "
        "update their number (on notify's schedule); false turns the reminders off.",
        json_schema_extra={"used_by": ["notify", "staff"]},
    )
    notify_function: str | None = Field(
        default=None,
        description="The notify Lambda that `uglymugs publish --target aws` invokes.",
        json_schema_extra={"used_by": ["staff", "ci"]},
    )

    # --- Retention (`uglymugs retention`; docs/operations.md says why each default) ---
    retention_rejected_days: int = Field(
        default=30,
        ge=1,
        description="Days a rejected application is kept (to answer the applicant), then deleted.",
        json_schema_extra={"used_by": ["staff"]},
    )
    retention_report_years: int = Field(
        default=6,
        ge=1,
        description="Years a sealed report is kept, unless held by an open case or a "
        "recorded share.",
        json_schema_extra={"used_by": ["staff"]},
    )
    retention_ledger_days: int = Field(
        default=400,
        ge=1,
        description="Days a notify ledger row (a delivery, a plan, a finished run) is kept.",
        json_schema_extra={"used_by": ["staff"]},
    )

    # --- Publishing the site (read by the publish workflow) --------------------------
    site_bucket: str | None = Field(
        default=None,
        description="S3 bucket the public site is uploaded to (publish workflow).",
        json_schema_extra={"used_by": ["ci"]},
    )
    distribution_id: str | None = Field(
        default=None,
        description="CloudFront distribution invalidated after the site is uploaded.",
        json_schema_extra={"used_by": ["ci"]},
    )

    @model_validator(mode="after")
    def _served_by_dev(self) -> Settings:
        """Unset, ``site_url`` is where ``uglymugs dev`` serves this data directory."""
        if "site_url" in self.model_fields_set:
            return self
        try:
            served = (self.data_dir / DEV_SITE_URL_FILE).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return self
        if served.startswith(("http://", "https://")):
            object.__setattr__(self, "site_url", served)  # frozen once validated
        return self

    @model_validator(mode="after")
    def _survey_tables_together(self) -> Settings:
        """The survey's markers and answers are two tables: one without the other is a
        deployment mistake, not a reason to keep answers beside markers."""
        if (self.survey_table is None) != (self.survey_responses_table is None):
            raise ValueError("set survey_table and survey_responses_table together")
        return self

    @field_validator("sms_sender", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of this process: its ``UGLYMUGS_*`` environment variables."""
        return cls()

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from ``environ`` alone, ignoring this process's environment (tests,
        and a function loaded with the environment its template gives it)."""
        values = {
            name: environ[variable(name)]
            for name in cls.model_fields
            if environ.get(variable(name), "") != ""
        }
        return cls.model_validate(values)

    def as_environ(self) -> dict[str, str]:
        """The ``UGLYMUGS_*`` variables that give these settings (for child processes)."""
        environ = {}
        for name, value in self.model_dump(exclude_none=True).items():
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            environ[variable(name)] = str(value)
        return environ

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def vault_dir(self) -> Path:
        return self.data_dir / "vault"

    @property
    def state_db(self) -> Path:
        """SQLite file for ledgers that need atomic claims (idempotency, members, notify)."""
        return self.data_dir / "state.sqlite3"

    @property
    def shelf_dir(self) -> Path:
        return self.data_dir / "shelf"

    @property
    def site_output(self) -> Path:
        return self.data_dir / "site"

    @property
    def staff(self) -> str:
        """Who the audit log records this person as."""
        return self.staff_name.strip() if self.staff_name and self.staff_name.strip() else UNNAMED

    @property
    def passphrase(self) -> str | None:
        """The key passphrase given in the environment, if any."""
        return self.key_passphrase.get_secret_value() if self.key_passphrase else None

    def verify_keys(self) -> dict[str, bytes] | None:
        """``bundle_verify_keys`` decoded, or None when unset."""
        if not self.bundle_verify_keys:
            return None
        decoded = json.loads(self.bundle_verify_keys)
        return {key: base64.b64decode(value) for key, value in decoded.items()}


def readers(field_name: str) -> tuple[str, ...]:
    """Who reads a setting: some of :data:`READERS`."""
    extra = Settings.model_fields[field_name].json_schema_extra
    used_by = extra.get("used_by", []) if isinstance(extra, dict) else []
    return tuple(str(reader) for reader in used_by)  # type: ignore[union-attr]


def variable(field_name: str) -> str:
    """The environment variable of a settings field: ``data_dir`` → ``UGLYMUGS_DATA_DIR``."""
    return PREFIX + field_name.upper()


def repository_root() -> Path:
    """The checkout this package was installed from in editable mode (holds ``site/``)."""
    return Path(__file__).resolve().parents[2]
