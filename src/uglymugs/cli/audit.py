"""``uglymugs audit``: read the audit trail and check that nothing in it was changed.

    uglymugs audit log [--json] [--target NUMBER_OR_USERNAME]
    uglymugs audit verify

Every command that decrypts a report, drafts an alert or changes a case or a member
appends an entry through :func:`record_action` (who: ``$UGLYMUGS_STAFF_NAME``).
``verify`` prints the number of entries and the head hash: note them, and a later
``verify`` showing fewer entries or another head for the same count means entries
were removed from the end, which the chain alone cannot show.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import asdict

from rich.console import Console
from rich.table import Table

from uglymugs.cli import CommandError
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="the audit trail: who read or changed what")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    log = commands.add_parser("log", help="every entry: when, who, what, which report or member")
    log.add_argument("--json", action="store_true", help="print the entries as JSON")
    log.add_argument("--target", help="only entries about this report, member or alert")
    log.set_defaults(handler=run_log)
    verify = commands.add_parser("verify", help="check that no entry was changed or removed")
    verify.set_defaults(handler=run_verify)


def record_action(
    settings: Settings, action: str, targets: Iterable[str], detail: str = ""
) -> None:
    """Append one entry for what this command did (never any content)."""
    from uglymugs import composition
    from uglymugs.audit.trail import AuditError, record

    try:
        record(composition.audit_log(settings), settings.staff, action, targets, detail)
    except AuditError as error:
        raise CommandError(str(error)) from None


def run_log(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs import composition

    entries = list(composition.audit_log(settings).entries())
    if args.target:
        entries = [entry for entry in entries if args.target in entry.targets]
    if args.json:
        print(json.dumps({"entries": [asdict(entry) for entry in entries]}, indent=2))
        return 0
    table = Table("#", "When", "Who", "Action", "Targets", "Detail")
    table.columns[4].no_wrap = True
    for entry in entries:
        table.add_row(
            str(entry.sequence),
            entry.at[:19],
            plain(entry.who),
            plain(entry.action),
            plain("\n".join(entry.targets), keep_newlines=True),
            plain(entry.detail),
        )
    Console(highlight=False).print(table)
    return 0


def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs import composition
    from uglymugs.audit.trail import verify

    result = verify(composition.audit_log(settings))
    for problem in result.problems:
        print(problem)
    state = "intact" if result.ok else f"BROKEN ({len(result.problems)} problems)"
    print(f"{result.count} entries, {state}; head {result.head}")
    return 0 if result.ok else 1
