"""``uglymugs reports``: list and read sealed reports on a staff machine.

Reports are decrypted in memory and printed to this terminal; nothing is written to
disk. Everything a report says was typed by a stranger, so it is printed as plain
text: never as Rich markup, and with terminal control characters made visible.

    uglymugs reports list [--json] [--status S] [--consent alert|scas|police_help]
                          [--category C] [--force-area ID] [--from DATE] [--to DATE]
                          [--wants-contact]
    uglymugs reports show UM-7K3F-92QH-X4PM [--json]

``list`` shows incidents (a report and its follow-ups, :mod:`uglymugs.reports.incidents`)
with what triage needs and each one's case status; ``show --json`` adds the incident's
resolved consents (:mod:`uglymugs.reports.consent`) and its case record. Listing and
reading are recorded in the audit trail (``uglymugs audit log``).
"""

from __future__ import annotations

import argparse
import functools
import json
import operator
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from uglymugs.cases.records import NEW, STATUSES, CaseError, CaseRecord, Casework
from uglymugs.cli import CommandError
from uglymugs.cli.audit import record_action
from uglymugs.cli.columns import table_lines
from uglymugs.cli.keys import read_passphrase
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings
from uglymugs.crypto.keys import (
    KeysMissingError,
    KeyStoreError,
    has_case_key,
    unlock_case_keys,
    unlock_report_keys,
)
from uglymugs.cycle_collector import cycle_collector_paused
from uglymugs.reports.consent import CONSENTS
from uglymugs.reports.form import FIELDS, FORM, option_label, report_type_label, reporter_label
from uglymugs.reports.incidents import group_incidents, incident_of
from uglymugs.reports.index import (
    Listing,
    SealedIndex,
    incident_numbers,
    index_path,
    list_incidents,
    open_number,
)
from uglymugs.reports.numbers import ReportNumberError, normalise
from uglymugs.reports.reading import (
    OpenedReport,
    follow_ups,
    open_vault,
    short_label,
    summary,
)
from uglymugs.reports.vault import ReportVault
from uglymugs.safe_text import for_terminal, unsafe_characters

UNREADABLE = "UNREADABLE"


CONSENT_NAMES = {"alert": CONSENTS[0], "scas": CONSENTS[1], "police_help": CONSENTS[2]}
CONSENT_SHORT = {CONSENTS[0]: "alert", CONSENTS[1]: "SCAS", CONSENTS[2]: "police"}
NUMBER_WIDTH = len("UM-XXXX-XXXX-XXXX")


def register(subparsers: argparse._SubParsersAction) -> None:
    reports = subparsers.add_parser("reports", help="read sealed reports (decrypted in memory)")
    commands = reports.add_subparsers(dest="reports_command", required=True)
    listing = commands.add_parser(
        "list", help="every incident: numbers, type, place, consents, status; no free text"
    )
    listing.add_argument("--json", action="store_true", help="print the incidents as JSON")
    listing.add_argument("--status", choices=STATUSES, help="only incidents whose case has it")
    listing.add_argument(
        "--consent", choices=sorted(CONSENT_NAMES), help="only incidents this consent allows"
    )
    listing.add_argument("--category", help="only incidents with this category (e.g. rape)")
    listing.add_argument("--force-area", help="only incidents in this force area (id)")
    listing.add_argument("--from", dest="date_from", type=_date, help="incident date from")
    listing.add_argument("--to", dest="date_to", type=_date, help="incident date up to")
    listing.add_argument(
        "--wants-contact", action="store_true", help="only people who asked to be contacted"
    )
    listing.set_defaults(handler=run_list)
    show = commands.add_parser("show", help="every answer of one report, with its links")
    show.add_argument("number", help="report number, e.g. UM-7K3F-92QH-X4PM")
    show.add_argument(
        "--json",
        action="store_true",
        help="print the report, its incident's resolved consents and its case as JSON",
    )
    show.set_defaults(handler=run_show)
    for command in (listing, show):
        command.add_argument(
            "--aws-bucket",
            metavar="BUCKET",
            help="read the vault in this S3 bucket instead of the local data directory",
        )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """List the incidents with the cycle collector paused: at 10,000 reports the
    summaries are tens of thousands of live dicts, and every full collection the
    table's allocations set off walked them all (a third of the command's time).
    Nothing here makes reference cycles; reference counting frees it all."""
    with cycle_collector_paused():
        return _list(args, settings)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    vault = _vault(args, settings)
    passphrase = read_passphrase(settings)
    keys = _unlock(settings, passphrase)
    case_keys = _case_keys(settings, passphrase)
    if case_keys is None:
        reports = open_vault(vault, keys)
        summaries = [incident.summary() for incident in group_incidents(reports)]
        unreadable = [report for report in reports if report.content is None]
        listing = Listing(summaries, len(reports), unreadable)
    else:
        listing = list_incidents(_index(args, settings, case_keys), vault, keys)
    record_action(settings, "list", [], detail=f"{listing.report_count} reports")
    cases = _cases(settings, case_keys)
    incidents = [
        incident
        for incident in listing.incidents
        if _wanted(incident, cases.get(incident["number"]), args)
    ]
    if args.json:
        rows = [_summary(incident, cases.get(incident["number"])) for incident in incidents]
        print(json.dumps({"incidents": rows}, indent=2, ensure_ascii=True))
        return 0
    console = Console(highlight=False)
    if not listing.report_count:
        console.print(f"No reports in {_vault_name(args, settings)}.", markup=False)
        return 0
    lines = "\n".join(_table(incidents, cases, console.width))
    sys.stdout.write(lines + "\n" if lines else "")
    console.print(f"{len(incidents)} incidents ({listing.report_count} reports).", markup=False)
    for report in listing.unreadable:
        console.print(plain(f"{UNREADABLE} {report.report_number}: {report.problem}"))
    return 0


