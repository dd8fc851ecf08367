"""``uglymugs members``: see who applied, and approve, reject, suspend or reinstate them.

    uglymugs members list [--pending]
    uglymugs members approve|reject|suspend|reinstate USERNAME

Approving e-mails a one-time set-password link (48 hours) to the member; suspending
ends their sessions at once. The list shows which channels stopped reaching a member
("email: permanent bounce 2026-11-23"), never addresses, numbers or password hashes;
``--pending`` also says when the hourly cap on account e-mail held any back today.
The directory and mailer are the ones the environment names (``$UGLYMUGS_MEMBERS_TABLE``,
…), else the data directory's.
"""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table

from uglymugs.cli import CommandError
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings
from uglymugs.members.directory import Member
from uglymugs.members.staff import (
    MAX_REASON,
    NEEDS_REASON,
    TRANSITIONS,
    StatusChangeError,
    member_answers,
)
from uglymugs.safe_text import for_terminal


def register(subparsers: argparse._SubParsersAction) -> None:
    members = subparsers.add_parser("members", help="list, approve, reject, suspend members")
    commands = members.add_subparsers(dest="members_command", required=True)
    listing = commands.add_parser(
        "list", help="every member: username, type, status, dates, failing channels"
    )
    listing.add_argument("--pending", action="store_true", help="only members awaiting approval")
    listing.set_defaults(handler=run_list)
    show = commands.add_parser(
        "show", help="every answer of one member's application (never the password hash)"
    )
    show.add_argument("username")
    show.add_argument("--json", action="store_true", help="print the answers as JSON")
    show.set_defaults(handler=run_show)
    for action in TRANSITIONS:
        command = commands.add_parser(action, help=f"{action} a member")
        command.add_argument("username")
        needed = " (needed)" if action in NEEDS_REASON else ""
        command.add_argument("--reason", default="", help=f"why, kept in the audit log{needed}")
        command.set_defaults(handler=run_change, action=action)


def _services(settings: Settings):
    from uglymugs import composition

    return composition.member_services(settings)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    members = services.directory.members()
    if args.pending:
        members = [member for member in members if member.status == "pending"]
        _warn_if_mail_held_back(services)
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


def _warn_if_mail_held_back(services) -> None:
    """The alarm of the scheme-wide hourly cap on account e-mail, where staff look daily."""
    held_back = services.mail_limits.held_back_today()
    if held_back:
        Console().print(
            plain(
                f"Account e-mail cap reached today: {held_back} e-mails (join, set-password, "
                f"reset) were not sent; the cap is {services.mail_hourly_cap} an hour "
                "(UGLYMUGS_MAIL_HOURLY_CAP). A flood of applications or resets may be under way."
            )
        )


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.cli.audit import record_action

    member = _services(settings).directory.find(args.username)
    if member is None or "@" in args.username:
        raise CommandError(f"there is no member with the username {for_terminal(args.username)}")
    record_action(settings, "show-member", [member.username])
    answers = member_answers(member)
    if args.json:
        print(json.dumps(answers, indent=2, ensure_ascii=True))
        return 0
    grid = Table.grid(padding=(0, 2))
    for name, value in answers.items():
        grid.add_row(
            plain(name.replace("_", " "), style="bold"), plain(_shown(value), keep_newlines=True)
        )
    Console(highlight=False).print(grid)
    return 0


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_shown(item)}" for key, item in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value is None else str(value)


def _failing(member: Member) -> str:
    """``email: permanent bounce 2026-11-23``, a line per failing channel (the day is enough)."""
    lines = []
    for channel, note in sorted(member.failing_channels.items()):
        reason, _, since = note.rpartition(" ")
        line = f"{channel}: {reason} {since[:10]}" if reason else f"{channel}: {note}"
        lines.append(for_terminal(line))
    return "\n".join(lines)


def run_change(args: argparse.Namespace, settings: Settings) -> int:
    reason = args.reason.strip()
    if args.action in NEEDS_REASON and not reason:
        raise CommandError(f"give --reason to {args.action} a member: it is kept in the audit log")
    if len(reason) > MAX_REASON:
        raise CommandError(f"--reason is at most {MAX_REASON} characters")
    services = _services(settings)
    staff = services.staff_actions
    try:
        member = staff.change_status(args.username, args.action)
    except StatusChangeError as error:
        raise CommandError(str(error)) from None
    from uglymugs.cli.audit import record_action

    record_action(settings, args.action, [member.username], detail=reason)
    Console().print(plain(f"{member.username} is now {member.status}"))
    return 0
