"""``uglymugs retention``: delete what the retention policy says is past its time.

    uglymugs retention [--dry-run] [--without-keys]

Prints what it removed (or, with ``--dry-run``, would remove): counts by kind and the
numbers of deleted reports, never content. The policy is the ``retention_*`` settings;
what each default is and why is in ``docs/operations.md``. Reports and rejected
applications are swept through their ports, so against a deployment (``eval "$(uglymugs
aws env)"``) it sweeps the vault bucket and the members table; sessions, links,
counters, claims and ledger rows are the local database's here and DynamoDB TTL's there.

A report past its years is kept while it has a case record, was shared with a
partner, or is due to be shared (:mod:`uglymugs.sharing.holds`). Finding what is due
opens the reports, so when some report is past its years the command asks for the key
passphrase; ``--without-keys`` does not, and says that reports due to be shared were
not looked for.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from uglymugs import composition
from uglymugs.config import Settings
from uglymugs.operations.retention import apply_retention

if TYPE_CHECKING:
    from uglymugs.reports.incidents import Incident


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "retention", help="delete what the retention policy says is past its time"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="count what would be removed; delete nothing"
    )
    parser.add_argument(
        "--without-keys",
        action="store_true",
        help="do not open the reports: reports due to be shared are not looked for",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    on_aws = bool(settings.vault_bucket or settings.members_table)
    result = apply_retention(
        settings,
        composition.report_vault(settings),
        composition.member_directory(settings),
        composition.retention_holds(
            settings, None if args.without_keys else _opened_incidents(settings)
        ),
        local_rows=not on_aws,
        dry_run=args.dry_run,
    )
    for line in result.lines():
        print(line)
    if args.without_keys and result.reports:
        print("reports due to be shared were not looked for (--without-keys)")
    if on_aws:
        print("sessions, links, counters, claims and ledger rows: DynamoDB TTL removes them")
    return 0


def _opened_incidents(settings: Settings) -> Callable[[], list[Incident]]:
    """Every incident, opened in memory when first asked (the passphrase asked then)."""

    def opened() -> list[Incident]:
        from uglymugs.cli import CommandError
        from uglymugs.cli.keys import read_passphrase
        from uglymugs.crypto import KeyStoreError, unlock_report_keys
        from uglymugs.reports.incidents import group_incidents
        from uglymugs.reports.reading import open_vault

        try:
            keys = unlock_report_keys(settings.keys_dir, read_passphrase(settings))
        except KeyStoreError as error:
            raise CommandError(f"{error} (or use --without-keys)") from None
        return group_incidents(open_vault(composition.report_vault(settings), keys))

    return opened
