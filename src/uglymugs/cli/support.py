"""``uglymugs support check [PATHS...]``: the local support directory, checked like alerts.

Prints ``path:line: message`` for every problem and exits 1 if there is any, so a pull
request that adds a project or changes its number can be checked before it is merged
(``uglymugs build`` refuses a directory with problems too).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from uglymugs.cli.directory_check import add_check_command, paths_to_check, report
from uglymugs.config import Settings
from uglymugs.support import check_directory

DEFAULT_DIR = Path("support")


def register(subparsers: argparse._SubParsersAction) -> None:
    add_check_command(
        subparsers,
        "support",
        what="local support directory",
        default_dir=DEFAULT_DIR,
        handler=run_check,
    )


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    result = check_directory(paths_to_check(args, DEFAULT_DIR))
    fictional = sum(project.fictional for project in result.projects)
    summary = (
        f"Checked support projects: {len(result.projects)} passed "
        f"({fictional} fictional examples), {len(result.problems)} problem(s)."
    )
    return report(result.problems, summary, ok=result.ok)
