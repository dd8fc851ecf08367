"""The ``uglymugs`` command: one sub-command module per concern.

Each module under ``uglymugs.cli`` exposes ``register(subparsers)``, which adds its
sub-commands and sets ``handler`` on each; :func:`main` dispatches to it. Modules are
imported only when listed here, so a typo fails loudly.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from uglymugs.config import Settings

DESCRIPTION = "Run an Ugly Mugs scheme: keys, sealed reports, alerts, the public site."
COMMAND_MODULES = (
    "keys",
    "reports",
    "site",
    "dev",
    "i18n",
    "members",
    "alerts",
    "publish",
    "notify",
    "aws",
    "doctor",
    "backup",
)


class CommandError(Exception):
    """A failure to show the person at the terminal as one line, without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="uglymugs", description=DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"uglymugs.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args, Settings.from_env()) or 0)
    except CommandError as error:
        print(f"uglymugs: {error}", file=sys.stderr)
        return 1
