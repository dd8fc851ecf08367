"""``uglymugs doctor``: check the local data directory and clear what crashes left.

    uglymugs doctor

Prints what it found and fixed (counts and report numbers, never content) and exits 1
when something needs a person: a damaged database, an unreadable vault file, or a
claim whose report is not in the vault. ``uglymugs dev`` runs the same check first.
"""

from __future__ import annotations

import argparse

from uglymugs.config import Settings
from uglymugs.operations.doctor import run_doctor

NEEDS_HUMAN = "uglymugs doctor: something above needs a person to look at it."


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check databases, ledger against vault; remove leftover temporary files"
    )
    parser.set_defaults(handler=run)


def check_and_print(settings: Settings) -> bool:
    """Run the doctor, print its findings; True when all is well."""
    report = run_doctor(settings)
    for line in report.lines():
        print(line)
    if report.needs_human:
        print(NEEDS_HUMAN)
    return not report.needs_human


def run(args: argparse.Namespace, settings: Settings) -> int:
    return 0 if check_and_print(settings) else 1
