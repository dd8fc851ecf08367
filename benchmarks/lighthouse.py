"""Lighthouse (mobile profile) against ``uglymugs dev``: the home, report and member pages.

Lighthouse is an npm dev dependency (``node_modules/.bin/lighthouse``) driving
``/usr/bin/chromium`` (``CHROME_PATH``) with its default mobile emulation: a mid-range
phone, 4× CPU slowdown and a slow 4G network, simulated. The site is built into a
temporary data directory and served by ``uglymugs dev --no-build``, compressed as
CloudFront would. Each page is run :data:`RUNS` times, in turn, and each figure is
the median of its runs; the table's title gives the load average before and after.
The peer is the home page, measured in the same run: the lightest page the site has.
Goals (issue 17): performance ≥ 0.95 and layout shift < 0.05 on the home, report and
member pages in every language, and no console error.

A benchmark, never a test: the scores move with the machine's load.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rich.console import Console
from rich.table import Table

from uglymugs.config import Settings, repository_root
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.languages import LANGUAGES
from uglymugs.website.build import build_site

PAGES = tuple(
    language.path(page) for page in ("/", "/report/", "/members/") for language in LANGUAGES
)
RUNS = 3
ATTEMPTS = 2
CHROMIUM = "/usr/bin/chromium"
PASSPHRASE = "a passphrase for the benchmark"  # noqa: S105 - throwaway keys


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own dev server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"uglymugs dev did not answer at {url}")


def lighthouse(url: str, directory: Path) -> dict:
    """One Lighthouse run (performance and best practices) as its JSON report."""
    return run_lighthouse(url, directory / "report.json", "performance,best-practices")


def run_lighthouse(url: str, out: Path, categories: str) -> dict:
    """One Lighthouse run of ``categories`` (comma-separated) as its JSON report, written
    to ``out``; also for benchmarks/seo.py."""
    command = [
        str(repository_root() / "node_modules" / ".bin" / "lighthouse"),
        url,
        f"--only-categories={categories}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    environ = {**os.environ, "CHROME_PATH": CHROMIUM}
    # Once in a while Chromium fails to start on a loaded machine: one more try.
    for attempt in range(ATTEMPTS):
        done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return json.loads(out.read_text(encoding="utf-8"))
        if attempt == ATTEMPTS - 1:
            raise SystemExit(f"Lighthouse failed on {url}: {done.stderr[-2000:]}")
    raise AssertionError("unreachable")


def figures(report: dict) -> dict[str, float]:
    audits = report["audits"]
    errors = audits.get("errors-in-console", {}).get("details", {}).get("items", [])
    return {
        "performance": report["categories"]["performance"]["score"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "console_errors": len(errors),
    }


def median_figures(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs (not one run's figures: the runs disagree)."""
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main(pages: tuple[str, ...] = PAGES) -> None:
    console = Console(width=140)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        create_keys(data / "keys", PASSPHRASE, kdf=TEST_KDF)
        environ = {
            **os.environ,
            "UGLYMUGS_DATA_DIR": str(data),
            "UGLYMUGS_KEY_PASSPHRASE": PASSPHRASE,
        }
        with console.status("building the site…"):
            build_site(Settings.from_environ(environ))
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uglymugs", "dev", "--no-build", "--port", str(port)],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/")
            load_before = load_average()
            runs: dict[str, list[dict[str, float]]] = {page: [] for page in pages}
            for round_number in range(RUNS):
                for page in pages:
                    with console.status(f"Lighthouse {page} ({round_number + 1}/{RUNS})…"):
                        url = f"http://127.0.0.1:{port}{page}"
                        runs[page].append(figures(lighthouse(url, Path(tmp))))
            results = {page: median_figures(each) for page, each in runs.items()}
        finally:
            server.terminate()
            server.wait(timeout=30)
    peer = results["/"]
    table = Table(
        title=f"Lighthouse, mobile profile, uglymugs dev, median of {RUNS} "
        f"(goal: ≥ 0.95, CLS < 0.05); load average {load_before} before, "
        f"{load_average()} after"
    )
    columns = (
        "page",
        "performance",
        "first paint",
        "× home",
        "LCP",
        "TBT",
        "CLS",
        "bytes",
        "errors",
    )
    for column in columns:
        table.add_column(column)
    for page, each in results.items():
        table.add_row(
            page,
            f"{each['performance']:.2f}",
            f"{each['fcp'] / 1000:.1f} s",
            f"{each['fcp'] / peer['fcp']:.2f}×",
            f"{each['lcp'] / 1000:.1f} s",
            f"{each['tbt']:.0f} ms",
            f"{each['cls']:.3f}",
            f"{each['bytes'] / 1024:,.0f} KB",
            f"{each['console_errors']:.0f}",
        )
    console.print(table)


if __name__ == "__main__":
    # ``python -m benchmarks.lighthouse /report/ /ro/report/``: only those pages, and
    # the home page, the peer.
    main(tuple(dict.fromkeys(("/", *sys.argv[1:]))) if sys.argv[1:] else PAGES)
