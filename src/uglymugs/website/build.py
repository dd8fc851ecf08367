"""Build the public site: bundle the scripts, render the pages, publish the public keys.

One function, :func:`build_site`, used by ``uglymugs build``, ``uglymugs dev`` and the
tests. The report page carries the report public key in data attributes, so the form
needs no request before it can seal, and the member area carries the bundle verify key
the same way, so it checks alert bundles against the key it was built with rather
than one fetched beside the bundle; ``/keys.json`` carries both public keys for
anything else (the member app).

>>> build_site(Settings(data_dir=Path(".uglymugs")))  # doctest: +SKIP
PosixPath('.uglymugs/site')
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

from uglymugs.config import Settings, repository_root
from uglymugs.website.budgets import BUDGET_BYTES, BudgetError, check_budgets, page_weights
from uglymugs.website.precompress import precompress

SITE_DIR = "site"
SETTINGS_FILE = "pelicanconf.py"
THEME_DIR = Path("themes") / "uglymugs"
SCRIPT_ENTRIES = (
    "sodium.mjs",
    "app.mjs",
    "device.mjs",
    "quick-exit.mjs",
    "language.mjs",
    "print-page.mjs",
    "report-form.mjs",
    "partner-form.mjs",
    "member-join.mjs",
    "member-password.mjs",
    "member-area.mjs",
    "local-support.mjs",
    "member-tokens.mjs",
    "member-survey.mjs",
)
# libsodium is its own file, imported by the pages that seal or verify (see sodium.mjs).
SODIUM_IMPORT = "./sodium.js"
KEYS_DOCUMENT = "keys.json"
KEYS_COMMAND = "uglymugs keys init"


class SiteBuildError(Exception):
    """The site could not be built; the message says what to run or fix."""


def build_site(
    settings: Settings,
    output_dir: Path | None = None,
    *,
    site_dir: Path | None = None,
    settings_file: str = SETTINGS_FILE,
    budget: int = BUDGET_BYTES,
) -> Path:
    """Build the site into ``output_dir`` (default ``settings.site_output``); returns it.

    ``site_dir`` is the Pelican project (``site/`` of this checkout by default) and
    ``settings_file`` the settings in it (``publishconf.py`` for publishing). A page
    heavier than ``budget`` (gzip bytes before libsodium) fails the build.
    """
    from uglymugs.crypto.keys import KeyStoreError, load_public_keys

    site_dir = (site_dir or repository_root() / SITE_DIR).resolve()
    output_dir = (output_dir or settings.site_output).resolve()
    try:
        public_keys = load_public_keys(settings.keys_dir).as_document()
    except KeyStoreError as error:
        message = f"cannot publish the public keys: {error}"
        if KEYS_COMMAND not in message:
            message += f" (run `{KEYS_COMMAND}` to create them)"
        raise SiteBuildError(message) from error

    bundle_scripts(site_dir / THEME_DIR)
    _empty_output_dir(output_dir)
    _run_pelican(
        site_dir / settings_file,
        {
            "OUTPUT_PATH": str(output_dir),
            "REPORT_KEY": public_keys["report"],
            "BUNDLE_KEY": public_keys["bundle"],
            "PUBLIC_URL": settings.site_url.rstrip("/"),
        },
    )
    (output_dir / KEYS_DOCUMENT).write_text(
        json.dumps(public_keys, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    try:
        check_budgets(page_weights(output_dir), budget)
    except BudgetError as error:
        raise SiteBuildError(f"over budget: {error}") from error
    precompress(output_dir)
    return output_dir


def bundle_scripts(theme_dir: Path) -> list[Path]:
    """Bundle each script entry (``js/*.mjs``) into one self-contained ES module.

    libsodium is vendored from ``node_modules`` here, at build time, so no page ever
    loads a script from another origin. Output goes to ``static/js/dist/`` (git-ignored).
    """
    esbuild = repository_root() / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise SiteBuildError(f"{esbuild} is missing: run `make setup` to install node_modules")
    out_dir = theme_dir / "static" / "js" / "dist"
    entries = [str(theme_dir / "js" / name) for name in SCRIPT_ENTRIES]
    command = [
        str(esbuild),
        *entries,
        "--bundle",
        "--format=esm",
        "--minify",
        "--legal-comments=none",
        f"--external:{SODIUM_IMPORT}",
        "--log-level=warning",
        f"--outdir={out_dir}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SiteBuildError(f"esbuild failed: {result.stderr.strip()}")
    return [out_dir / Path(name).with_suffix(".js").name for name in SCRIPT_ENTRIES]


def _empty_output_dir(output_dir: Path) -> None:
    """Remove a previous build, refusing to empty a directory that is not one."""
    if output_dir.exists() and any(output_dir.iterdir()):
        if not (output_dir / KEYS_DOCUMENT).exists():
            raise SiteBuildError(
                f"{output_dir} is not empty and holds no earlier build; choose another --output"
            )
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)


class _ErrorCollector(logging.Handler):
    """Pelican logs template and content errors and carries on; we fail the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run_pelican(settings_path: Path, override: dict) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    collector = _ErrorCollector()
    logger = logging.getLogger("pelican")
    logger.addHandler(collector)
    try:
        pelican = Pelican(read_settings(str(settings_path), override=override))
        pelican.run()
    except Exception as error:
        raise SiteBuildError(f"Pelican failed: {error}") from error
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise SiteBuildError("Pelican reported errors: " + "; ".join(collector.messages))
