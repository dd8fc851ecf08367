"""Size budgets, checked by every build: what opening a page costs on a poor connection.

Every page's HTML, stylesheets and scripts (with what the scripts import, and the
service worker it registers), gzip-compressed, must stay under :data:`BUDGET_BYTES`
(the member area, an app, :data:`MEMBER_AREA_EXTRA_BYTES` more) before libsodium;
libsodium is counted on its own, and only pages whose Content-Security-Policy allows
WebAssembly (the pages that seal or verify something,
:data:`uglymugs.web.security_headers.WASM_PATH_PATTERNS`) may load it at all.

>>> weights = page_weights(Path(".uglymugs/site"))  # doctest: +SKIP
>>> check_budgets(weights)  # raises BudgetError  # doctest: +SKIP
>>> print(size_report(weights))  # doctest: +SKIP
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from uglymugs.web.security_headers import headers_for_path
from uglymugs.website.page_assets import page_assets, url_path

BUDGET_BYTES = 32_000
# The member area is an app, not a page: logging in, the alert list with its filters,
# selection, copy and Word, preferences, the mobile confirmation. It may weigh this much
# more than a page (its alerts are in the bundle, counted apart like libsodium).
MEMBER_AREA_EXTRA_BYTES = 10_000
SODIUM = "/theme/js/dist/sodium.js"
# Loaded by every page besides what its tags name: app.js registers the service worker.
ALSO_LOADED = ("/sw.js",)
GZIP_LEVEL = 6  # what web servers and CDNs commonly use; level 9 saves about 1%


class BudgetError(Exception):
    """A page is over its size budget, or loads libsodium where it cannot need it."""


@dataclass(frozen=True)
class PageWeight:
    """What one page costs, in gzip bytes."""

    page: str  # the URL it is served at
    html: int
    css: int
    js: int  # without libsodium
    libsodium: int  # 0 for a page that does not load it

    @property
    def total(self) -> int:
        """What the budget limits: everything but libsodium."""
        return self.html + self.css + self.js


def page_weights(output_dir: Path) -> list[PageWeight]:
    """The weight of every HTML page in a built site."""
    sizes: dict[str, int] = {}

    def size(url: str) -> int:
        if url not in sizes:
            data = url_path(output_dir, url).read_bytes()
            sizes[url] = len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
        return sizes[url]

    extra = [url for url in ALSO_LOADED if url_path(output_dir, url).is_file()]
    weights = []
    for html in sorted(output_dir.rglob("*.html")):
        assets = page_assets(output_dir, html)
        scripts = [*assets.scripts, *extra]
        weights.append(
            PageWeight(
                page=assets.page,
                html=size(assets.page),
                css=sum(size(url) for url in assets.stylesheets),
                js=sum(size(url) for url in scripts if url != SODIUM),
                libsodium=size(SODIUM) if SODIUM in scripts else 0,
            )
        )
    return weights


def budget_for(page: str, budget: int = BUDGET_BYTES) -> int:
    """The budget of ``page``: ``budget``, more for the member area in every language.

    >>> budget_for("/pl/members/"), budget_for("/pl/report/")
    (42000, 32000)
    """
    return budget + MEMBER_AREA_EXTRA_BYTES if page.endswith("/members/") else budget


def allows_webassembly(page: str) -> bool:
    """Whether the CSP sent with ``page`` lets it run libsodium at all."""
    return "'wasm-unsafe-eval'" in headers_for_path(page)["Content-Security-Policy"]


def check_budgets(
    weights: Iterable[PageWeight],
    budget: int = BUDGET_BYTES,
    may_load_libsodium: Callable[[str], bool] = allows_webassembly,
) -> None:
    """Raise :class:`BudgetError` naming every page over ``budget`` (gzip bytes, before
    libsodium) or loading libsodium where ``may_load_libsodium`` says it has no use."""
    problems = []
    for weight in weights:
        allowed = budget_for(weight.page, budget)
        if weight.total > allowed:
            problems.append(
                f"{weight.page} is {weight.total:,} bytes gzip before libsodium,"
                f" over the budget of {allowed:,}"
            )
        if weight.libsodium and not may_load_libsodium(weight.page):
            problems.append(
                f"{weight.page} loads libsodium, but nothing on it may seal or verify"
                " (its CSP allows no WebAssembly: see WASM_PATH_PATTERNS)"
            )
    if problems:
        raise BudgetError("; ".join(problems))


def size_report(weights: Iterable[PageWeight], budget: int = BUDGET_BYTES) -> str:
    """A table of every page's weight against the budget, for the build's output."""
    rows: list[tuple[str, ...]] = [
        ("page", "HTML", "CSS", "JS", "total", "budget", "", "libsodium")
    ]
    for w in weights:
        allowed = budget_for(w.page, budget)
        verdict = "ok" if w.total <= allowed else "OVER"
        sodium = f"{w.libsodium:,}" if w.libsodium else "-"
        numbers = (w.html, w.css, w.js, w.total, allowed)
        rows.append((w.page, *(f"{n:,}" for n in numbers), verdict, sodium))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "Page weights, gzip bytes: HTML + CSS + JS (with the service worker) before"
        " libsodium, against the budget; libsodium apart, only where something is"
        " sealed or verified."
    ]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
