"""The report form on a low-end phone: the main thread from the first touch to sealed.

The report form needs libsodium only to seal. It downloads it (checked against its SRI
hash) after load, and starts it at the first touch of the form: in a Web Worker started
from those checked bytes (report-seal.mjs), or, where workers are unavailable, on the
page's own thread, where compiling its WebAssembly is one long task. This measures the
longest main-thread task (the page's own ``PerformanceObserver`` of ``longtask``
entries; a long task is a frozen page: taps and typing wait for it) from the first
touch of the form until the sealed report has been sent and its number shown, with
Chromium's CPU slowed 4× over CDP like a cheap phone.

The site is built with throwaway keys and served as static files with the security
headers (as the browser tests do); ``POST /api/reports`` is answered by a Playwright
route. Each run is done with workers (the form's way) and again with them removed
(``delete window.Worker``: the fallback), so the worker's effect is a ratio in the
same run; the figures are medians of :data:`RUNS`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.table import Table

from benchmarks.member_area import LONG_TASKS, medians
from tests.browser.static_server import NO_WORKERS, serve_static
from tests.website.conftest import build_test_site

RUNS = 5
CPU_SLOWDOWN = 4
CHROMIUM = "/usr/bin/chromium"
MODES = ("worker", "page")

_SPLIT = """(touched) => {
  const longest = (tasks) => Math.max(0, ...tasks.map((task) => task.duration));
  const after = window.longTasks.filter((task) => task.startTime + task.duration > touched);
  return {loading: longest(window.longTasks.filter((task) => task.startTime < touched)),
          longest: longest(after), count: after.length,
          total: after.reduce((sum, task) => sum + task.duration, 0),
          sealedIn: document.getElementById("report-form").dataset.sealedIn || ""};
}"""


def one_run(browser, url: str, mode: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(LONG_TASKS)
    if mode == "page":
        page.add_init_script(NO_WORKERS)
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.route(
        "**/api/reports",
        lambda route: route.fulfill(
            status=201,
            content_type="application/json",
            body=json.dumps({"report_number": "UM-7K3F-92QH-X4PM"}),
        ),
    )
    page.goto(url + "/report/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached", timeout=120_000)
    touched = page.evaluate("performance.now()")
    page.fill("#what_happened", "He grabbed my bag and ran.")
    page.fill("#town_or_area", "Leeds")
    page.check("#categories-robbery")
    page.check("#consent_alert-yes")
    page.click("#report-submit")
    page.locator("#report-number").wait_for(state="visible", timeout=120_000)
    page.wait_for_timeout(200)  # the last task's entry reaches the observer
    found = page.evaluate(_SPLIT, touched)
    context.close()
    if found["sealedIn"] != mode:
        raise SystemExit(f"sealed in {found['sealedIn']!r}, not {mode!r}")
    return {name: found[name] for name in ("loading", "longest", "count", "total")}


def main() -> None:
    console = Console(width=120)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        with console.status("building the site…"):
            site = build_test_site(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        with serve_static(site.output) as url:
            for mode in MODES:
                with console.status(f"sealing in the {mode}…"):
                    runs = [one_run(browser, url, mode) for _ in range(RUNS)]
                rows.append((mode, medians(runs)))
        browser.close()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    table = Table(
        title=f"/report/, first touch to sealed, CPU slowed {CPU_SLOWDOWN}× "
        f"(median of {RUNS}; load average {load})"
    )
    columns = ("sealed in", "longest task, open to first touch")
    columns += ("longest task, first touch to sealed", "long tasks after the touch", "their total")
    for column in columns:
        table.add_column(column)
    for mode, m in rows:
        table.add_row(
            mode,
            f"{m['loading']:,.0f} ms",
            f"{m['longest']:,.0f} ms",
            f"{m['count']:.0f}",
            f"{m['total']:,.0f} ms",
        )
    console.print(table)


if __name__ == "__main__":
    main()
