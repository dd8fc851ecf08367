"""``uglymugs support check [PATHS...]``: the local support directory, checked like alerts.

Prints ``path:line: message`` for every problem and exits 1 if there is any, so a pull
request that adds a project or changes its number can be checked before it is merged
(``uglymugs build`` refuses a directory with problems too).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.safe_text import for_terminal
from uglymugs.support import check_directory

DEFAULT_DIR = Path("support")


def register(subparsers: argparse._SubParsersAction) -> None:
    support = subparsers.add_parser(
        "support", help="check the local support directory (support/*.yaml)"
    )
    commands = support.add_subparsers(dest="support_command", required=True)
    check = commands.add_parser("check", help="check support directory files (support/*.yaml)")
    check.add_argument(
        "paths", nargs="*", type=Path, help=f"files or directories (default {DEFAULT_DIR})"
    )
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [DEFAULT_DIR]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise CommandError(f"no such file or directory: {', '.join(missing)}")
    result = check_directory(paths)
    for problem in result.problems:
        print(for_terminal(str(problem)))
    fictional = sum(project.fictional for project in result.projects)
    print(
        f"Checked support projects: {len(result.projects)} passed "
        f"({fictional} fictional examples), {len(result.problems)} problem(s)."
    )
    return 0 if result.ok else 1
