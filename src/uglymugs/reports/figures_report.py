"""The funder report: what a police and crime commissioner reads about one force area,
beside the same figures nationally, as one self-contained page (and so one PDF).

It follows what commissioners' decisions quote (the decision record's section 5):
incidents in the area per year and how many involved violence, sexual assault or
rape; how many of the people would speak to police and how many agreed to anonymous
sharing; requests for help from police; members signed up by type; the alerts issued
and the members they reached; the member survey; and the trends as charts. Every
figure comes from the table :func:`uglymugs.funder_figures.gather` already
suppressed, so a hidden count prints as "hidden", a share is given only of two
shown counts, and no chart draws what the table hides. Every word is a gettext
message, in the language of the ``gettext`` given.

The member survey section shows the latest round with enough answers from
``table["survey"]`` (:func:`uglymugs.members.survey_figures.survey_figures`, which
has hidden whatever would let a reader work a small count out): each answer's share
with its 95% confidence interval, and the number of answers. No round with results,
no section.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from uglymugs.i18n import N_
from uglymugs.reports.figures import MEASURES
from uglymugs.reports.figures_charts import (
    NATIONAL,
    Gettext,
    area_figure,
    area_name,
    english,
    shown,
    year_label,
)
from uglymugs.reports.figures_html import (
    MEASURE_LABELS,
    MEMBER_LABELS,
    SHOWN_CATEGORIES,
    figures_body,
    heading,
    method,
    page,
    share,
)
from uglymugs.reports.form import option_label

POLICE_LABELS = {
    "requests": N_("Requests for help from police"),
    "information": N_("Information from police to circulate"),
}
ALERT_LABELS = {
    "issued": N_("Alerts issued"),
    "corrected": N_("Of those, corrected since"),
    "withdrawn": N_("Of those, withdrawn since"),
}
# The figures beside the incidents, per year: (part of the table, count, label).
SIDE_FIGURES = (
    ("police_requests", "requests", POLICE_LABELS["requests"]),
    ("police_requests", "information", POLICE_LABELS["information"]),
    ("alerts", "issued", ALERT_LABELS["issued"]),
    ("alerts", "corrected", ALERT_LABELS["corrected"]),
    ("notify_reach", "members_reached", N_("Members the alerts reached")),
)
Row = dict[str, Any]


def render_report(
    table: dict[str, Any],
    force_area: str,
    *,
    gettext: Gettext = english,
    language_tag: str = "en",
    period: str = "",
) -> str:
    """The whole page: ``table`` from :func:`uglymugs.funder_figures.gather` (uncut:
    the national figures are its totals), for ``force_area``; ``period`` says which
    dates it covers, as the reader should see it."""
    title = gettext(N_("Ugly Mugs figures for {area}")).format(area=area_name(force_area, gettext))
    body = report_body(table, force_area, gettext=gettext, period=period)
    return page(title, body, language_tag)


def report_body(
    table: dict[str, Any],
    force_area: str,
    *,
    gettext: Gettext = english,
    period: str = "",
) -> str:
    """The report without its page: for the console, inside its own page."""
    _ = gettext
    k = table["suppressed_below"]
    period_line = f"<p>{escape(period)}</p>" if period else ""
    return (
        period_line
        + _glance(table, force_area, k, _)
        + _trends(table, force_area, k, _)
        + _per_year(table, force_area, k, _)
        + _from_police_and_alerts(table, force_area, k, _)
        + _members(table, force_area, k, _)
        + member_survey(table.get("survey"), _)
        + method(k, _)
    )


def render_overview(
    table: dict[str, Any], *, gettext: Gettext = english, language_tag: str = "en"
) -> str:
    """Every area's figures on one page (``uglymugs stats --html``)."""
    return page(gettext(N_("Ugly Mugs figures")), overview_body(table, gettext), language_tag)


def overview_body(table: dict[str, Any], gettext: Gettext = english) -> str:
    """Every area's charts and rows, then the national figures beside the incidents,
    then the members and the note on method (the console's page for all areas)."""
    k = table["suppressed_below"]
    return figures_body(table, gettext, extra=_from_police_and_alerts(table, None, k, gettext))


