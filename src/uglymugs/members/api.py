"""The member API: joining, passwords, log-in sessions, alerts and the member's settings.

Routes live in modules by concern (:mod:`~uglymugs.members.account_routes`,
:mod:`~uglymugs.members.alert_routes`, :mod:`~uglymugs.members.preference_routes`,
documented in ``docs/api.md``); this module assembles them around one
:class:`MemberServices` and builds that from the environment. Like the report API it
never reads the client's address or user agent, and it logs events, never what was
sent. What only one route needs (joining's rules and phone numbers, e-mail templates)
is imported by that route, keeping the cold start short.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware

from uglymugs.config import Settings
from uglymugs.members import account_routes, alert_routes, preference_routes
from uglymugs.members.account_mail import mail_settings_from_environment
from uglymugs.members.alert_routes import BUNDLE_URL_SECONDS
from uglymugs.members.counter_keys import counter_keys_from_environment
from uglymugs.members.passwords import PasswordHasher
from uglymugs.members.published import PublishedAlerts
from uglymugs.members.request_context import STATE_NAME
from uglymugs.members.services import MemberServices
from uglymugs.messaging.mailer import mailer_from_environment
from uglymugs.web.errors import EXCEPTION_HANDLERS
from uglymugs.web.log_policy import silence_request_loggers
from uglymugs.web.metrics import MetricsSink
from uglymugs.web.security_headers import SecurityHeadersMiddleware

if TYPE_CHECKING:
    from uglymugs.storage.s3_shelf import S3BundleShelf

__all__ = ["MemberServices", "create_member_app", "create_member_app_from_environment"]

SITE_URL_VARIABLE = "UGLYMUGS_SITE_URL"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def create_member_app(services: MemberServices) -> Starlette:
    """The member API as an ASGI app (wrapped by Mangum on Lambda, served by ``uglymugs dev``)."""
    app = Starlette(
        routes=[*alert_routes.ROUTES, *account_routes.ROUTES, *preference_routes.ROUTES],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[Middleware(SecurityHeadersMiddleware)],
    )
    setattr(app.state, STATE_NAME, services)
    return app


def member_services_from_environment(
    environ: Mapping[str, str],
    hasher: PasswordHasher | None = None,
    metrics: MetricsSink | None = None,
) -> MemberServices:
    """The adapters the environment names: DynamoDB and SES on AWS, SQLite and the outbox here."""
    from uglymugs.storage.selection import member_directory, session_store

    settings = Settings.from_env(environ)
    mail_hourly_cap, mail_subject = mail_settings_from_environment(environ)
    return MemberServices(
        directory=member_directory(environ, settings),
        sessions=session_store(environ, settings),
        mailer=mailer_from_environment(environ, settings.data_dir),
        hasher=hasher or PasswordHasher(),
        site_url=environ.get(SITE_URL_VARIABLE, DEFAULT_SITE_URL),
        clock=lambda: datetime.now(UTC),
        published=published_alerts_from_environment(environ, settings),
        metrics=metrics,
        counter_keys=counter_keys_from_environment(environ, settings.data_dir),
        mail_hourly_cap=mail_hourly_cap,
        mail_subject=mail_subject,
    )


BUNDLE_URL_KEY_ID_VARIABLE = "UGLYMUGS_BUNDLE_URL_KEY_ID"
BUNDLE_URL_KEY_SECRET_VARIABLE = "UGLYMUGS_BUNDLE_URL_KEY_SECRET"  # noqa: S105 - a name


def published_alerts_from_environment(
    environ: Mapping[str, str], settings: Settings
) -> PublishedAlerts | None:
    """The bundle shelf (``$UGLYMUGS_BUNDLE_BUCKET`` or the data directory's ``shelf/``)
    trusted through ``$UGLYMUGS_BUNDLE_VERIFY_KEYS`` or the local key files; None when
    there is no verify key to trust anything with."""
    from uglymugs.storage.selection import bundle_shelf, bundle_verify_keys

    verify_keys = bundle_verify_keys(environ, settings)
    if verify_keys is None:
        return None
    shelf = bundle_shelf(environ, settings)
    if not hasattr(shelf, "presigned_url"):  # a local shelf: the API sends the bytes
        return PublishedAlerts(shelf, verify_keys)
    return PublishedAlerts(shelf, verify_keys, presign=bundle_url_maker(environ, shelf))


def bundle_url_maker(environ: Mapping[str, str], shelf: S3BundleShelf) -> Callable[[str], str]:
    """CloudFront signed URLs on the site's origin when the deployment names a key
    (``$UGLYMUGS_BUNDLE_URL_KEY_ID``, private half in the Secrets Manager secret
    ``$UGLYMUGS_BUNDLE_URL_KEY_SECRET``); else presigned S3 URLs, for other clients."""
    key_id = environ.get(BUNDLE_URL_KEY_ID_VARIABLE)
    if key_id:
        from uglymugs.storage.cloudfront_urls import CloudFrontUrlSigner, secret_reader

        signer = CloudFrontUrlSigner(key_id, secret_reader(environ[BUNDLE_URL_KEY_SECRET_VARIABLE]))
        return lambda name: signer.url(name, BUNDLE_URL_SECONDS)
    return lambda name: shelf.presigned_url(name, BUNDLE_URL_SECONDS)


def create_member_app_from_environment(
    environ: Mapping[str, str] | None = None, metrics: MetricsSink | None = None
) -> Starlette:
    silence_request_loggers()
    return create_member_app(
        member_services_from_environment(
            os.environ if environ is None else environ, metrics=metrics
        )
    )
