"""The ``uglymugs`` command: one sub-command module per concern.

Each module under ``uglymugs.cli`` exposes ``register(subparsers)``, which adds its
sub-commands and sets ``handler`` on each; :func:`main` dispatches to it. Only the
module of the command being run is imported (``uglymugs --help`` imports none of them),
so a command loads what it uses and nothing else; :data:`COMMANDS` holds each
command's one-line help for the listing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uglymugs.config import Settings

from uglymugs.safe_text import for_terminal

DESCRIPTION = "Run an Ugly Mugs scheme: keys, sealed reports, alerts, the public site."
# command → (module under uglymugs.cli, one-line help); tests/cli/test_main.py keeps the
# help equal to what each module registers.
COMMANDS = {
    "keys": ("keys", "the report key and the bundle key"),
    "reports": ("reports", "read sealed reports (decrypted in memory)"),
    "build": ("site", "build the public site (pages, scripts, keys.json)"),
    "dev": ("dev", "build the site and serve it with the local APIs"),
    "i18n": ("i18n", "extract, check or compile translations"),
    "members": ("members", "list, approve, reject, suspend members"),
    "alerts": ("alerts", "draft, check and verify alerts"),
    "publish": ("publish", "check the alerts, build the site, sign and store the alert bundles"),
    "notify": ("notify", "send published alert changes to members by e-mail and SMS"),
    "aws": ("aws", "connect this command and a deployed AWS stack"),
    "staff": ("staff", "the staff console: triage, casework, alerts, vetting (local web app)"),
    "cases": ("cases", "casework on incidents: status, assignee, notes, contacts"),
    "audit": ("audit", "the audit trail: who read or changed what"),
    "partners": ("partners", "check the partner directory (partners/*.yaml)"),
    "support": ("support", "check the local support directory (support/*.yaml)"),
    "share": ("share", "share an incident with a partner; the ledger"),
    "doctor": ("doctor", "check databases, ledger against vault; remove leftover temporary files"),
    "backup": ("backup", "write a sealed, consistent backup of the data directory to FILE"),
    "restore": ("backup", "restore a backup into the data directory"),
    "retention": ("retention", "delete what the retention policy says is past its time"),
    "links": (
        "links",
        "incidents (and published alerts) that may be the same offender, with reasons",
    ),
    "stats": ("stats", "figures for funders per force area and year, small numbers suppressed"),
    "figures": ("stats", "figures for funders per force area and year, small numbers suppressed"),
    "survey": ("survey", "the member survey: open and close rounds, results, comments"),
}


class CommandError(Exception):
    """A failure to show the person at the terminal as one line, without a traceback.

    The line is escaped (:func:`~uglymugs.safe_text.for_terminal`): messages can quote
    a username, a report's answer or a file name.
    """


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with ``command``'s own sub-commands and options registered (every
    command's when ``command`` is None); the others are listed by name and help only."""
    parser = argparse.ArgumentParser(prog="uglymugs", description=DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", required=True)
    modules = {module for name, (module, _help) in COMMANDS.items() if command in (None, name)}
    for module in dict.fromkeys(module for module, _help in COMMANDS.values()):
        if module in modules:
            importlib.import_module(f"uglymugs.cli.{module}").register(subparsers)
    for name, (_module, summary) in COMMANDS.items():
        if name not in subparsers.choices:
            # Only listed, never parsed with (a command named on the line is registered
            # above): no -h of its own, whose set-up was most of a command's parsing.
            subparsers.add_parser(name, help=summary, add_help=False)
    return parser


def chosen_command(argv: Sequence[str]) -> str:
    """The command named on the line: its first word that is not an option."""
    words = [word for word in argv if not word.startswith("-")]
    return words[0] if words and words[0] in COMMANDS else ""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(chosen_command(argv)).parse_args(argv)
    try:
        return int(args.handler(args, settings()) or 0)
    except CommandError as error:
        print(f"uglymugs: {for_terminal(str(error))}", file=sys.stderr)
        return 1


def settings() -> Settings:
    """This process's settings; a malformed ``UGLYMUGS_*`` variable is one clear line."""
    from pydantic import ValidationError

    from uglymugs.config import Settings, variable

    try:
        return Settings.from_env()
    except ValidationError as error:
        problem = error.errors()[0]
        name = variable(str(problem["loc"][0])) if problem["loc"] else "a setting"
        raise CommandError(f"${name}: {problem['msg']}") from None