def period_text(date_from: date | None, date_to: date | None, gettext: Gettext = english) -> str:
    """Which dates the report covers, as its reader should see them."""
    _ = gettext
    if date_from and date_to:
        return _("Incidents from {start} to {end}.").format(
            start=date_from.isoformat(), end=date_to.isoformat()
        )
    if date_from:
        return _("Incidents from {start}.").format(start=date_from.isoformat())
    if date_to:
        return _("Incidents up to {end}.").format(end=date_to.isoformat())
    return _("Every incident, whatever its date.")


def _area_row(rows: Sequence[Row], force_area: str) -> Row | None:
    return next((row for row in rows if row["force_area"] == force_area), None)


def _empty_incidents() -> Row:
    return {
        "reports": 0,
        "by_category": dict.fromkeys(SHOWN_CATEGORIES, 0),
        **dict.fromkeys(MEASURES, 0),
    }


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    heads = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{heads}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _glance(table: dict[str, Any], force_area: str, k: int, _: Gettext) -> str:
    """The area's figures over the whole period beside the national ones."""
    area = _area_row(table["by_area"], force_area) or _empty_incidents()
    national = table["totals"]
    lines = [[_("Incidents"), shown(area["reports"], k, _), shown(national["reports"], k, _)]]
    for category in SHOWN_CATEGORIES:
        label = _("Involving: {category}").format(category=_(option_label("categories", category)))
        lines.append(
            [
                label,
                share(area["by_category"][category], area["reports"], k, _),
                share(national["by_category"][category], national["reports"], k, _),
            ]
        )
    for measure in MEASURES:
        lines.append(
            [
                _(MEASURE_LABELS[measure]),
                share(area[measure], area["reports"], k, _),
                share(national[measure], national["reports"], k, _),
            ]
        )
    for part, labels in (("police_requests", POLICE_LABELS), ("alerts", ALERT_LABELS)):
        side = table.get(part)
        if not side:
            continue
        mine = _area_row(side["by_area"], force_area) or dict.fromkeys(labels, 0)
        lines += [
            [_(label), shown(mine[key], k, _), shown(side["totals"][key], k, _)]
            for key, label in labels.items()
        ]
    head = [_("Figure"), area_name(force_area, _), _("All areas")]
    return heading(_("At a glance")) + _table(
        _("The whole period, in the area and nationally"), head, lines
    )


def _trends(table: dict[str, Any], force_area: str, k: int, _: Gettext) -> str:
    """The area's years and the nation's, each as a chart with its table."""
    area_rows = [row for row in table["incidents"] if row["force_area"] == force_area]
    national = [{"force_area": NATIONAL, **row} for row in table["by_year"]]
    figures = [area_figure(force_area, area_rows, k, _) if area_rows else ""]
    figures.append(area_figure(NATIONAL, national, k, _) if national else "")
    return (
        '<section class="trends">'
        + heading(_("Trends over the years"))
        + ("".join(figures) or "<p>" + escape(_("No incidents in this period.")) + "</p>")
        + "</section>"
    )


def _per_year(table: dict[str, Any], force_area: str, k: int, _: Gettext) -> str:
    """Each year's shares of police told and of each consent, in the area and nationally."""
    head = [_("Year"), _("Incidents"), *(_(MEASURE_LABELS[m]) for m in MEASURES)]
    parts = []
    for name, rows in (
        (
            area_name(force_area, _),
            [r for r in table["incidents"] if r["force_area"] == force_area],
        ),
        (_("All areas"), table["by_year"]),
    ):
        lines = [
            [year_label(row["year"], _), shown(row["reports"], k, _)]
            + [share(row[m], row["reports"], k, _) for m in MEASURES]
            for row in rows
        ]
        if lines:
            caption = _("{area}: speaking to police and consents, per year").format(area=name)
            parts.append(_table(caption, head, lines))
    if not parts:
        return ""
    return heading(_("Police and consent, per year")) + "".join(parts)


