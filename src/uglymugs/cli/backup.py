"""``uglymugs backup`` and ``uglymugs restore``: sealed backups of the local data directory.

    uglymugs backup FILE            (while the scheme runs; no passphrase needed)
    uglymugs backup verify FILE     (asks for the key passphrase)
    uglymugs restore FILE [--force] (asks for the key passphrase)

What a backup holds and why is in :mod:`uglymugs.operations.backup` and
``docs/operations.md``. The keys are backed up apart: ``uglymugs keys export FILE``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from uglymugs.cli import CommandError
from uglymugs.cli.keys import read_passphrase
from uglymugs.config import Settings
from uglymugs.crypto.keys import KeyStoreError, WrongPassphraseError

_VERIFY = "verify"


class _AnyWord(Mapping[str, argparse.ArgumentParser]):
    """The sub-commands, as choices that let any first word through (a file name)."""

    def __init__(self, parsers: dict[str, argparse.ArgumentParser]) -> None:
        self._parsers = parsers

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        return self._parsers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsers)

    def __len__(self) -> int:
        return len(self._parsers)

    def __contains__(self, word: object) -> bool:
        return True


class _FileOrCommand(argparse._SubParsersAction):
    """``backup FILE`` and ``backup verify FILE`` on one parser: a first word that is
    not a sub-command is the file to write."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse checks a first word against the choices before calling the action
        # argparse types choices as an iterable of names; a mapping serves as one here.
        self.choices = _AnyWord(self._name_parser_map)  # pyright: ignore[reportAttributeAccessIssue]

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        words: Sequence[str] = values
        if words and words[0] not in self._name_parser_map:
            if len(words) > 1:
                parser.error(f"unrecognized arguments: {' '.join(words[1:])}")
            namespace.file = Path(words[0])
            return
        super().__call__(parser, namespace, values, option_string)


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write a sealed, consistent backup of the data directory to FILE",
        usage="uglymugs backup FILE | uglymugs backup verify FILE",
    )
    backup.set_defaults(handler=run_backup, file=None)
    commands = backup.add_subparsers(
        dest="backup_command", action=_FileOrCommand, metavar="FILE | verify FILE"
    )
    verify = commands.add_parser(
        _VERIFY,
        prog="uglymugs backup verify",
        help="decrypt a backup and check every file's digest",
    )
    verify.add_argument("file", type=Path, help="a file written by `uglymugs backup`")
    verify.set_defaults(handler=run_verify)
    restore = subparsers.add_parser("restore", help="restore a backup into the data directory")
    restore.add_argument("file", type=Path, help="a file written by `uglymugs backup`")
    restore.add_argument(
        "--force",
        action="store_true",
        help="restore over a data directory that holds state (it is moved aside first)",
    )
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.operations.backup import BackupError, create_backup

    if args.file is None:
        raise CommandError("name the file to write: uglymugs backup FILE")
    try:
        summary = create_backup(settings, args.file)
    except (BackupError, KeyStoreError) as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write {args.file}: {error.strerror}") from None
    for line in summary.lines():
        print(line)
    return 0


def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.operations.restore import verify_backup

    verified = _opening(
        args.file, settings, lambda phrase: verify_backup(args.file, settings, phrase)
    )
    for line in verified.lines():
        print(line)
    return 0


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.operations.restore import RestoreRefusedError, restore_backup

    def restore(passphrase: str) -> Any:
        return restore_backup(args.file, settings, passphrase, force=args.force)

    try:
        restored = _opening(args.file, settings, restore)
    except RestoreRefusedError as error:
        raise CommandError(str(error)) from None
    for line in restored.lines():
        print(line)
    if restored.ledger.needs_human:
        print("uglymugs restore: the restored ledger and vault disagree; see above.")
        return 1
    return 0


def _opening(path: Path, settings: Settings, action: Any) -> Any:
    """Run ``action(passphrase)``, turning every way a backup fails to open into one line."""
    from uglymugs.operations.sealed_stream import BackupFormatError, DamagedBackupError

    if not path.is_file():
        raise CommandError(f"{path} is not a file")
    try:
        return action(read_passphrase(settings))
    except WrongPassphraseError:
        raise CommandError("wrong passphrase: it does not open the report keys") from None
    except (KeyStoreError, BackupFormatError, DamagedBackupError) as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
