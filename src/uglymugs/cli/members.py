"""``uglymugs members``: see who applied, and approve, reject, suspend or reinstate them.

    uglymugs members list [--pending]
    uglymugs members approve|reject|suspend|reinstate USERNAME

Approving e-mails a one-time set-password link (48 hours) to the member; suspending
ends their sessions at once. The list shows which channels stopped reaching a member
("email: permanent bounce 2026-11-23"), never addresses, numbers or password hashes.
The directory and mailer are the ones the environment names (``$UGLYMUGS_MEMBERS_TABLE``,
…), else the data directory's.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from uglymugs.cli import CommandError
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings
from uglymugs.members.directory import Member
from uglymugs.members.staff import TRANSITIONS, StaffActions, StatusChangeError
from uglymugs.safe_text import for_terminal


def register(subparsers: argparse._SubParsersAction) -> None:
    members = subparsers.add_parser("members", help="list, approve, reject, suspend members")
    commands = members.add_subparsers(dest="members_command", required=True)
    listing = commands.add_parser(
        "list", help="every member: username, type, status, dates, failing channels"
    )
    listing.add_argument("--pending", action="store_true", help="only members awaiting approval")
    listing.set_defaults(handler=run_list)
    for action in TRANSITIONS:
        command = commands.add_parser(action, help=f"{action} a member")
        command.add_argument("username")
        command.set_defaults(handler=run_change, action=action)


def _services(settings: Settings):
    from uglymugs import composition

    return composition.member_services(settings)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    members = _services(settings).directory.members()
    if args.pending:
        members = [member for member in members if member.status == "pending"]
    table = Table(title="Members")
    for column in ("username", "type", "status", "organisation", "joined", "updated", "failing"):
        table.add_column(column)
    for member in members:
        cells = (member.username, member.membership_type, member.status, member.organisation)
        table.add_row(
            *(plain(cell or "") for cell in cells),
            plain(member.created_at),
            plain(member.updated_at),
            plain(_failing(member), keep_newlines=True),
        )
    Console().print(table)
    return 0


def _failing(member: Member) -> str:
    """``email: permanent bounce 2026-11-23``, a line per failing channel (the day is enough)."""
    lines = []
    for channel, note in sorted(member.failing_channels.items()):
        reason, _, since = note.rpartition(" ")
        line = f"{channel}: {reason} {since[:10]}" if reason else f"{channel}: {note}"
        lines.append(for_terminal(line))
    return "\n".join(lines)


def run_change(args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    staff = StaffActions(
        services.directory,
        services.sessions,
        services.mailer,
        services.site_url,
        lambda: datetime.now(UTC),
    )
    try:
        member = staff.change_status(args.username, args.action)
    except StatusChangeError as error:
        raise CommandError(str(error)) from None
    Console().print(plain(f"{member.username} is now {member.status}"))
    return 0
