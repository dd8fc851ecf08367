"""``uglymugs stats`` (also ``uglymugs figures``): the figures funders ask for.

    uglymugs stats [--json] [--html FILE] [--pdf FILE] [--force-area ID]
                   [--from DATE] [--to DATE]

Reads the vault like ``uglymugs reports list`` (passphrase from
``UGLYMUGS_KEY_PASSPHRASE`` or asked), decrypts in memory only and writes nothing but
the HTML or PDF file asked for (charts of each area's years, tables and a note on
method), which holds only suppressed counts (:mod:`uglymugs.reports.figures`).
``--force-area`` shows one area's rows beside the national totals; suppression is
worked out on the whole table first, so a part of it gives away no more than the whole.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.cli.keys import read_passphrase
from uglymugs.config import Settings
from uglymugs.crypto.keys import KeyStoreError, unlock_report_keys
from uglymugs.members.figures import member_figures
from uglymugs.reports.figures import UNKNOWN_AREA, figures
from uglymugs.reports.figures_html import render_html
from uglymugs.reports.incidents import Incident, group_incidents
from uglymugs.reports.places import force_area_ids
from uglymugs.reports.reading import open_vault

HELP = "figures for funders per force area and year, small numbers suppressed"


def register(subparsers: argparse._SubParsersAction) -> None:
    for name in ("stats", "figures"):
        command = subparsers.add_parser(name, help=HELP)
        command.add_argument("--json", action="store_true", help="print one JSON object")
        command.add_argument("--html", metavar="FILE", type=Path, help="write an HTML report")
        command.add_argument("--pdf", metavar="FILE", type=Path, help="write a PDF report")
        command.add_argument("--force-area", metavar="ID", help="only this force area's rows")
        command.add_argument("--from", dest="date_from", type=_date, help="incident date from")
        command.add_argument("--to", dest="date_to", type=_date, help="incident date up to")
        command.set_defaults(handler=run_stats)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    _check(args)
    from uglymugs import composition

    passphrase = read_passphrase(settings)
    try:
        keys = unlock_report_keys(settings.keys_dir, passphrase)
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    reports = open_vault(composition.report_vault(settings), keys)
    incidents = [i for i in group_incidents(reports) if _in_range(i, args)]
    table = figures(incidents, suppressed_below=settings.figures_suppressed_below)
    directory = composition.existing_member_directory(settings)
    members = directory.members() if directory else []
    table.update(member_figures(members, suppressed_below=settings.figures_suppressed_below))
    if args.force_area:
        for part in ("incidents", "members"):
            table[part] = [r for r in table[part] if r["force_area"] == args.force_area]
    if args.html:
        args.html.write_text(render_html(table, args.force_area), encoding="utf-8")
    if args.pdf:
        _write_pdf(args.pdf, render_html(table, args.force_area))
    if args.json:
        print(json.dumps(table, ensure_ascii=True))
    elif not (args.html or args.pdf):
        _print(table)
    return 0


def _write_pdf(path: Path, html: str) -> None:
    from uglymugs.reports.figures_pdf import FiguresPdfError, render_pdf

    try:
        path.write_bytes(render_pdf(html))
    except FiguresPdfError as error:
        raise CommandError(str(error)) from None


def _check(args: argparse.Namespace) -> None:
    """One clear line for an area that does not exist or a range that ends first."""
    if args.force_area and args.force_area not in {*force_area_ids(), UNKNOWN_AREA}:
        raise CommandError(f"{args.force_area!r} is not a police force area id")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CommandError(f"--from {args.date_from} is after --to {args.date_to}")


def _in_range(incident: Incident, args: argparse.Namespace) -> bool:
    """Within --from/--to; with either given, an incident without a date is left out."""
    if not (args.date_from or args.date_to):
        return True
    try:
        when = date.fromisoformat(incident.incident_date or "")
    except ValueError:
        return False
    return (args.date_from or when) <= when <= (args.date_to or when)


def _print(table: dict) -> None:
    def shown(value: int | None) -> str:
        return "<5" if value is None and table["suppressed_below"] == 5 else str(value)

    print(f"Counts from 1 to {table['suppressed_below'] - 1} are hidden (null).")
    for row in [*table["members"], {"force_area": "all members", **table["member_totals"]}]:
        kinds = "  ".join(
            f"{kind} {shown(row[kind])}" for kind in ("individual", "project", "site")
        )
        print(f"{row['force_area']:<29} {kinds}")
    for row in [*table["incidents"], {"force_area": "all", "year": "all", **table["totals"]}]:
        year = "no date" if row["year"] is None else row["year"]
        violence = row["by_category"]["violence"]
        print(
            f"{row['force_area']:<20} {year!s:<8} incidents {shown(row['reports']):>5}"
            f"  violence {shown(violence):>5}  rape {shown(row['by_category']['rape']):>5}"
            f"  police told {shown(row['police_told']):>5}"
        )
