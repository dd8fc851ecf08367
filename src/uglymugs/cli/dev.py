"""``uglymugs dev``: build the site and serve the whole scheme on localhost."""

from __future__ import annotations

import argparse
from pathlib import Path

from starlette.types import ASGIApp

from uglymugs import composition
from uglymugs.cli.doctor import check_and_print
from uglymugs.config import PASSPHRASE_VARIABLE, Settings
from uglymugs.crypto.keys import ensure_dev_keys
from uglymugs.dev_server import create_dev_app, serve
from uglymugs.website.budgets import page_weights, size_report
from uglymugs.website.build import build_site


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dev", help="build the site and serve it with the local APIs")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument("--no-build", action="store_true", help="serve the last build as it is")
    parser.set_defaults(handler=run_dev)


def run_dev(args: argparse.Namespace, settings: Settings) -> int:
    if ensure_dev_keys(settings):
        passphrase = "from " + PASSPHRASE_VARIABLE if settings.passphrase else "dev"
        print(f"Created development keys in {settings.keys_dir} (passphrase: {passphrase}).")
    check_and_print(settings)  # the scheme starts either way; the findings are on screen
    site_dir = settings.site_output if args.no_build else build_site(settings)
    if not args.no_build:
        print(size_report(page_weights(site_dir)))
    app = dev_app(settings, site_dir)
    print(f"Site and APIs:  http://{args.host}:{args.port}/")
    print(f"Report vault:   {settings.vault_dir} (ciphertext only)")
    print("Read reports:   uglymugs reports list")
    serve(app, args.host, args.port)
    return 0


def dev_app(settings: Settings, site_dir: Path) -> ASGIApp:
    """The built site and every API on one origin, with the adapters the settings name."""
    return create_dev_app(
        composition.report_app(settings), composition.member_app(settings), site_dir
    )