def _cases(settings: Settings, case_keys: Mapping[str, bytes] | None) -> dict[str, CaseRecord]:
    """Every case record, or none when the key ring has no case key."""
    from uglymugs import composition

    if case_keys is None:
        return {}
    try:
        return Casework(composition.case_store(settings), case_keys).all()
    except CaseError as error:
        raise CommandError(str(error)) from None


def open_casework(settings: Settings, passphrase: str) -> Casework:
    """Case records through the store the settings name, opened with the case keys;
    without a case key, one clear line saying what to run."""
    casework = open_casework_if_keyed(settings, passphrase, required=True)
    assert casework is not None  # noqa: S101 - required: raised instead
    return casework


def open_casework_if_keyed(
    settings: Settings, passphrase: str, *, required: bool = False
) -> Casework | None:
    """:func:`open_casework`, or None (and a note) when the key ring has no case key."""
    from uglymugs import composition

    case_keys = _case_keys(settings, passphrase, required=required)
    return None if case_keys is None else Casework(composition.case_store(settings), case_keys)


def _case_keys(
    settings: Settings, passphrase: str, *, required: bool = False
) -> dict[str, bytes] | None:
    """The case keys, or None (and a note) when the key ring has none; they open case
    records and the report index."""
    try:
        return unlock_case_keys(settings.keys_dir, passphrase)
    except KeysMissingError as error:
        if required:
            raise CommandError(str(error)) from None
        print(f"uglymugs: {error}; every case is shown as new", file=sys.stderr)
        return None
    except KeyStoreError as error:
        raise CommandError(str(error)) from None


def _index(args: argparse.Namespace, settings: Settings, case_keys: Mapping[str, bytes]):
    """The sealed report index of the vault this command reads."""
    path = index_path(settings.data_dir, _with_bucket(args, settings).vault_bucket)
    return SealedIndex(path, case_keys)


def _wanted(incident: Mapping[str, Any], case: CaseRecord | None, args: argparse.Namespace) -> bool:
    """Whether the incident (its :meth:`~uglymugs.reports.incidents.Incident.summary`)
    passes the filters."""
    status = case.status if case else NEW
    consent = args.consent and incident["consents"][CONSENT_NAMES[args.consent]]
    checks = [
        args.status is None or status == args.status,
        args.consent is None or (incident["problem"] is None and consent["allowed"]),
        args.category is None or args.category in incident["categories"],
        args.force_area is None or incident["force_area"] == args.force_area,
        not args.wants_contact or incident["wants_contact"],
        _in_range(incident["incident_date"], args.date_from, args.date_to),
    ]
    return all(checks)


