"""The command loads only what the command being run needs, and says what is wrong in
one line."""

import subprocess
import sys

import pytest

from uglymugs.cli import COMMANDS, build_parser, main


def registered_help(command: str) -> str:
    parser = build_parser(command)
    (action,) = parser._subparsers._group_actions
    return next(choice.help for choice in action._choices_actions if choice.dest == command)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_listing_says_what_each_module_registers(command):
    assert registered_help(command) == COMMANDS[command][1]


def imported_after(*argv: str) -> set[str]:
    code = (
        "import sys\nfrom uglymugs.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_help_imports_no_command_and_no_heavy_library():
    loaded = imported_after("--help")
    assert not {name for name in loaded if name.startswith("uglymugs.cli.")}
    assert not loaded & {"rich", "pydantic", "pydantic_settings", "uvicorn", "starlette", "nacl"}


def test_a_command_imports_its_own_module_only(tmp_path):
    loaded = imported_after("keys", "show", "--help")
    assert {name for name in loaded if name.startswith("uglymugs.cli.")} == {"uglymugs.cli.keys"}
    assert not loaded & {"uvicorn", "pelican", "boto3"}


def test_a_malformed_setting_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("UGLYMUGS_NOTIFY_CONCURRENCY", "many")
    assert main(["keys", "show"]) == 1
    assert capsys.readouterr().err.startswith("uglymugs: $UGLYMUGS_NOTIFY_CONCURRENCY: ")
