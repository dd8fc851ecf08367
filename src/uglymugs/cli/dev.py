"""``uglymugs dev``: build the site and serve the whole scheme on localhost."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from starlette.types import ASGIApp

from uglymugs import composition
from uglymugs.cli.doctor import check_and_print
from uglymugs.config import DEV_SITE_URL_FILE, PASSPHRASE_VARIABLE, Settings
from uglymugs.crypto.keys import ensure_dev_keys
from uglymugs.dev_server import create_dev_app, serve
from uglymugs.messaging.mailer import OUTBOX_DIR
from uglymugs.website.budgets import page_weights, size_report
from uglymugs.website.build import build_site


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dev", help="build the site and serve it with the local APIs")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument("--no-build", action="store_true", help="serve the last build as it is")
    parser.set_defaults(handler=run_dev)


def run_dev(args: argparse.Namespace, settings: Settings) -> int:
    settings = dev_settings(settings, args.host, args.port)
    if ensure_dev_keys(settings):
        passphrase = "from " + PASSPHRASE_VARIABLE if settings.passphrase else "dev"
        print(f"Created development keys in {settings.keys_dir} (passphrase: {passphrase}).")
    check_and_print(settings)  # the scheme starts either way; the findings are on screen
    site_dir = settings.site_output if args.no_build else build_site(settings)
    if not args.no_build:
        print(size_report(page_weights(site_dir)))
    app = dev_app(settings, site_dir)
    command = command_name()
    print(f"Site and APIs:  http://{args.host}:{args.port}/")
    print(f"Report vault:   {settings.vault_dir} (ciphertext only)")
    if not settings.mail_from and settings.sms_sender == "outbox":
        print(f"Mail and SMS:   {settings.data_dir / OUTBOX_DIR} (files; nothing is sent)")
    print(f"Read reports:   {command} reports list")
    print("Stop with Ctrl+C.")
    serve(app, args.host, args.port)
    return 0


def dev_settings(settings: Settings, host: str, port: int) -> Settings:
    """The settings with links (e-mails, the site's alternates) at the port served on.

    Without this, ``uglymugs dev --port 8731`` e-mailed links to port 8000, where nothing
    answers. The address is noted in the data directory, so other commands on it
    (``members approve``) link there too. One set in ``$UGLYMUGS_SITE_URL`` is kept.
    """
    if "site_url" in settings.model_fields_set:
        return settings
    url = f"http://{host}:{port}"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / DEV_SITE_URL_FILE).write_text(url + "\n", encoding="utf-8")
    return settings.model_copy(update={"site_url": url})


def command_name() -> str:
    """How to run ``uglymugs`` from here: by name when it is on the PATH, else by the
    path ``make dev`` installed it at (``.venv/bin/uglymugs``, as the README says)."""
    if shutil.which("uglymugs"):
        return "uglymugs"
    venv = Path(".venv") / "bin" / "uglymugs"
    return str(venv) if venv.exists() else f"{sys.executable} -m uglymugs"


def dev_app(settings: Settings, site_dir: Path) -> ASGIApp:
    """The built site and every API on one origin, with the adapters the settings name."""
    return create_dev_app(
        composition.report_app(settings), composition.member_app(settings), site_dir
    )