def _in_range(written: str | None, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    try:
        when = date.fromisoformat(written or "")
    except ValueError:
        return False
    return (start is None or when >= start) and (end is None or when <= end)


def _summary(incident: Mapping[str, Any], case: CaseRecord | None) -> dict:
    return {
        **incident,
        "status": case.status if case else NEW,
        "assignee": case.assignee if case else None,
    }


# A resolved consent (its summary) as (given answer, allowed), picked out in C.
_ANSWER_ALLOWED = operator.itemgetter("answer", "allowed")
HEADERS = ("Reports", "Received", "Type", "Who", "When", "Where", "Categories")
HEADERS += ("Consents", "Contact", "Status")


def _table(
    incidents: Sequence[Mapping[str, Any]], cases: Mapping[str, CaseRecord], width: int
) -> Iterator[str]:
    """The incidents (their summaries) as table lines (:mod:`uglymugs.cli.columns`:
    10,000 rows print at once; report numbers are never cut). A list repeats the same
    types, towns, categories and consents, so each distinct cell is made once."""
    safe_cell = _SafeCells().__getitem__
    rows = []
    for incident in incidents:
        case = cases.get(incident["number"])
        status = [case.status, *([case.assignee] if case.assignee else [])] if case else [NEW]
        if incident["problem"] is not None:
            cells = [UNREADABLE, "", "", "", "", "", ""]
        else:
            cells = [
                _type_label(incident["report_type"] or "?"),
                incident["who_reported"] or "?",
                incident["incident_date"] or "",
                "\n".join(filter(None, [incident["force_area"], incident["town"]])),
                ", ".join(incident["categories"]),
                _consents_cell(*map(_ANSWER_ALLOWED, incident["consents"].values())),
                incident["contact_preference"] or "",
            ]
        row = ["\n".join(incident["numbers"]), incident["received_at"][:16], *cells]
        row.append("\n".join(status))
        rows.append(list(map(safe_cell, row)))
    return table_lines(HEADERS, rows, width=width, keep_whole=(0,))


class _SafeCells(dict):
    """Cell text → the same made safe for a terminal, each distinct text done once."""

    def __missing__(self, cell: str) -> str:
        # A line break is the one unsafe character a cell may keep: text with no other
        # (most cells, each a few lines) is returned as it is.
        text = str(cell)
        if unsafe_characters(text.replace("\n", " ")):
            text = for_terminal(text, keep_newlines=True)
        self[cell] = text
        return text


@functools.lru_cache(maxsize=64)
def _type_label(report_type: str) -> str:
    return short_label(report_type_label(report_type))


@functools.lru_cache(maxsize=256)
def _consents_cell(*consents: tuple[str | None, bool]) -> str:
    """The consents column: one line each (given answer, allowed), in CONSENTS' order,
    made once per mix."""
    names = CONSENT_SHORT.values()
    return "\n".join(_consent_cell(n, *c) for n, c in zip(names, consents, strict=True))


def _consent_cell(name: str, given: str | None, allowed: bool) -> str:
    if allowed:
        answer = "yes"
    elif given == "yes":
        answer = "not agreed"
    else:
        answer = given or "-"
    return f"{name}: {answer}"


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    passphrase = passphrase_once(settings)
    number, reports = open_reports_around(args.number, args, settings, passphrase)
    report = reports[number]
    record_action(settings, "read", [number])
    if report.content is None:
        raise CommandError(f"{UNREADABLE} {number}: {report.problem}")
    later = follow_ups(reports.values()).get(number, [])
    if args.json:
        incident = incident_of(number, reports.values())
        casework = open_casework_if_keyed(settings, passphrase())
        case = casework.load(incident.number) if casework and incident else None
        document = {
            **_as_json(report, later),
            "incident": incident.summary() if incident else None,
            "consents": incident.consents.as_dict() if incident else None,
            "case": case.as_dict() if case else None,
        }
        print(json.dumps(document, indent=2, ensure_ascii=True))
    else:
        _print_report(Console(highlight=False), report, reports, later)
    return 0


def open_reports_around(
    typed_number: str,
    args: argparse.Namespace,
    settings: Settings,
    passphrase: Callable[[], str] | None = None,
) -> tuple[str, dict[str, OpenedReport]]:
    """The normalised number and the reports of its incident (the original and its
    follow-ups), opened in memory.

    The sealed report index says which reports those are, so only they are decrypted
    (without a case key, the whole vault is). Fails with one clear line when the
    number is malformed or not in the vault, before asking for the passphrase.
    """
    try:
        number = normalise(typed_number)
    except ReportNumberError as error:
        raise CommandError(str(error)) from None
    vault = _vault(args, settings)
    if vault.get(number) is None:
        raise CommandError(f"there is no report {number} in {_vault_name(args, settings)}")
    passphrase = passphrase or passphrase_once(settings)
    keys = _unlock(settings, passphrase())
    case_keys = _case_keys(settings, passphrase()) if has_case_key(settings.keys_dir) else None
    if case_keys is None:
        return number, {report.report_number: report for report in open_vault(vault, keys)}
    numbers = incident_numbers(number, _index(args, settings, case_keys), vault, keys)
    return number, {n: open_number(vault, n, keys) for n in numbers}


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


def passphrase_once(settings: Settings) -> Callable[[], str]:
    """Asks for the key passphrase the first time it is called, then gives the same one
    (a command that opens reports and case records asks once, and only when needed)."""
    return functools.cache(lambda: read_passphrase(settings))


def _unlock(settings: Settings, passphrase: str) -> dict:
    try:
        return unlock_report_keys(settings.keys_dir, passphrase)
    except KeyStoreError as error:
        raise CommandError(str(error)) from None


def _as_json(report: OpenedReport, later: Sequence[str]) -> dict:
    return {
        **(report.content or {}),
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
