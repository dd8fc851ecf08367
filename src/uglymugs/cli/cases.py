"""``uglymugs cases``: casework on incidents from the terminal.

    uglymugs cases list [--json] [--status S] [--assignee NAME]
    uglymugs cases show NUMBER [--json]
    uglymugs cases assign NUMBER NAME|--nobody
    uglymugs cases status NUMBER new|in_progress|alert_drafted|shared|closed
    uglymugs cases note NUMBER TEXT
    uglymugs cases contact NUMBER called_back|referred_support|referred_police [TEXT]

A case belongs to an incident: any of its report numbers (the original or a
follow-up) names it. Records are sealed with the case key before they are stored
(``$UGLYMUGS_CASES_TABLE`` or the data directory); a change saved by someone else
since this command read the case is refused with one line, nothing overwritten.
Every change is recorded in the audit trail (never the text of a note).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from uglymugs.cases.records import CONTACT_KINDS, STATUSES, CaseError, CaseRecord, Casework
from uglymugs.cli import CommandError
from uglymugs.cli.audit import record_action
from uglymugs.cli.keys import read_passphrase
from uglymugs.cli.reports import open_casework, open_reports_around, passphrase_once
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings
from uglymugs.reports.incidents import incident_of


def register(subparsers: argparse._SubParsersAction) -> None:
    cases = subparsers.add_parser(
        "cases", help="casework on incidents: status, assignee, notes, contacts"
    )
    commands = cases.add_subparsers(dest="cases_command", required=True)
    listing = commands.add_parser("list", help="every case: status, assignee, last saved")
    listing.add_argument("--json", action="store_true", help="print the cases as JSON")
    listing.add_argument("--status", choices=STATUSES, help="only cases with this status")
    listing.add_argument("--assignee", help="only cases assigned to this person")
    listing.set_defaults(handler=run_list)
    show = commands.add_parser("show", help="one case: status, assignee, notes, contact log")
    show.add_argument("number", help="any report number of the incident")
    show.add_argument("--json", action="store_true", help="print the case as JSON")
    show.set_defaults(handler=run_show)
    assign = commands.add_parser("assign", help="assign a case to a member of staff")
    assign.add_argument("number")
    who = assign.add_mutually_exclusive_group(required=True)
    who.add_argument("name", nargs="?", help="who takes the case")
    who.add_argument("--nobody", action="store_true", help="leave the case unassigned")
    assign.set_defaults(handler=run_assign)
    status = commands.add_parser("status", help="change a case's status")
    status.add_argument("number")
    status.add_argument("status", choices=STATUSES)
    status.set_defaults(handler=run_status)
    note = commands.add_parser("note", help="add a note to a case")
    note.add_argument("number")
    note.add_argument("text")
    note.set_defaults(handler=run_note)
    contact = commands.add_parser("contact", help="log a contact: call back or referral")
    contact.add_argument("number")
    contact.add_argument("kind", choices=CONTACT_KINDS)
    contact.add_argument("text", nargs="?", default="", help="what was agreed (optional)")
    contact.set_defaults(handler=run_contact)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    casework = open_casework(settings, read_passphrase(settings))
    records = sorted(_all(casework).values(), key=lambda record: record.saved_at or "")
    records = [
        record
        for record in records
        if (args.status is None or record.status == args.status)
        and (args.assignee is None or record.assignee == args.assignee)
    ]
    if args.json:
        print(json.dumps({"cases": [_brief(record) for record in records]}, indent=2))
        return 0
    table = Table("Incident", "Status", "Assignee", "Notes", "Contacts", "Saved", "By")
    table.columns[0].no_wrap, table.columns[0].min_width = True, 17
    for record in records:
        table.add_row(
            plain(record.number),
            record.status,
            plain(record.assignee or ""),
            str(len(record.notes)),
            str(len(record.contacts)),
            plain((record.saved_at or "")[:16]),
            plain(record.saved_by or ""),
        )
    Console(highlight=False).print(table)
    return 0


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    _, record = _open(args, settings)
    record_action(settings, "read", [record.number], detail="case")
    if args.json:
        print(json.dumps(record.as_dict(), indent=2, ensure_ascii=True))
        return 0
    console = Console(highlight=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_row(Text("Incident", style="bold"), plain(record.number, style="bold"))
    grid.add_row("Status", record.status)
    grid.add_row("Assignee", plain(record.assignee or "nobody"))
    grid.add_row("Version", f"{record.version} (saved {record.saved_at or 'never'})")
    console.print(grid)
    for title, rows in (
        ("Notes", [(n.at, n.by, "", n.text) for n in record.notes]),
        ("Contact log", [(c.at, c.by, c.kind, c.text) for c in record.contacts]),
    ):
        if rows:
            console.rule(Text(title, style="bold"), align="left")
            for at, by, kind, text in rows:
                console.print(plain(" ".join(filter(None, [at, by, kind])), style="bold"))
                console.print(plain(text, keep_newlines=True))
    return 0


def run_assign(args: argparse.Namespace, settings: Settings) -> int:
    name = None if args.nobody else args.name
    return _change(args, settings, "assign", name or "nobody", lambda r: r.with_assignee(name))


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    return _change(args, settings, "status", args.status, lambda r: r.with_status(args.status))


def run_note(args: argparse.Namespace, settings: Settings) -> int:
    now = datetime.now(UTC)
    return _change(
        args, settings, "note", "", lambda r: r.with_note(args.text, settings.staff, now)
    )


def run_contact(args: argparse.Namespace, settings: Settings) -> int:
    now = datetime.now(UTC)
    return _change(
        args,
        settings,
        "contact",
        args.kind,
        lambda r: r.with_contact(args.kind, settings.staff, now, args.text),
    )


def _change(args, settings: Settings, action: str, detail: str, change) -> int:
    """Load the case, apply ``change``, save it as the next version, and audit it."""
    casework, record = _open(args, settings)
    try:
        saved = casework.save(change(record), settings.staff)
    except CaseError as error:
        raise CommandError(str(error)) from None
    record_action(settings, action, [saved.number], detail=detail)
    Console(highlight=False).print(
        plain(
            f"Case {saved.number}: {saved.status}, assigned to {saved.assignee or 'nobody'}; "
            f"version {saved.version}."
        )
    )
    return 0


def _open(args: argparse.Namespace, settings: Settings) -> tuple[Casework, CaseRecord]:
    """The case of the incident holding ``args.number`` (any of its report numbers)."""
    passphrase = passphrase_once(settings)
    args.aws_bucket = None
    number, reports = open_reports_around(args.number, args, settings, passphrase)
    incident = incident_of(number, reports.values())
    casework = open_casework(settings, passphrase())
    try:
        return casework, casework.load(incident.number if incident else number)
    except CaseError as error:
        raise CommandError(str(error)) from None


def _all(casework: Casework) -> dict[str, CaseRecord]:
    try:
        return casework.all()
    except CaseError as error:
        raise CommandError(str(error)) from None


def _brief(record: CaseRecord) -> dict:
    return {
        "number": record.number,
        "status": record.status,
        "assignee": record.assignee,
        "notes": len(record.notes),
        "contacts": len(record.contacts),
        "version": record.version,
        "saved_at": record.saved_at,
        "saved_by": record.saved_by,
    }
