"""The funders' figures as one self-contained HTML page: tables and a note on method.

Nothing on the page loads from elsewhere (no scripts, fonts or images from another
origin), so it can be opened on a staff machine offline or mailed to a funder.
Suppressed counts (None) print as "hidden" and shares are worked out only from
counts that are both shown, so the page gives away nothing the table does not. Above
the tables, each force area's years as a chart (:mod:`uglymugs.reports.figures_charts`),
drawn from the same suppressed table. Every word is a gettext message: the page is
written in the language of the ``gettext`` given (English by default).
"""

from __future__ import annotations

from html import escape
from typing import Any

from uglymugs.i18n import N_
from uglymugs.reports.figures import MEASURES
from uglymugs.reports.figures_charts import (
    Gettext,
    area_name,
    charts_html,
    english,
    shown,
    year_label,
)
from uglymugs.reports.form import option_label

MEASURE_LABELS = {
    "police_told": N_("Police told"),
    "consent_alert": N_("Agreed to an alert"),
    "consent_scas": N_("Agreed to anonymous sharing (SCAS)"),
    "consent_police_help": N_("Asked for help to report to police"),
}
MEMBER_LABELS = {
    "individual": N_("Individuals"),
    "project": N_("Projects"),
    "site": N_("Sites"),
}
SHOWN_CATEGORIES = ("violence", "sexual_assault", "rape")
STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #999;padding:.3em .6em;text-align:right}"
    "td:first-child,th{text-align:left}figure{margin:1.5em 0;break-inside:avoid}"
    "svg{max-width:100%;height:auto}@page{size:A4 landscape;margin:1.5cm}"
)


def page(title: str, body: str, language_tag: str = "en") -> str:
    """A complete page around ``body``, styled for screen and A4."""
    return (
        f'<!doctype html>\n<html lang="{escape(language_tag)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"{body}</body></html>\n"
    )


def render_html(
    table: dict[str, Any],
    force_area: str | None = None,
    gettext: Gettext = english,
    language_tag: str = "en",
) -> str:
    """The whole page for ``table`` (from :func:`~uglymugs.reports.figures.figures`)."""
    _ = gettext
    if force_area:
        title = _("Ugly Mugs figures for {area}").format(area=area_name(force_area, _))
    else:
        title = _("Ugly Mugs figures")
    return page(title, figures_body(table, gettext), language_tag)


def figures_body(table: dict[str, Any], gettext: Gettext = english, extra: str = "") -> str:
    """The page's content without its head: charts, tables and the note on method (the
    staff console shows it inside its own page); ``extra`` goes before the members."""
    _ = gettext
    k = table["suppressed_below"]
    rows = [*table["incidents"], {"force_area": None, "year": None, **table["totals"]}]
    head = [_("Force area"), _("Year"), _("Incidents")]
    head += [
        _("{label} (share)").format(label=_(option_label("categories", c)))
        for c in SHOWN_CATEGORIES
    ]
    head += [_("{label} (share)").format(label=_(MEASURE_LABELS[m])) for m in MEASURES]
    body = "".join(_row(row, k, gettext) for row in rows)
    return (
        f"{charts_html(table, gettext)}" + heading(_("Incidents")) + '<table class="figures">'
        f"<thead><tr>{''.join(f'<th>{escape(h)}</th>' for h in head)}</tr></thead>"
        f"<tbody>{body}</tbody></table>{extra}"
        f"{_members(table, k, gettext)}"
        f"{method(k, gettext)}"
    )


def _members(table: dict[str, Any], k: int, gettext: Gettext) -> str:
    """Members by area and type, when the table has them."""
    _ = gettext
    if "members" not in table:
        return ""
    rows = [*table["members"], {"force_area": None, **table["member_totals"]}]
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(c)}</td>"
            for c in [
                _("All members")
                if row["force_area"] is None
                else area_name(row["force_area"], gettext)
            ]
            + [shown(row[t], k, gettext) for t in MEMBER_LABELS]
        )
        + "</tr>"
        for row in rows
    )
    labels = [_("Area they work in"), *(_(label) for label in MEMBER_LABELS.values())]
    head = "".join(f"<th>{escape(h)}</th>" for h in labels)
    return (
        heading(_("Members"))
        + f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _row(row: dict[str, Any], k: int, gettext: Gettext) -> str:
    _ = gettext
    if row["force_area"] is None:
        cells = [_("All areas"), _("All years")]
    else:
        cells = [area_name(row["force_area"], _), year_label(row["year"], _)]
    cells.append(shown(row["reports"], k, _))
    cells += [share(row["by_category"][c], row["reports"], k, _) for c in SHOWN_CATEGORIES]
    cells += [share(row[m], row["reports"], k, _) for m in MEASURES]
    return "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>"


def share(value: int | None, incidents: int | None, k: int, gettext: Gettext = english) -> str:
    """``value`` and its share of ``incidents``; the share only when both are shown,
    so no percentage is ever worked out from a hidden count."""
    if value is None or not incidents:
        return shown(value, k, gettext)
    return gettext(N_("{count} ({percent}%)")).format(
        count=value, percent=round(100 * value / incidents)
    )


def method(k: int, gettext: Gettext = english) -> str:
    """The note on method; it names no number below K, so the page never prints one."""
    _ = gettext
    categories = ", ".join(_(option_label("categories", c)) for c in SHOWN_CATEGORIES)
    text = _(
        "Counts are of incidents: a report and its follow-ups count once. An incident is "
        "counted under the police force area the person chose (or, if they did not, the "
        "one their town suggests), otherwise under “unknown”, and under the year of the "
        "incident date. An incident counts once in each category it has ({categories} are "
        "shown). To protect the people counted, any count above zero and below {k} is "
        "hidden; so are further counts wherever a total (national, for a year or for an "
        "area), or the incidents without something, would let a reader work out a hidden "
        "count, so a hidden count may be of any size. No share is given of a hidden "
        "count, and no chart draws one (marked *). Totals "
        "are exact and add up to the number of incidents. Information and requests for "
        "help from police are counted apart, by the date they were received; alerts by "
        "the date they were issued, under their region; members reached by the date each "
        "message was sent, each member once per area and year."
    ).format(categories=categories, k=k)
    return heading(_("Method")) + f"<p>{escape(text)}</p>"


def heading(text: str) -> str:
    """A section heading. (Messages are never inside f-strings: Babel cannot see them.)"""
    return f"<h2>{escape(text)}</h2>"
