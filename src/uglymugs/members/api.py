"""The member API: joining, passwords, log-in sessions, alerts and the member's settings.

Routes live in modules by concern (:mod:`~uglymugs.members.account_routes`,
:mod:`~uglymugs.members.alert_routes`, :mod:`~uglymugs.members.preference_routes`,
:mod:`~uglymugs.members.my_data_routes`, :mod:`~uglymugs.members.report_number_routes`,
:mod:`~uglymugs.members.survey_routes`,
documented in ``docs/api.md``); this module assembles them around one
:class:`MemberServices` (built by :func:`uglymugs.composition.member_services`).
Like the report API it never reads the client's address or user agent, and it logs
events, never what was sent. What only one route needs (joining's rules and phone
numbers, e-mail templates) is imported by that route, keeping the cold start short.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware

from uglymugs.members import (
    account_routes,
    alert_routes,
    api_token_routes,
    export_routes,
    mobile_routes,
    my_data_routes,
    preference_routes,
    report_number_routes,
    survey_routes,
)
from uglymugs.members.alert_routes import BUNDLE_URL_SECONDS
from uglymugs.members.request_context import STATE_NAME
from uglymugs.members.services import MemberServices
from uglymugs.web.errors import EXCEPTION_HANDLERS
from uglymugs.web.security_headers import SecurityHeadersMiddleware

__all__ = ["BUNDLE_URL_SECONDS", "MemberServices", "create_member_app"]


def create_member_app(services: MemberServices) -> Starlette:
    """The member API as an ASGI app (wrapped by Mangum on Lambda, served by ``uglymugs dev``)."""
    app = Starlette(
        routes=[
            *alert_routes.ROUTES,
            *account_routes.ROUTES,
            *preference_routes.ROUTES,
            *my_data_routes.ROUTES,
            *api_token_routes.ROUTES,
            *export_routes.ROUTES,
            *mobile_routes.ROUTES,
            *report_number_routes.ROUTES,
            *survey_routes.ROUTES,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(api_token_routes.TokensReadBundlesOnly),
        ],
    )
    setattr(app.state, STATE_NAME, services)
    return app
