"""The member area on a low-end phone: 1,000, 10,000 and 25,000 alerts in Chromium.

The site is built with throwaway keys and served as static files with the security
headers (as the browser tests do); the member API is played by Playwright routes (the
browser tests' ``FakeMemberApi``) and answers a bundle of generated alerts, built and
signed as ``uglymugs publish`` builds and signs them. Chromium's CPU is slowed 4× over
CDP (``Emulation.setCPUThrottlingRate``), like a cheap phone.

Measured from the page's own marks (``uglymugs:alerts-verified`` and
``uglymugs:alerts-shown`` in member-area.mjs) and the bundle request's resource timing:

- the peer, same run: download, parse and verify the bundle (request start → verified);
- first alerts visible after verification (verified → shown);
- whole time to a usable list (request start → shown), and its ratio to the peer;
- a filter change (region) and a search, each until the next frame is drawn;
- the longest main-thread task from the bundle request to the list shown (a long task
  is a frozen page: taps and scrolling wait for it), from the page's own
  ``PerformanceObserver`` of ``longtask`` entries.

Each size is measured with the bundle verified in a Web Worker (the member area's
way) and again with workers removed (``delete window.Worker``: the page verifies on
its own thread, the fallback), so the worker's effect is a ratio in the same run.
CDP's CPU throttling slows the page's thread; whether it slows a dedicated worker as
much depends on the Chromium version, so the worker's peer time is a lower bound.

Goals (issue 17), at 10,000 alerts: first alerts within 300 ms of verification, a filter
change within 200 ms, a usable list within 2× the peer.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.table import Table

from benchmarks.publish import as_records, realistic_records
from tests.browser.static_server import NO_WORKERS, serve_static
from tests.browser.test_member_pages import FakeMemberApi, bundle_answer
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.alerts.bundles import build_bundles
from uglymugs.alerts.signing import sign_detached
from uglymugs.crypto.keys import unlock_bundle_key

SIZES = (1_000, 10_000, 25_000)
RUNS = 3
CPU_SLOWDOWN = 4
CHROMIUM = "/usr/bin/chromium"
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

# Every long task of the page, from its first script on (benchmarks/report_seal.py too).
LONG_TASKS = """window.longTasks = [];
new PerformanceObserver((list) => window.longTasks.push(...list.getEntries()))
  .observe({type: "longtask", buffered: true});"""
_TIMINGS = """() => {
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  const bundle = performance.getEntriesByType("resource")
    .find((entry) => entry.name.includes("/api/alerts/bundle"));
  const requested = bundle.startTime;
  const shown = mark("uglymugs:alerts-shown");
  const during = window.longTasks.filter(
    (task) => task.startTime + task.duration > requested && task.startTime < shown);
  return {requested, verified: mark("uglymugs:alerts-verified"), shown,
          longest: Math.max(0, ...during.map((task) => task.duration)),
          verifiedIn: document.getElementById("members-app").dataset.verifiedIn};
}"""
_FILTER = """async ([id, value, type]) => {
  const field = document.getElementById(id);
  const start = performance.now();
  field.value = value;
  field.dispatchEvent(new Event(type, {bubbles: true}));
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  return performance.now() - start;
}"""


def signed_answer(site, count: int) -> dict:
    records = as_records(realistic_records(count))
    data = build_bundles(records, sequence=1, generated_at=NOW, today=TODAY)["alerts-all.json"]
    key = unlock_bundle_key(site.settings.keys_dir, PASSPHRASE)
    return bundle_answer(data, sign_detached(data, key, site.keys.bundle_key_id))


MODES = ("worker", "page")


def one_run(browser, url: str, answer: dict, mode: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(LONG_TASKS)
    if mode == "page":
        page.add_init_script(NO_WORKERS)
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    FakeMemberApi(page, bundle=answer)
    page.goto(url + "/members/")
    page.locator("#alert-list article").first.wait_for(timeout=300_000)
    timings = page.evaluate(_TIMINGS)
    region = page.evaluate(_FILTER, ["filter-region", "kent", "change"])
    search = page.evaluate(_FILTER, ["filter-search", "stocky", "input"])
    context.close()
    if timings["verifiedIn"] != mode:
        raise SystemExit(f"verified in {timings['verifiedIn']!r}, not {mode!r}")
    return {
        "longest": timings["longest"],
        "peer": timings["verified"] - timings["requested"],
        "first": timings["shown"] - timings["verified"],
        "usable": timings["shown"] - timings["requested"],
        "region": region,
        "search": search,
    }


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def main(sizes: tuple[int, ...] = SIZES) -> None:
    console = Console(width=140)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        with console.status("building the site…"):
            site = build_test_site(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        with serve_static(site.output) as url:
            for count in sizes:
                answer = signed_answer(site, count)
                for mode in MODES:
                    with console.status(f"{count:,} alerts, verified in the {mode}…"):
                        runs = [one_run(browser, url, answer, mode) for _ in range(RUNS)]
                    rows.append((count, mode, medians(runs)))
        browser.close()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    title = f"Member area, CPU slowed {CPU_SLOWDOWN}× (median of {RUNS}; load average {load})"
    table = Table(title=title)
    columns = ("alerts", "verified in", "download+parse+verify (peer)")
    columns += ("first alerts after verify", "usable list", "× peer", "region filter", "search")
    columns += ("longest main-thread task",)
    for column in columns:
        table.add_column(column)
    for count, mode, m in rows:
        table.add_row(
            f"{count:,}",
            mode,
            f"{m['peer']:,.0f} ms",
            f"{m['first']:,.0f} ms",
            f"{m['usable']:,.0f} ms",
            f"{m['usable'] / m['peer']:.2f}×",
            f"{m['region']:,.0f} ms",
            f"{m['search']:,.0f} ms",
            f"{m['longest']:,.0f} ms",
        )
    console.print(table)


if __name__ == "__main__":
    # ``python -m benchmarks.member_area 25000``: only those sizes.
    main(tuple(int(size) for size in sys.argv[1:]) or SIZES)
