"""The README's command table lists exactly the commands ``uglymugs`` has."""

import argparse
import re
from pathlib import Path

from uglymugs.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"


def real_commands() -> set[str]:
    commands = set()
    for action in build_parser()._subparsers._group_actions:
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
            if nested:
                commands |= {f"{name} {child}" for child in nested[0].choices}
            if not nested or sub.get_default("handler") is not None:
                commands.add(name)  # a command that runs on its own, too
    return commands


def documented_commands() -> set[str]:
    rows = re.findall(r"^\| `uglymugs ([a-z0-9 -]+?)(?: \[| [A-Z]|`)", README.read_text(), re.M)
    return {row.strip() for row in rows}


def test_every_command_is_in_the_readme_and_nothing_else():
    assert documented_commands() == real_commands()


def test_the_two_commands_are_in_the_quick_start():
    text = README.read_text()
    assert "make dev" in text and "make test" in text
