"""The funders' figures as a PDF, made locally with WeasyPrint from the same HTML page.

Funders file PDFs; the PDF is the HTML report (:mod:`uglymugs.reports.figures_html`,
charts included) laid out for A4, so it holds exactly what the page holds: the
suppressed counts and nothing else. WeasyPrint runs offline here: its URL fetcher
refuses every address, so making the PDF can never send a request anywhere. It needs
the pango library (Debian: ``libpango-1.0-0`` and ``libpangoft2-1.0-0``; ``make
setup`` installs them).

>>> pdf = render_pdf(render_html(table))  # doctest: +SKIP
>>> pdf[:5]  # doctest: +SKIP
b'%PDF-'
"""

from __future__ import annotations

import logging
from typing import Any

# WeasyPrint logs each refused address as a warning; the page is ours and needs none.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class FiguresPdfError(Exception):
    """The PDF cannot be made here (WeasyPrint or the pango library is missing)."""


def offline_fetcher() -> Any:
    """WeasyPrint's URL fetcher allowing no protocol at all: nothing outside the page
    is ever loaded (not http, not a file)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=frozenset())


def render_pdf(html: str) -> bytes:
    """The PDF of ``html`` (a complete page); the same bytes for the same page."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: pango not installed
        raise FiguresPdfError(
            f"cannot make a PDF here ({error}): install the staff extra and pango "
            "(make setup), or use --html"
        ) from None
    document = weasyprint.HTML(string=html, url_fetcher=offline_fetcher())
    return document.write_pdf() or b""  # with no target it returns the bytes
