"""``uglymugs survey``: run the member survey's rounds and read what members answered.

    uglymugs survey open ROUND --closes DATE
    uglymugs survey close ROUND
    uglymugs survey list
    uglymugs survey results ROUND [--json]
    uglymugs survey comments ROUND

A round is open in the member area until the end of its closing day (UTC); one round
is open at a time. ``results`` prints what funders may see (small counts hidden,
``docs/survey.md``); ``comments`` prints the free comments, which are for staff only,
each line escaped for the terminal, and is recorded in the audit log. Opening and
closing are audited too. The store is the one the environment names
(``$UGLYMUGS_SURVEY_TABLE``), else the data directory's.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime

from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.members.survey import QUESTIONS, SurveyStore, UnknownRoundError
from uglymugs.safe_text import for_terminal


def register(subparsers: argparse._SubParsersAction) -> None:
    survey = subparsers.add_parser(
        "survey", help="the member survey: open and close rounds, results, comments"
    )
    commands = survey.add_subparsers(dest="survey_command", required=True)
    opening = commands.add_parser("open", help="open a round in the member area until DATE")
    opening.add_argument("round", help="a short id, e.g. 2026-autumn")
    opening.add_argument(
        "--closes", required=True, type=_date, help="last day answers are taken (YYYY-MM-DD, UTC)"
    )
    opening.set_defaults(handler=run_open)
    closing = commands.add_parser("close", help="stop taking answers for a round now")
    closing.add_argument("round")
    closing.set_defaults(handler=run_close)
    commands.add_parser("list", help="every round: closing day, open or not").set_defaults(
        handler=run_list
    )
    results = commands.add_parser(
        "results", help="a round's figures: percentages, 95%% intervals, small counts hidden"
    )
    results.add_argument("round")
    results.add_argument("--json", action="store_true", help="print the figures as JSON")
    results.set_defaults(handler=run_results)
    comments = commands.add_parser("comments", help="a round's free comments (staff only)")
    comments.add_argument("round")
    comments.set_defaults(handler=run_comments)


def run_open(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.cli.audit import record_action
    from uglymugs.members.survey_rounds import RoundError, open_round

    try:
        opened = open_round(_store(settings), args.round, args.closes, _today())
    except RoundError as error:
        raise CommandError(str(error)) from None
    record_action(settings, "survey", [opened.id], f"opened, closes {opened.closes}")
    print(f"survey round {opened.id} is open in the member area until the end of {opened.closes}")
    return 0


def run_close(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.cli.audit import record_action
    from uglymugs.members.survey_rounds import close_round

    try:
        closed = close_round(_store(settings), args.round)
    except UnknownRoundError:
        raise CommandError(f"there is no survey round {for_terminal(args.round)}") from None
    record_action(settings, "survey", [closed.id], "closed")
    print(f"survey round {closed.id} is closed")
    return 0


def run_list(_args: argparse.Namespace, settings: Settings) -> int:
    today = _today()
    rounds = sorted(_store(settings).rounds(), key=lambda r: (r.closes, r.id))
    if not rounds:
        print("no survey rounds yet: uglymugs survey open ROUND --closes DATE")
    for survey_round in rounds:
        state = "open" if survey_round.is_open(today) else "closed"
        print(f"{survey_round.id}\tcloses {survey_round.closes}\t{state}")
    return 0


def run_results(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.members.survey_figures import round_figures

    store = _store(settings)
    survey_round = _round(store, args.round)
    figures = round_figures(
        survey_round, store.responses(survey_round.id), settings.figures_suppressed_below
    )
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(_results_text(figures, settings.figures_suppressed_below))
    return 0


def run_comments(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.cli.audit import record_action

    store = _store(settings)
    survey_round = _round(store, args.round)
    comments = [r.comment for r in store.responses(survey_round.id) if r.comment]
    record_action(settings, "survey", [survey_round.id], "comments read")
    print(f"{len(comments)} comments in survey round {survey_round.id} (staff only):")
    for comment in comments:
        print("- " + for_terminal(comment).replace("\\n", "\n  "))
    return 0


def _results_text(figures: dict, suppressed_below: int) -> str:
    if figures["questions"] is None:
        shown = figures["answers"]
        count = "fewer than " + str(suppressed_below) if shown is None else str(shown)
        return f"survey round {figures['round']}: {count} answers; no figures are shown"
    lines = [f"survey round {figures['round']}: {figures['answers']} answers"]
    for question in QUESTIONS:
        lines.append(f"{question}:")
        for answer, choice in figures["questions"][question]["choices"].items():
            if choice["count"] is None:
                lines.append(f"  {answer}: hidden (small count)")
                continue
            low, high = choice["ci95"]
            lines.append(
                f"  {answer}: {choice['count']} ({choice['percent']}%, 95% CI {low}–{high}%)"
            )
    comments = figures["comments"]
    lines.append(f"comments: {'hidden (small count)' if comments is None else comments}")
    return "\n".join(lines)


def _round(store: SurveyStore, round_id: str):
    found = store.round(round_id)
    if found is None:
        raise CommandError(f"there is no survey round {for_terminal(round_id)}")
    return found


def _store(settings: Settings) -> SurveyStore:
    from uglymugs import composition

    return composition.survey_store(settings)


def _today() -> date:
    return datetime.now(UTC).date()


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date as YYYY-MM-DD") from None
