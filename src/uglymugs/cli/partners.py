"""``uglymugs partners check [PATHS...]``: the partner directory, checked like alerts.

Prints ``path:line: message`` for every problem and exits 1 if there is any, so a
pull request that changes a partner's key or areas can be checked before it is merged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.safe_text import for_terminal
from uglymugs.sharing.partners import check_partners

DEFAULT_DIR = Path("partners")


def register(subparsers: argparse._SubParsersAction) -> None:
    partners = subparsers.add_parser(
        "partners", help="check the partner directory (partners/*.yaml)"
    )
    commands = partners.add_subparsers(dest="partners_command", required=True)
    check = commands.add_parser("check", help="check partner files (partners/*.yaml)")
    check.add_argument(
        "paths", nargs="*", type=Path, help=f"partner files or directories (default {DEFAULT_DIR})"
    )
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [DEFAULT_DIR]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise CommandError(f"no such file or directory: {', '.join(missing)}")
    result = check_partners(paths)
    for problem in result.problems:
        print(for_terminal(str(problem)))
    fictional = sum(partner.fictional for partner in result.partners.values())
    print(
        f"Checked partners: {len(result.partners)} passed ({fictional} fictional examples), "
        f"{len(result.problems)} problem(s)."
    )
    return 0 if result.ok else 1
