"""``uglymugs links [--json]``: incidents that may be the same offender.

Reads the vault like ``uglymugs reports list`` (passphrase from
``UGLYMUGS_KEY_PASSPHRASE`` or asked), decrypts in memory only and writes nothing.
Every link is a suggestion for a caseworker to check, with its reasons
(:mod:`uglymugs.cases.links`).
"""

from __future__ import annotations

import argparse
import json

from uglymugs.cases.links import suggest_links
from uglymugs.cli import CommandError
from uglymugs.cli.keys import read_passphrase
from uglymugs.config import Settings
from uglymugs.crypto.keys import KeyStoreError, unlock_report_keys
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import open_vault
from uglymugs.safe_text import for_terminal

HELP = "incidents that may be the same offender (shared phone, e-mail, username, plate)"


def register(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser("links", help=HELP)
    command.add_argument("--json", action="store_true", help="print one JSON object")
    command.set_defaults(handler=run_links)


def run_links(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs import composition

    try:
        keys = unlock_report_keys(settings.keys_dir, read_passphrase(settings))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    reports = open_vault(composition.report_vault(settings), keys)
    links = suggest_links(group_incidents(reports))
    if args.json:
        print(json.dumps({"links": [link.as_dict() for link in links]}, ensure_ascii=True))
        return 0
    for link in links:
        print(for_terminal(f"{link.score:.2f}  {link.a}  {link.b}  {'; '.join(link.reasons)}"))
    print(f"{len(links)} suggested links.")
    return 0