def _from_police_and_alerts(
    table: dict[str, Any], force_area: str | None, k: int, _: Gettext
) -> str:
    """Requests from police, alerts and the members they reached, one line per figure
    (in the area, then nationally) and one column per year."""
    years = _years(table)
    if not years:
        return ""
    lines = []
    for part, key, label in SIDE_FIGURES:
        side = table.get(part, {})
        places: list[tuple[str | None, list[Row]]] = []
        if force_area:
            places.append((force_area, side.get("rows", [])))
        places.append((None, side.get("by_year", [])))
        for area, rows in places:
            name = area_name(area, _) if area else _("All areas")
            line = [_("{figure}: {area}").format(figure=_(label), area=name)]
            for year in years:
                row = next(
                    (r for r in rows if r["year"] == year and r.get("force_area", area) == area),
                    None,
                )
                line.append(shown(row[key] if row else 0, k, _))
            lines.append(line)
    head = [_("Figure"), *(year_label(year, _) for year in years)]
    caption = _("Requests from police, alerts and their reach, per year")
    return heading(_("From police, and alerts")) + _table(caption, head, lines)


def _years(table: dict[str, Any]) -> list[int | None]:
    found = {
        row["year"]
        for part in ("police_requests", "alerts", "notify_reach")
        for row in table.get(part, {}).get("by_year", [])
    }
    return sorted(found, key=lambda year: (year is None, year or 0))


def _members(table: dict[str, Any], force_area: str, k: int, _: Gettext) -> str:
    """Members signed up by type: those who work in the area, and all of them."""
    if "members" not in table:
        return ""
    mine = _area_row(table["members"], force_area) or dict.fromkeys(MEMBER_LABELS, 0)
    lines = [
        [_(label), shown(mine[kind], k, _), shown(table["member_totals"][kind], k, _)]
        for kind, label in MEMBER_LABELS.items()
    ]
    head = [_("Members by type"), area_name(force_area, _), _("All areas")]
    caption = _("Approved members now, by the areas they said they work in")
    return heading(_("Members")) + _table(caption, head, lines)


def member_survey(survey: dict[str, Any] | None, gettext: Gettext = english) -> str:
    """The "Member survey" section: the latest round with results, each question's
    answers as shares with their confidence interval, or "hidden" where the survey's
    figures hid a count; empty when no round has enough answers (or no survey)."""
    _ = gettext
    rounds = [r for r in (survey or {}).get("rounds", []) if r.get("questions")]
    if not rounds:
        return ""
    latest = rounds[-1]
    lines = [
        [_(question), _answers_line(latest["questions"][key], _)]
        for key, question in SURVEY_QUESTIONS
        if key in latest["questions"]
    ]
    caption = _("Survey round {round}").format(round=latest["round"])
    return (
        '<section class="member-survey">'
        + heading(_("Member survey"))
        + _table(caption, [_("Question"), _("Answers")], lines)
        + "</section>"
    )


# The survey's questions and answers, worded as the member area asks them.
SURVEY_QUESTIONS = (
    ("alert_helped", N_("Has an alert from the scheme helped you avoid someone?")),
    ("feel_safer", N_("Do you feel safer because of the scheme?")),
)
SURVEY_ANSWERS = (
    ("yes", N_("Yes")),
    ("no", N_("No")),
    ("prefer_not_to_say", N_("Prefer not to say")),
)


def _answers_line(question: dict[str, Any], gettext: Gettext) -> str:
    """ "Yes: 96% (91–98%); No: …; 120 answers": each answer's share and interval."""
    _ = gettext
    parts = []
    for key, label in SURVEY_ANSWERS:
        choice = question["choices"].get(key) or {}
        if choice.get("percent") is None:
            parts.append(f"{_(label)}: {_('hidden')}")
        else:
            low, high = choice["ci95"]
            parts.append(f"{_(label)}: {choice['percent']:g}% ({low:g}–{high:g}%)")
    answers = _("{n} answers; 95% confidence intervals in brackets").format(n=question["answers"])
    return "; ".join(parts) + f". {answers}"
