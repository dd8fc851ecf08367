"""The figures for funders in the console: charts, tables and the PDF to send.

The same table as ``uglymugs figures`` (:func:`uglymugs.funder_figures.gather`), built
from the incidents the unlocked console already holds, so nothing is decrypted again:
every small count suppressed, each area's years as a chart drawn from the suppressed
table, and the same page as a PDF to download, in the console's language. With one
force area chosen it is the funder report (``uglymugs stats report``): the area beside
the nation. A force area or date range that does not exist is told beside its field;
nothing is stored either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from uglymugs.funder_figures import Period, gather
from uglymugs.i18n import N_
from uglymugs.reports.figures import UNKNOWN_AREA
from uglymugs.reports.figures_pdf import FiguresPdfError, render_pdf
from uglymugs.reports.figures_report import (
    overview_body,
    period_text,
    render_overview,
    render_report,
    report_body,
)
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES
from uglymugs.reports.places import force_area_ids
from uglymugs.staff.rendering import gettext_for, language_of, render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import unlocked
from uglymugs.staff.unlocked import Unlocked


@dataclass(frozen=True)
class Choice:
    """Which figures: one force area (or all) and an incident date range."""

    force_area: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def problems(self, query: Any) -> dict[str, str]:
        """Each field's problem, by the field's name (empty: the choice is good)."""
        found = {}
        if self.force_area and self.force_area not in {*force_area_ids(), UNKNOWN_AREA}:
            found["force_area"] = N_("Choose a police force area from the list.")
        for name in ("date_from", "date_to"):
            if query.get(name) and getattr(self, name) is None:
                found[name] = N_("Give a date as YYYY-MM-DD.")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            found["date_to"] = N_("The end date is before the start date.")
        return found

    @property
    def period(self) -> Period:
        return Period(self.date_from, self.date_to)


def choice_of(query: Any) -> Choice:
    return Choice(
        query.get("force_area", "").strip()[:60],
        _date(query.get("date_from", "")),
        _date(query.get("date_to", "")),
    )


def funder_table(services: ConsoleServices, state: Unlocked, choice: Choice) -> dict[str, Any]:
    """The whole suppressed table for ``choice``'s dates (as the command builds it)."""
    members = services.members.directory.members() if services.members is not None else []
    return gather(
        state.incidents,
        suppressed_below=services.figures_suppressed_below,
        period=choice.period,
        members=members,
        alerts_dir=services.alerts_dir,
        ledger=services.notify_ledger,
        survey_store=services.survey_store,
    )


def figures_html(request: Request, table: dict[str, Any], choice: Choice) -> str:
    """The report of the chosen area beside the nation, or every area's figures."""
    gettext = gettext_for(request)
    if choice.force_area:
        return report_body(table, choice.force_area, gettext=gettext)
    return overview_body(table, gettext)


def figures_page_html(request: Request, table: dict[str, Any], choice: Choice) -> str:
    """The whole page, for the PDF."""
    gettext, tag = gettext_for(request), language_of(request).tag
    if choice.force_area:
        period = period_text(choice.date_from, choice.date_to, gettext)
        return render_report(
            table, choice.force_area, gettext=gettext, language_tag=tag, period=period
        )
    return render_overview(table, gettext=gettext, language_tag=tag)


@unlocked
async def figures_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    choice = choice_of(request.query_params)
    problems = choice.problems(request.query_params)
    context = {
        "choice": choice,
        "areas": force_area_ids(),
        "area_names": FORCE_AREA_NAMES,
        "problems": problems,
    }
    if problems:
        return render(request, "figures.html", 422, body=None, query="", **context)
    body = figures_html(request, funder_table(services, state, choice), choice)
    query = request.url.query
    return render(request, "figures.html", body=body, query=query, **context)


@unlocked
async def figures_pdf(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    choice = choice_of(request.query_params)
    if choice.problems(request.query_params):
        return Response("Those figures cannot be made: see the figures page.", 422)
    html = figures_page_html(request, funder_table(services, state, choice), choice)
    try:
        pdf = render_pdf(html)
    except FiguresPdfError as error:
        return Response(str(error), 503, headers={"Retry-After": "3600"})
    name = f"figures-{choice.force_area or 'all-areas'}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


ROUTES = [
    Route("/figures", figures_page),
    Route("/figures.pdf", figures_pdf),
]
