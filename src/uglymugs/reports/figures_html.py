"""The funders' figures as one self-contained HTML page: tables and a note on method.

Nothing on the page loads from elsewhere (no scripts, fonts or images from another
origin), so it can be opened on a staff machine offline or mailed to a funder.
Suppressed counts (None) print as "fewer than K" and shares are worked out only from
counts that are both shown, so the page gives away nothing the table does not. Above
the tables, each force area's years as a chart (:mod:`uglymugs.reports.figures_charts`),
drawn from the same suppressed table.
"""

from __future__ import annotations

from html import escape
from typing import Any

from uglymugs.reports.figures import MEASURES
from uglymugs.reports.figures_charts import charts_html
from uglymugs.reports.form import option_label

MEASURE_LABELS = {
    "police_told": "Police told",
    "consent_alert": "Agreed to an alert",
    "consent_scas": "Agreed to anonymous sharing (SCAS)",
    "consent_police_help": "Asked for help to report to police",
}
SHOWN_CATEGORIES = ("violence", "sexual_assault", "rape")
STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #999;padding:.3em .6em;text-align:right}"
    "td:first-child,th{text-align:left}figure{margin:1.5em 0;break-inside:avoid}"
    "svg{max-width:100%;height:auto}@page{size:A4 landscape;margin:1.5cm}"
)


def render_html(table: dict[str, Any], force_area: str | None = None) -> str:
    """The whole page for ``table`` (from :func:`~uglymugs.reports.figures.figures`)."""
    title = f"Ugly Mugs figures{' for ' + force_area if force_area else ''}"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"{figures_body(table)}</body></html>\n"
    )


def figures_body(table: dict[str, Any]) -> str:
    """The page's content without its head: charts, tables and the note on method (the
    staff console shows it inside its own page)."""
    k = table["suppressed_below"]
    rows = [
        *table["incidents"],
        {"force_area": "All areas", "year": "All years", **table["totals"]},
    ]
    head = ["Force area", "Year", "Incidents"]
    head += [f"{option_label('categories', c)} (share)" for c in SHOWN_CATEGORIES]
    head += [f"{MEASURE_LABELS[m]} (share)" for m in MEASURES]
    body = "".join(_row(row, k) for row in rows)
    return (
        f"{charts_html(table)}"
        '<h2>Incidents</h2><table class="figures">'
        f"<thead><tr>{''.join(f'<th>{escape(h)}</th>' for h in head)}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
        f"{_members(table, k)}"
        f"{_method(k)}"
    )


def _members(table: dict[str, Any], k: int) -> str:
    """Members by area and type, when the table has them."""
    if "members" not in table:
        return ""
    kinds = ("individual", "project", "site")
    rows = [*table["members"], {"force_area": "All members", **table["member_totals"]}]
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(c)}</td>"
            for c in [row["force_area"]] + [_count(row[t], k) for t in kinds]
        )
        + "</tr>"
        for row in rows
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("Area they work in", "Individuals", "Projects", "Sites")
    )
    return f"<h2>Members</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _row(row: dict[str, Any], k: int) -> str:
    year = "No date" if row["year"] is None else row["year"]
    cells = [str(row["force_area"]), str(year), _count(row["reports"], k)]
    cells += [_share(row["by_category"][c], row["reports"], k) for c in SHOWN_CATEGORIES]
    cells += [_share(row[m], row["reports"], k) for m in MEASURES]
    return "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>"


def _count(value: int | None, k: int) -> str:
    return f"fewer than {k}" if value is None else str(value)


def _share(value: int | None, incidents: int | None, k: int) -> str:
    if value is None or not incidents:
        return _count(value, k)
    return f"{value} ({round(100 * value / incidents)}%)"


def _method(k: int) -> str:
    categories = ", ".join(option_label("categories", c) for c in SHOWN_CATEGORIES)
    return (
        "<h2>Method</h2><p>Counts are of incidents: a report and its follow-ups count once. "
        "An incident is counted under the police force area the person chose (or, if they "
        "did not, the one their town suggests), otherwise under &ldquo;unknown&rdquo;, and "
        "under the year of the incident date. An incident counts once in each category it "
        f"has ({escape(categories)} are shown). To protect the people counted, any count from "
        f"1 to {k - 1} is shown as &ldquo;fewer than {k}&rdquo;; so are further counts "
        "wherever a total, or the incidents without something, would let a reader work "
        "out a hidden count. Totals are exact and add up to the number of incidents.</p>"
    )
