"""``uglymugs partners check [PATHS...]``: the partner directory, checked like alerts.

Prints ``path:line: message`` for every problem and exits 1 if there is any, so a
pull request that changes a partner's key or areas can be checked before it is merged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from uglymugs.cli.directory_check import add_check_command, paths_to_check, report
from uglymugs.config import Settings
from uglymugs.sharing.partners import check_partners

DEFAULT_DIR = Path("partners")


def register(subparsers: argparse._SubParsersAction) -> None:
    add_check_command(
        subparsers,
        "partners",
        what="partner directory",
        default_dir=DEFAULT_DIR,
        handler=run_check,
    )


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    result = check_partners(paths_to_check(args, DEFAULT_DIR))
    fictional = sum(partner.fictional for partner in result.partners.values())
    summary = (
        f"Checked partners: {len(result.partners)} passed ({fictional} fictional examples), "
        f"{len(result.problems)} problem(s)."
    )
    return report(result.problems, summary, ok=result.ok)
