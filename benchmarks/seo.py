"""Lighthouse's SEO category on the public pages, in every language (issue 18 item 9).

The site is built for the address it is served at (``UGLYMUGS_SITE_URL``, as
``uglymugs dev --port`` does) and served by ``uglymugs dev --no-build``; Lighthouse
(npm, ``/usr/bin/chromium``) scores each public page's SEO: a description, valid
hreflang alternates, indexable, legible, links with text, tap targets. Goal: ≥ 0.95 on
every public page. The member area and the forms are noindex on purpose and so are
not scored. tests/website/test_search.py checks the tags themselves on every build.

A benchmark, never a test: it needs Chromium and takes a minute a page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.lighthouse import PASSPHRASE, _free_port, _wait_for, run_lighthouse
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.website.build import build_site

PAGES = ("/", "/contacts/", "/safety/", "/how-to-report/", "/ro/", "/pl/contacts/")
GOAL = 0.95


def seo(url: str, directory: Path) -> dict:
    """One Lighthouse run of the SEO category: its score and the audits that failed."""
    report = run_lighthouse(url, directory / "seo.json", "seo")
    category = report["categories"]["seo"]
    failed = [
        ref["id"]
        for ref in category["auditRefs"]
        if ref["weight"] and (report["audits"][ref["id"]].get("score") or 0) < 1
    ]
    return {"score": category["score"], "failed": failed}


def main() -> None:
    console = Console(width=140)
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        data = Path(tmp) / "data"
        create_keys(data / "keys", PASSPHRASE, kdf=TEST_KDF)
        environ = {
            **os.environ,
            "UGLYMUGS_DATA_DIR": str(data),
            "UGLYMUGS_KEY_PASSPHRASE": PASSPHRASE,
            "UGLYMUGS_SITE_URL": f"http://127.0.0.1:{port}",
        }
        with console.status("building the site…"):
            build_site(Settings.from_environ(environ))
        server = subprocess.Popen(
            [sys.executable, "-m", "uglymugs", "dev", "--no-build", "--port", str(port)],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"http://127.0.0.1:{port}/")
            results = {}
            for page in PAGES:
                with console.status(f"Lighthouse SEO {page}…"):
                    results[page] = seo(f"http://127.0.0.1:{port}{page}", Path(tmp))
        finally:
            server.terminate()
            server.wait(timeout=30)
    table = Table(title=f"Lighthouse SEO, public pages, uglymugs dev (goal: ≥ {GOAL})")
    for column in ("page", "SEO", "audits not passed"):
        table.add_column(column)
    for page, each in results.items():
        table.add_row(page, f"{each['score']:.2f}", ", ".join(each["failed"]) or "—")
    console.print(table)


if __name__ == "__main__":
    main()
