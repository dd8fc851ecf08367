"""``uglymugs links [--json] [--alerts DIR] [--evaluate FILE]``: may these be one offender?

Reads the vault like ``uglymugs reports list`` (passphrase from
``UGLYMUGS_KEY_PASSPHRASE`` or asked), decrypts in memory only and writes nothing.
Every link is a suggestion for a caseworker to check, with its reasons
(:mod:`uglymugs.cases.links`): between incidents, and between an incident and a
published alert in ``site/alerts``. Pairs a caseworker dismissed (in the case
records) are not suggested again; confirmed ones are marked and form series.

``--evaluate FILE`` scores the links of a labelled, fictional evaluation set instead
of the vault (``docs/links.md``): precision and recall at the tool's threshold and at
top-k, average precision, ROC AUC and the share of each series connected.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from uglymugs.cases.links import THRESHOLD, Link, published_alerts, series, suggest_links
from uglymugs.cli import CommandError
from uglymugs.config import Settings, repository_root
from uglymugs.safe_text import for_terminal

HELP = "incidents (and published alerts) that may be the same offender, with reasons"
ALERT = "alert "


def register(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser("links", help=HELP)
    command.add_argument("--json", action="store_true", help="print one JSON object")
    command.add_argument(
        "--alerts", type=Path, help="alert files to compare with (default: site/alerts)"
    )
    command.add_argument(
        "--evaluate", type=Path, metavar="FILE", help="score a labelled evaluation set instead"
    )
    command.set_defaults(handler=run_links)


def run_links(args: argparse.Namespace, settings: Settings) -> int:
    if args.evaluate is not None:
        return _evaluate(args.evaluate, args.json)
    from uglymugs import composition
    from uglymugs.cases.records import link_decisions, linked_by_hand
    from uglymugs.cli.keys import read_passphrase
    from uglymugs.cli.reports import open_casework_if_keyed
    from uglymugs.crypto.keys import KeyStoreError, unlock_report_keys
    from uglymugs.reports.incidents import group_incidents
    from uglymugs.reports.reading import open_vault

    passphrase = read_passphrase(settings)
    try:
        keys = unlock_report_keys(settings.keys_dir, passphrase)
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    decisions, by_hand = {}, {}
    if settings.cases_table or settings.state_db.exists():  # never create a store to read
        casework = open_casework_if_keyed(settings, passphrase)
        records = casework.all() if casework is not None else {}
        decisions, by_hand = link_decisions(records), linked_by_hand(records)
    alerts_dir = args.alerts or repository_root() / "site" / "alerts"
    reports = open_vault(composition.report_vault(settings), keys)
    incidents = group_incidents(reports)
    links = suggest_links(incidents, published_alerts(alerts_dir), decisions, by_hand=by_hand)
    _print(links, args.json)
    return 0


def _print(links: list[Link], as_json: bool) -> None:
    between = [link for link in links if not link.a.startswith(ALERT)]
    with_alerts = [link for link in links if link.a.startswith(ALERT)]
    if as_json:
        document = {
            "threshold": THRESHOLD,
            "links": [link.as_dict() for link in between],
            "alert_links": [
                {
                    "incident": link.b,
                    "alert": link.a.removeprefix(ALERT),
                    "score": link.score,
                    "reasons": list(link.reasons),
                }
                for link in with_alerts
            ],
            "series": series(between),
        }
        print(json.dumps(document, ensure_ascii=True))
        return
    for link in links:
        mark = " confirmed" if link.confirmed else ""
        line = f"{link.score:.2f}{mark}  {link.a}  {link.b}  {'; '.join(link.reasons)}"
        print(for_terminal(line))
    likely = sum(link.score >= THRESHOLD for link in links)
    print(f"{len(links)} suggested links, {likely} at or above {THRESHOLD}.")


def _evaluate(path: Path, as_json: bool) -> int:
    from uglymugs.cases.evaluation import EvaluationSetError, evaluate, load_set
    from uglymugs.reports.incidents import group_incidents

    try:
        reports, truth = load_set(path)
    except EvaluationSetError as error:
        raise CommandError(str(error)) from None
    incidents = group_incidents(reports)
    links = suggest_links(incidents)
    figures = evaluate(links, truth, [incident.number for incident in incidents])
    if as_json:
        print(json.dumps(figures, ensure_ascii=True))
        return 0
    for name, value in figures.items():
        print(for_terminal(f"{name}: {value}"))
    return 0
