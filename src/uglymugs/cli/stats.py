"""``uglymugs stats`` (also ``uglymugs figures``): the figures funders ask for.

    uglymugs stats [--json] [--html FILE] [--pdf FILE] [--force-area ID]
                   [--from DATE] [--to DATE] [--language CODE] [--alerts DIR]
    uglymugs stats report --force-area ID [--from DATE] [--to DATE]
                   --format html|pdf [--output FILE] [--language CODE] [--alerts DIR]

Reads the vault like ``uglymugs reports list`` (passphrase from
``UGLYMUGS_KEY_PASSPHRASE`` or asked), decrypts in memory only and writes nothing but
the HTML or PDF file asked for, which holds only suppressed counts
(:mod:`uglymugs.reports.figures`). Beside the incidents: members by type per area,
requests from police, alerts issued and corrected (``site/alerts``) and the members
they reached (the notify ledger). ``--force-area`` shows one area's rows beside the
national figures in the JSON (and the HTML or PDF is then that area's funder report);
suppression is worked out on the whole table first, so a part of it gives away no more
than the whole. ``stats report`` is the funder report of one area beside the nation
(:mod:`uglymugs.reports.figures_report`), to standard output without ``--output``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from uglymugs.cli import CommandError
from uglymugs.config import Settings, repository_root
from uglymugs.funder_figures import Period, for_area, gather
from uglymugs.languages import LANGUAGES, Language
from uglymugs.reports.figures import UNKNOWN_AREA
from uglymugs.reports.places import force_area_ids

HELP = "figures for funders per force area and year, small numbers suppressed"
REPORT_HELP = "the funder report of one police force area beside the national figures"
LANGUAGE_CODES = {language.code: language for language in LANGUAGES}  # "pt-br", "zh-hans"


def register(subparsers: argparse._SubParsersAction) -> None:
    for name in ("stats", "figures"):
        command = subparsers.add_parser(name, help=HELP)
        command.add_argument("--json", action="store_true", help="print one JSON object")
        command.add_argument("--html", metavar="FILE", type=Path, help="write an HTML report")
        command.add_argument("--pdf", metavar="FILE", type=Path, help="write a PDF report")
        command.add_argument("--force-area", metavar="ID", help="only this force area's rows")
        _period_and_language(command)
        command.set_defaults(handler=run_stats)
        parts = command.add_subparsers(dest="stats_command", metavar="report")
        report = parts.add_parser("report", help=REPORT_HELP, description=REPORT_HELP)
        report.add_argument("--force-area", metavar="ID", required=True, help="the force area")
        report.add_argument("--format", choices=("html", "pdf"), required=True)
        report.add_argument(
            "--output", metavar="FILE", type=Path, help="where to write (default: stdout)"
        )
        _period_and_language(report)
        report.set_defaults(handler=run_report)


def _period_and_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--alerts", metavar="DIR", type=Path, help="alert files to count (default: site/alerts)"
    )
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE", type=_date, help="from this date"
    )
    parser.add_argument("--to", dest="date_to", metavar="DATE", type=_date, help="up to this date")
    parser.add_argument(
        "--language",
        type=_language,
        default=LANGUAGES[0],
        metavar="CODE",
        help=f"language of the HTML and PDF ({', '.join(LANGUAGE_CODES)})",
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _language(text: str) -> Language:
    """A language by its code or its catalogue's name: ``pt-br``, ``pt_BR``, ``zh-Hans``."""
    try:
        return LANGUAGE_CODES[text.lower().replace("_", "-")]
    except KeyError:
        codes = ", ".join(LANGUAGE_CODES)
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {codes}") from None


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    _check(args)
    table = _table(args, settings)
    shown = for_area(table, args.force_area) if args.force_area else table
    if args.html or args.pdf:
        page = _page(table, args)
        if args.html:
            args.html.write_text(page, encoding="utf-8")
        if args.pdf:
            args.pdf.write_bytes(_pdf(page))
    if args.json:
        print(json.dumps(shown, ensure_ascii=True))
    elif not (args.html or args.pdf):
        _print(shown)
    return 0


def _page(table: dict[str, Any], args: argparse.Namespace) -> str:
    """The funder report of ``--force-area``, else every area's figures on one page."""
    from uglymugs.reports.figures_report import render_overview, render_report

    gettext, tag = _gettext(args), args.language.tag
    if args.force_area:
        return render_report(
            table, args.force_area, gettext=gettext, language_tag=tag, period=_period_text(args)
        )
    return render_overview(table, gettext=gettext, language_tag=tag)


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """The funder report of ``--force-area``, as HTML or PDF, to a file or stdout."""
    from uglymugs.reports.figures_report import render_report

    _check(args)
    if args.format == "pdf" and args.output is None and sys.stdout.isatty():
        raise CommandError("a PDF is not for a terminal: give --output FILE")
    table = _table(args, settings)
    page = render_report(
        table,
        args.force_area,
        gettext=_gettext(args),
        language_tag=args.language.tag,
        period=_period_text(args),
    )
    data = page.encode("utf-8") if args.format == "html" else _pdf(page)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        args.output.write_bytes(data)
    return 0


def _table(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """The whole suppressed table for the period asked for."""
    from uglymugs import composition
    from uglymugs.cli.keys import read_passphrase
    from uglymugs.crypto.keys import KeyStoreError, unlock_report_keys
    from uglymugs.reports.incidents import group_incidents
    from uglymugs.reports.reading import open_vault

    passphrase = read_passphrase(settings)
    try:
        keys = unlock_report_keys(settings.keys_dir, passphrase)
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    reports = open_vault(composition.report_vault(settings), keys)
    directory = composition.existing_member_directory(settings)
    return gather(
        group_incidents(reports),
        suppressed_below=settings.figures_suppressed_below,
        period=Period(args.date_from, args.date_to),
        members=directory.members() if directory else [],
        alerts_dir=args.alerts or repository_root() / "site" / "alerts",
        ledger=composition.existing_notification_ledger(settings),
        survey_store=composition.existing_survey_store(settings),
    )


def _gettext(args: argparse.Namespace) -> Any:
    from uglymugs.i18n import translations

    return translations(args.language.locale).gettext


def _period_text(args: argparse.Namespace) -> str:
    from uglymugs.reports.figures_report import period_text

    return period_text(args.date_from, args.date_to, _gettext(args))


def _pdf(page: str) -> bytes:
    from uglymugs.reports.figures_pdf import FiguresPdfError, render_pdf

    try:
        return render_pdf(page)
    except FiguresPdfError as error:
        raise CommandError(str(error)) from None


def _check(args: argparse.Namespace) -> None:
    """One clear line for an area that does not exist or a range that ends first."""
    if args.force_area and args.force_area not in {*force_area_ids(), UNKNOWN_AREA}:
        raise CommandError(f"{args.force_area!r} is not a police force area id")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CommandError(f"--from {args.date_from} is after --to {args.date_to}")


def _print(table: dict) -> None:
    def shown(value: int | None) -> str:
        return "hidden" if value is None else str(value)

    print(f"Counts above zero and below {table['suppressed_below']} are hidden (null).")
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
    requests = table["police_requests"]["totals"]["requests"]
    alerts = table["alerts"]["totals"]
    print(
        f"requests from police {shown(requests)}  alerts issued {shown(alerts['issued'])}"
        f"  corrected {shown(alerts['corrected'])}"
    )
