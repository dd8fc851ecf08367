"""The shape shared by ``partners check`` and ``support check``: a ``check`` subcommand
over staff-kept YAML files (:mod:`uglymugs.yaml_directory`) that prints
``path:line: message`` for every problem, then one summary line, and exits 1 if there
is any problem, so a pull request can be checked before it is merged."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.safe_text import for_terminal

Handler = Callable[[argparse.Namespace, Settings], int]


def add_check_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    *,
    what: str,
    default_dir: Path,
    handler: Handler,
) -> None:
    """``uglymugs NAME check [PATHS...]``, ``what`` naming the files in the help."""
    group = subparsers.add_parser(name, help=f"check the {what} ({default_dir}/*.yaml)")
    commands = group.add_subparsers(dest=f"{name}_command", required=True)
    check = commands.add_parser("check", help=f"check {what} files ({default_dir}/*.yaml)")
    check.add_argument(
        "paths", nargs="*", type=Path, help=f"files or directories (default {default_dir})"
    )
    check.set_defaults(handler=handler)


def paths_to_check(args: argparse.Namespace, default_dir: Path) -> list[Path]:
    """The paths named (or the default directory); one clear line if any is missing."""
    paths = args.paths or [default_dir]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise CommandError(f"no such file or directory: {', '.join(missing)}")
    return paths


def report(problems: Iterable[object], summary: str, *, ok: bool) -> int:
    """Print each problem (escaped for the terminal) and the summary; the exit code."""
    for problem in problems:
        print(for_terminal(str(problem)))
    print(summary)
    return 0 if ok else 1
