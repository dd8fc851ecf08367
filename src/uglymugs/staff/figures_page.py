"""The figures for funders in the console: charts, tables and the PDF to send.

The same table as ``uglymugs figures`` (:mod:`uglymugs.reports.figures`), built from
the incidents the unlocked console already holds, so nothing is decrypted again:
every small count suppressed, each area's years as a chart drawn from the suppressed
table, and the same page as a PDF to download. A force area or date range that does
not exist is told beside its field; nothing is stored either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from uglymugs.i18n import N_
from uglymugs.members.figures import member_figures
from uglymugs.reports.figures import UNKNOWN_AREA, figures
from uglymugs.reports.figures_html import figures_body, render_html
from uglymugs.reports.figures_pdf import FiguresPdfError, render_pdf
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES
from uglymugs.reports.incidents import Incident
from uglymugs.reports.places import force_area_ids
from uglymugs.staff.rendering import render
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

    def includes(self, incident: Incident) -> bool:
        """Within the range; with either end given, an incident without a date is left out."""
        if not (self.date_from or self.date_to):
            return True
        try:
            when = date.fromisoformat(incident.incident_date or "")
        except ValueError:
            return False
        return (self.date_from or when) <= when <= (self.date_to or when)


def choice_of(query: Any) -> Choice:
    return Choice(
        query.get("force_area", "").strip()[:60],
        _date(query.get("date_from", "")),
        _date(query.get("date_to", "")),
    )


def funder_table(services: ConsoleServices, state: Unlocked, choice: Choice) -> dict[str, Any]:
    """The suppressed table for ``choice``: suppression is worked out on the whole table
    first, so one area's part gives away no more than the whole (as the command does)."""
    k = services.figures_suppressed_below
    table = figures([i for i in state.incidents if choice.includes(i)], suppressed_below=k)
    members = services.members.directory.members() if services.members is not None else []
    table.update(member_figures(members, suppressed_below=k))
    if choice.force_area:
        for part in ("incidents", "members"):
            table[part] = [row for row in table[part] if row["force_area"] == choice.force_area]
    return table


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
    body = figures_body(funder_table(services, state, choice))
    query = request.url.query
    return render(request, "figures.html", body=body, query=query, **context)


@unlocked
async def figures_pdf(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    choice = choice_of(request.query_params)
    if choice.problems(request.query_params):
        return Response("Those figures cannot be made: see the figures page.", 422)
    html = render_html(funder_table(services, state, choice), choice.force_area or None)
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
