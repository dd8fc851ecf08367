"""``uglymugs keys``: create the scheme's keys, show their public halves, rotate.

The passphrase comes from ``$UGLYMUGS_KEY_PASSPHRASE`` or a prompt that does not
echo; it is never printed. Without it no report can ever be read again. ``init`` and
``rotate`` refuse a weak one (:mod:`uglymugs.crypto.passphrases`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import warnings
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.crypto.keys import (
    KeyStoreError,
    create_keys,
    export_for_publishing,
    export_keys,
    import_for_publishing,
    import_keys,
    load_public_keys,
    rotate_report_key,
)
from uglymugs.private_files import write_new_file

NO_TERMINAL = (
    "no terminal to ask for the key passphrase: "
    "set UGLYMUGS_KEY_PASSPHRASE, or run this at a terminal"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help="the report key and the bundle key")
    commands = keys.add_subparsers(dest="keys_command", required=True)
    init = commands.add_parser("init", help="create the report key and the bundle key")
    init.set_defaults(handler=run_init)
    show = commands.add_parser("show", help="print the public keys as /keys.json")
    show.set_defaults(handler=run_show)
    rotate = commands.add_parser(
        "rotate", help="add a new report key; older ones still open older reports"
    )
    rotate.set_defaults(handler=run_rotate)
    export = commands.add_parser(
        "export-for-publishing",
        help="print the keys the publish job needs (bundle key; report keys public only)",
    )
    export.set_defaults(handler=run_export)
    import_ = commands.add_parser(
        "import-for-publishing", help="write keys exported for publishing into the keys dir"
    )
    import_.add_argument("file", type=argparse.FileType("rb"), help="the export ('-' for stdin)")
    import_.set_defaults(handler=run_import)
    case = commands.add_parser(
        "add-case-key",
        help="add a case key to a key ring made before case records existed (or a new one)",
    )
    case.set_defaults(handler=run_add_case_key)
    backup = commands.add_parser(
        "export", help="write every key, private halves still passphrase-sealed, to FILE"
    )
    backup.add_argument("file", type=Path, help="a new file (never overwritten)")
    backup.set_defaults(handler=run_backup_export)
    restore = commands.add_parser("import", help="put the keys of `keys export` back")
    restore.add_argument("file", type=Path, help="a file written by `uglymugs keys export`")
    restore.set_defaults(handler=run_backup_import)


def read_passphrase(settings: Settings, *, confirm: bool = False) -> str:
    """The key passphrase from the settings (``$UGLYMUGS_KEY_PASSPHRASE``), else from a
    silent prompt."""
    passphrase = settings.passphrase
    if passphrase:
        return passphrase
    passphrase = _ask("Key passphrase: ")
    if confirm and _ask("Same passphrase again: ") != passphrase:
        raise CommandError("the two passphrases differ; nothing was created")
    if not passphrase:
        raise CommandError("the passphrase must not be empty")
    return passphrase


def _ask(prompt: str) -> str:
    """A silent prompt at the terminal; one clear line, not a traceback, without one.

    With no terminal (a cron job, a CI step, a pipe) ``getpass`` would warn that it
    may echo, read the closed standard input and raise ``EOFError``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except (EOFError, getpass.GetPassWarning):
            raise CommandError(NO_TERMINAL) from None


def strong_passphrase(settings: Settings, *, confirm: bool = False) -> str:
    """:func:`read_passphrase`, refused with one line unless it is strong enough to seal keys."""
    from uglymugs.crypto.passphrases import check_strength

    passphrase = read_passphrase(settings, confirm=confirm)
    check_strength(passphrase)
    return passphrase


def run_init(args: argparse.Namespace, settings: Settings) -> int:
    try:
        public = create_keys(settings.keys_dir, strong_passphrase(settings, confirm=True))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    print(f"Created report key {public.report_key_id}, bundle key {public.bundle_key_id}")
    print(f"and a case key (for case records) in {settings.keys_dir}.")
    print("Keep the passphrase safe: without it no report sealed to these keys can be read.")
    print("Publish the public keys with: uglymugs keys show > keys.json")
    return 0


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    try:
        document = load_public_keys(settings.keys_dir).as_document()
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    print(json.dumps(document, indent=2))
    return 0


def run_rotate(args: argparse.Namespace, settings: Settings) -> int:
    try:
        public = rotate_report_key(settings.keys_dir, strong_passphrase(settings))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    older = ", ".join(key_id for key_id in public.report_ring if key_id != public.report_key_id)
    print(f"New current report key {public.report_key_id}; still opening reports: {older}.")
    print("A new case key seals case records from now on; older ones still open theirs.")
    print("Publish it (uglymugs keys show > keys.json) and give the report function the new ring.")
    return 0


def run_add_case_key(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.crypto.keys import add_case_key

    try:
        key_id = add_case_key(settings.keys_dir, read_passphrase(settings))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    print(f"Added case key {key_id} in {settings.keys_dir}, under the key ring's passphrase.")
    return 0


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    try:
        sys.stdout.buffer.write(export_for_publishing(settings.keys_dir))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        key_ids = import_for_publishing(args.file.read(), settings.keys_dir)
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    print(f"Imported {', '.join(key_ids)} into {settings.keys_dir}.")
    return 0


def run_backup_export(args: argparse.Namespace, settings: Settings) -> int:
    try:
        export = export_keys(settings.keys_dir, read_passphrase(settings))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    if not write_new_file(args.file, export):
        raise CommandError(f"{args.file} already exists; choose a new name")
    print(f"Wrote every key to {args.file}: the private halves are sealed under the key")
    print("passphrase, as in the keys directory. Keep it apart from the data backups.")
    return 0


def run_backup_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        key_ids = import_keys(args.file.read_bytes(), settings.keys_dir, read_passphrase(settings))
    except OSError as error:
        raise CommandError(f"cannot read {args.file}: {error.strerror}") from None
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    print(f"Imported {', '.join(key_ids) or 'nothing new'} into {settings.keys_dir}.")
    return 0
