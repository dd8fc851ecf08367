"""The funders' trends as charts: inline SVG drawn here, from the suppressed table only.

A funder reads "incidents in Cleveland per year, and how many involved violence,
sexual assault or rape" faster from bars than from a table, so each force area in the
table gets one grouped bar chart over its years. The charts are built on the server
as plain SVG inside the page: no script, no font or image from anywhere, the same in
a browser, a mailed HTML file and the PDF.

Nothing is drawn that the table does not show. The charts read only the table that
:func:`~uglymugs.reports.figures.figures` already suppressed: a hidden count (None)
gets no bar, only a "*" mark at the baseline, and the scale comes from the shown
counts, so no bar's height, no label and no axis can give a hidden count away. Every
chart is an ``img`` with a title and a description for screen readers, followed by
a table of the same figures (the accessible alternative). Every word on a chart is a
gettext message, drawn in the language asked for (``gettext``; English by default).

>>> svg = area_chart("cleveland", [], 5)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from uglymugs.i18n import N_
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES
from uglymugs.reports.form import option_label

Gettext = Callable[[str], str]
HIDDEN_MARK = "*"  # a hidden count's place on a chart: no bar, this mark
NATIONAL = "all"  # the pseudo-area of the national rows (``by_year``)

# What each chart shows per year: the incidents, and three of their categories.
SERIES = ("reports", "violence", "sexual_assault", "rape")
COLOURS = ("#1f4e79", "#b03a2e", "#7d5a00", "#5b2c6f")  # 7:1 or more on white
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 44, 40


def english(message: str) -> str:
    return message


def series_label(name: str, gettext: Gettext = english) -> str:
    return (
        gettext(N_("Incidents")) if name == "reports" else gettext(option_label("categories", name))
    )


def value_of(row: dict[str, Any], name: str) -> int | None:
    return row["reports"] if name == "reports" else row["by_category"][name]


def year_label(year: int | None, gettext: Gettext = english) -> str:
    return gettext(N_("No date")) if year is None else str(year)


def shown(value: int | None, k: int, gettext: Gettext = english) -> str:
    """A count as printed; a hidden one says only that it is hidden, never "fewer
    than K": a count hidden so that a total gives nothing away may be K or more."""
    return gettext(N_("hidden")) if value is None else str(value)


def area_rows(table: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The table's incident rows by force area, in the table's order."""
    areas: dict[str, list[dict[str, Any]]] = {}
    for row in table["incidents"]:
        areas.setdefault(row["force_area"], []).append(row)
    return areas


def charts_html(table: dict[str, Any], gettext: Gettext = english) -> str:
    """A figure (chart and its table) for each force area in ``table``; empty without rows."""
    k = table["suppressed_below"]
    figures = [area_figure(area, rows, k, gettext) for area, rows in area_rows(table).items()]
    if not figures:
        return ""
    heading = escape(gettext(N_("Trends over the years")))
    return f'<section class="trends"><h2>{heading}</h2>' + "".join(figures) + "</section>"


def area_name(area: str, gettext: Gettext = english) -> str:
    if area == "unknown":
        return gettext(N_("Unknown area"))
    if area == NATIONAL:
        return gettext(N_("All areas"))
    return gettext(FORCE_AREA_NAMES.get(area, area))


def area_figure(
    area: str, rows: Sequence[dict[str, Any]], k: int, gettext: Gettext = english
) -> str:
    """One area's chart, its caption and the same figures as a table."""
    _ = gettext
    name = area_name(area, gettext)
    head = "".join(f'<th scope="col">{escape(series_label(s, _))}</th>' for s in SERIES)
    body = "".join(
        f'<tr><th scope="row">{escape(year_label(row["year"], _))}</th>'
        + "".join(f"<td>{escape(shown(value_of(row, s), k, _))}</td>" for s in SERIES)
        + "</tr>"
        for row in rows
    )
    caption = _(
        "{area}: incidents per year, and those involving violence, sexual assault or rape. "
        "Hidden counts are not drawn (marked *)."
    ).format(area=name)
    table_caption = _("{area}: the figures of the chart").format(area=name)
    year = escape(_("Year"))
    return (
        f'<figure class="chart">{area_chart(area, rows, k, gettext)}'
        f"<figcaption>{escape(caption)}</figcaption>"
        f'<table class="chart-table"><caption>{escape(table_caption)}</caption>'
        f'<thead><tr><th scope="col">{year}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
        "</figure>"
    )


def area_chart(
    area: str, rows: Sequence[dict[str, Any]], k: int, gettext: Gettext = english
) -> str:
    """The grouped bar chart of one area's years as an SVG element."""
    _ = gettext
    title, desc = f"chart-{area}-title", f"chart-{area}-desc"  # area ids are slugs
    values = [v for row in rows for s in SERIES if (v := value_of(row, s)) is not None]
    top = max(values, default=0) or k  # from shown counts only
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(rows), 1)
    bar_w = min(24.0, group_w * 0.8 / len(SERIES))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{title} {desc}" '
        'font-family="sans-serif" font-size="11">',
        f'<title id="{title}">'
        + escape(_("{area}: incidents per year").format(area=area_name(area, _)))
        + "</title>",
        f'<desc id="{desc}">'
        + escape(
            _(
                "Bar chart of incidents, violence, sexual assault and rape per year. Hidden "
                "counts have no bar. The table after the chart gives the same figures."
            )
        )
        + "</desc>",
        _legend(gettext),
        _axis(top, plot_h),
    ]
    for index, row in enumerate(rows):
        x0 = LEFT + index * group_w + (group_w - bar_w * len(SERIES)) / 2
        for position, name in enumerate(SERIES):
            x = x0 + position * bar_w
            parts.append(_bar(x, bar_w, value_of(row, name), top, plot_h, k, position))
        label_x = LEFT + index * group_w + group_w / 2
        parts.append(
            f'<text x="{label_x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{escape(year_label(row['year'], _))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar(x: float, width: float, value: int | None, top: int, plot_h: int, k: int, i: int) -> str:
    base = TOP + plot_h
    middle = x + width / 2
    if value is None:  # hidden: no bar, a mark that says so
        return (
            f'<text x="{middle:.1f}" y="{base - 3}" text-anchor="middle" font-size="9" '
            f'fill="{COLOURS[i]}">{HIDDEN_MARK}</text>'
        )
    height = plot_h * value / top
    return (
        f'<rect x="{x:.1f}" y="{base - height:.1f}" width="{width - 2:.1f}" '
        f'height="{height:.1f}" fill="{COLOURS[i]}"><title>{value}</title></rect>'
        f'<text x="{middle:.1f}" y="{base - height - 3:.1f}" text-anchor="middle" '
        f'font-size="9">{value}</text>'
    )


def _axis(top: int, plot_h: int) -> str:
    base = TOP + plot_h
    return (
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#333"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#333"/>'
        f'<text x="{LEFT - 6}" y="{base + 4}" text-anchor="end">0</text>'
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>'
    )


def _legend(gettext: Gettext) -> str:
    items = []
    x = LEFT
    for colour, name in zip(COLOURS, SERIES, strict=True):
        text = series_label(name, gettext)
        items.append(
            f'<rect x="{x}" y="10" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="20">{escape(text)}</text>'
        )
        # CJK characters are about twice as wide as Latin ones at the same size
        x += 24 + sum(13 if ord(char) > 0x2E80 else 7 for char in text)
    return "".join(items)
