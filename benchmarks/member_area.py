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
- a filter change (region) and a search, each until the next frame is drawn.

Goals (issue 17), at 10,000 alerts: first alerts within 300 ms of verification, a filter
change within 200 ms, a usable list within 2× the peer.
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.table import Table

from benchmarks.publish import as_records, realistic_records
from tests.browser.static_server import serve_static
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

_TIMINGS = """() => {
  const mark = (name) => performance.getEntriesByName(name)[0].startTime;
  const bundle = performance.getEntriesByType("resource")
    .find((entry) => entry.name.includes("/api/alerts/bundle"));
  return {requested: bundle.startTime, verified: mark("uglymugs:alerts-verified"),
          shown: mark("uglymugs:alerts-shown")};
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


def one_run(browser, url: str, answer: dict) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    FakeMemberApi(page, bundle=answer)
    page.goto(url + "/members/")
    page.locator("#alert-list article").first.wait_for(timeout=300_000)
    timings = page.evaluate(_TIMINGS)
    region = page.evaluate(_FILTER, ["filter-region", "kent", "change"])
    search = page.evaluate(_FILTER, ["filter-search", "stocky", "input"])
    context.close()
    return {
        "peer": timings["verified"] - timings["requested"],
        "first": timings["shown"] - timings["verified"],
        "usable": timings["shown"] - timings["requested"],
        "region": region,
        "search": search,
    }


def main() -> None:
    console = Console(width=140)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        with console.status("building the site…"):
            site = build_test_site(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        with serve_static(site.output) as url:
            for count in SIZES:
                with console.status(f"{count:,} alerts…"):
                    answer = signed_answer(site, count)
                    runs = [one_run(browser, url, answer) for _ in range(RUNS)]
                median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
                rows.append((count, median))
        browser.close()
    table = Table(title=f"Member area, CPU slowed {CPU_SLOWDOWN}× (median of {RUNS})")
    columns = ("alerts", "download+parse+verify (peer)", "first alerts after verify")
    columns += ("usable list", "× peer", "region filter", "search")
    for column in columns:
        table.add_column(column)
    for count, m in rows:
        table.add_row(
            f"{count:,}",
            f"{m['peer']:,.0f} ms",
            f"{m['first']:,.0f} ms",
            f"{m['usable']:,.0f} ms",
            f"{m['usable'] / m['peer']:.2f}×",
            f"{m['region']:,.0f} ms",
            f"{m['search']:,.0f} ms",
        )
    console.print(table)


if __name__ == "__main__":
    main()
