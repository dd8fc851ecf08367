"""The staff console's web app: a Starlette app served on 127.0.0.1 only.

``create_staff_app`` wraps the routes of each concern (triage, casework, drafting,
entering, vetting, publishing) in :class:`~uglymugs.staff.guard.ConsoleGuard`, so no
route is reachable without the launch session, from another Host or another origin.
Pages that show reports need the console unlocked; while it is locked they send the
staff member to the unlock page.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from uglymugs.crypto.keys import KeysMissingError, KeyStoreError
from uglymugs.i18n import N_
from uglymugs.staff import (
    casework,
    drafting,
    entry,
    figures_page,
    linking,
    replying,
    sharing,
    status,
    triage,
    vetting,
)
from uglymugs.staff.guard import ConsoleGuard, Tickets
from uglymugs.staff.rendering import form_data, render
from uglymugs.staff.services import ConsoleServices

STATIC = Path(__file__).resolve().parent / "static"
# Sent when the console locks: the browser drops whatever it kept of these pages.
CLEAR_SITE_DATA = '"cache", "storage"'
EXPIRY_CHECK_SECONDS = 15


async def unlock_page(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "unlock.html", problem=None)
    services: ConsoleServices = request.app.state.services
    passphrase = (await form_data(request)).get("passphrase", [""])[0]
    if not passphrase:
        return render(request, "unlock.html", 422, problem=N_("Type the passphrase."))
    try:
        unlocked = services.keyholder.unlock(passphrase)
    except KeysMissingError as error:
        return render(request, "unlock.html", 422, problem=str(error))
    except KeyStoreError:
        return render(
            request, "unlock.html", 422, problem=N_("That passphrase does not open the keys.")
        )
    services.audit("unlock", [], f"{len(unlocked.reports)} reports decrypted")
    return RedirectResponse("/", status_code=303)


async def lock(request: Request) -> Response:
    services: ConsoleServices = request.app.state.services
    services.keyholder.lock("by hand")
    response = RedirectResponse("/unlock", status_code=303)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@contextlib.asynccontextmanager
async def idle_timer(app: Starlette) -> AsyncIterator[None]:
    """While the console runs, lock it as soon as it has been idle too long."""

    async def watch() -> None:
        while True:
            await asyncio.sleep(EXPIRY_CHECK_SECONDS)
            app.state.services.keyholder.expire()

    task = asyncio.create_task(watch())
    try:
        yield
    finally:
        task.cancel()
        app.state.services.keyholder.lock("console stopped")


def create_staff_app(
    services: ConsoleServices, tickets: Tickets, hosts: Iterable[str]
) -> Starlette:
    """The console for ``services``; only ``hosts`` may be named in the Host header."""
    routes = [
        Route("/unlock", unlock_page, methods=["GET", "POST"]),
        Route("/lock", lock, methods=["POST"]),
        *triage.ROUTES,
        *casework.ROUTES,
        *sharing.ROUTES,
        *replying.ROUTES,
        *linking.ROUTES,
        *drafting.ROUTES,
        *entry.ROUTES,
        *vetting.ROUTES,
        *status.ROUTES,
        *figures_page.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=idle_timer)
    app.state.services = services
    app.add_middleware(ConsoleGuard, tickets=tickets, hosts=hosts)
    return app
