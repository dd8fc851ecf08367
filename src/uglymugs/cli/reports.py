"""``uglymugs reports``: list and read sealed reports on a staff machine.

Reports are decrypted in memory and printed to this terminal; nothing is written to
disk. Everything a report says was typed by a stranger, so it is printed as plain
text: never as Rich markup, and with terminal control characters made visible.

    uglymugs reports list
    uglymugs reports show UM-7K3F-92QH-X4PM [--json]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from uglymugs.cli import CommandError
from uglymugs.cli.keys import read_passphrase
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings
from uglymugs.crypto.keys import KeyStoreError, unlock_report_keys
from uglymugs.reports.form import FIELDS, FORM, option_label, report_type_label, reporter_label
from uglymugs.reports.numbers import ReportNumberError, normalise
from uglymugs.reports.reading import (
    OpenedReport,
    follow_ups,
    open_vault,
    short_label,
    summary,
)
from uglymugs.reports.vault import ReportVault

UNREADABLE = "UNREADABLE"


def register(subparsers: argparse._SubParsersAction) -> None:
    reports = subparsers.add_parser("reports", help="read sealed reports (decrypted in memory)")
    commands = reports.add_subparsers(dest="reports_command", required=True)
    listing = commands.add_parser("list", help="every report: number, type, links; no free text")
    listing.set_defaults(handler=run_list)
    show = commands.add_parser("show", help="every answer of one report, with its links")
    show.add_argument("number", help="report number, e.g. UM-7K3F-92QH-X4PM")
    show.add_argument("--json", action="store_true", help="print the report as JSON to stdout")
    show.set_defaults(handler=run_show)
    for command in (listing, show):
        command.add_argument(
            "--aws-bucket",
            metavar="BUCKET",
            help="read the vault in this S3 bucket instead of the local data directory",
        )


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    vault = _vault(args, settings)
    reports = open_vault(vault, _unlock(settings))
    console = Console(highlight=False)
    if not reports:
        console.print(f"No reports in {_vault_name(args, settings)}.", markup=False)
        return 0
    linked = follow_ups(reports)
    table = Table("Number", "Received", "Type", "Who reported", "Follows", "Follow-ups")
    for report in reports:
        if report.content is None:
            cells = [Text(UNREADABLE, style="bold red"), "", "", ""]
        else:
            cells = [
                short_label(report_type_label(report.report_type or "?")),
                short_label(reporter_label(report.reporter or "?")),
                report.follows or "",
                str(len(linked.get(report.report_number, []))),
            ]
        table.add_row(*map(plain, [report.report_number, report.received_at, *cells]))
    console.print(table)
    console.print(f"{len(reports)} reports.", markup=False)
    for report in reports:
        if report.content is None:
            console.print(plain(f"{UNREADABLE} {report.report_number}: {report.problem}"))
    return 0


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    number, reports = open_reports_around(args.number, args, settings)
    report = reports[number]
    if report.content is None:
        raise CommandError(f"{UNREADABLE} {number}: {report.problem}")
    later = follow_ups(reports.values()).get(number, [])
    if args.json:
        print(json.dumps(_as_json(report, later), indent=2, ensure_ascii=True))
    else:
        _print_report(Console(highlight=False), report, reports, later)
    return 0


def open_reports_around(
    typed_number: str, args: argparse.Namespace, settings: Settings
) -> tuple[str, dict[str, OpenedReport]]:
    """The normalised number and every report, opened in memory (for follow-up links).

    Fails with one clear line when the number is malformed or not in the vault, before
    asking for the passphrase.
    """
    try:
        number = normalise(typed_number)
    except ReportNumberError as error:
        raise CommandError(str(error)) from None
    vault = _vault(args, settings)
    if number not in set(vault.numbers()):
        raise CommandError(f"there is no report {number} in {_vault_name(args, settings)}")
    reports = {report.report_number: report for report in open_vault(vault, _unlock(settings))}
    return number, reports


def _vault(args: argparse.Namespace, settings: Settings) -> ReportVault:
    from uglymugs import composition

    return composition.report_vault(_with_bucket(args, settings))


def _with_bucket(args: argparse.Namespace, settings: Settings) -> Settings:
    """``--aws-bucket`` names the vault for this command only."""
    if args.aws_bucket:
        return settings.model_copy(update={"vault_bucket": args.aws_bucket})
    return settings


def _vault_name(args: argparse.Namespace, settings: Settings) -> str:
    bucket = _with_bucket(args, settings).vault_bucket
    return f"s3://{bucket}" if bucket else str(settings.vault_dir)


def _unlock(settings: Settings) -> dict:
    try:
        return unlock_report_keys(settings.keys_dir, read_passphrase(settings))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None


def _as_json(report: OpenedReport, later: Sequence[str]) -> dict:
    return {
        **report.content,
        "report_number": report.report_number,
        "received_at": report.received_at,
        "follows": report.follows,
        "follow_ups": list(later),
    }


def _print_report(
    console: Console,
    report: OpenedReport,
    reports: Mapping[str, OpenedReport],
    later: Sequence[str],
) -> None:
    header = Table.grid(padding=(0, 2))
    header.add_row(Text("Report", style="bold"), plain(report.report_number, style="bold"))
    header.add_row("Received", plain(report.received_at))
    header.add_row("Type", plain(report_type_label(report.report_type or "?")))
    header.add_row("Who reported", plain(reporter_label(report.reporter or "?")))
    header.add_row("Sealed to", plain(report.key_id))
    if report.follows:
        header.add_row("Follows", plain(_related_line(report.follows, reports)))
    for number in later:
        header.add_row("Followed up by", plain(_related_line(number, reports)))
    console.print(header)
    shown = set()
    for section in FORM:
        rows = [
            (field.label, field.name) for field in section.fields if field.name in report.answers
        ]
        shown.update(name for _, name in rows)
        _print_section(console, section.legend, rows, report.answers)
    others = [(name, name) for name in report.answers if name not in shown]
    _print_section(console, "Other answers (not in the current form)", others, report.answers)


def _print_section(
    console: Console, legend: str, rows: list[tuple[str, str]], answers: Mapping[str, object]
) -> None:
    if not rows:
        return
    console.print()
    console.rule(Text(legend, style="bold"), align="left")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", max_width=40)
    grid.add_column()
    for label, name in rows:
        grid.add_row(plain(label), plain(_answer_text(name, answers[name]), keep_newlines=True))
    console.print(grid)


def _answer_text(name: str, value: object) -> str:
    field = FIELDS.get(name)
    values = value if isinstance(value, list) else [value]
    if field is not None and field.options:
        return ", ".join(option_label(name, str(item)) for item in values)
    return "\n".join(str(item) for item in values)


def _related_line(number: str, reports: Mapping[str, OpenedReport]) -> str:
    related = reports.get(number)
    if related is None:
        return f"{number} (not in this vault)"
    return f"{number}, received {related.received_at}: {summary(related)}"
