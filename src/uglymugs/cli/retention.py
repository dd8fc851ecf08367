"""``uglymugs retention``: delete what the retention policy says is past its time.

    uglymugs retention [--dry-run]

Prints what it removed (or, with ``--dry-run``, would remove): counts by kind and the
numbers of deleted reports, never content. The policy is the ``retention_*`` settings;
what each default is and why is in ``docs/operations.md``. Reports and rejected
applications are swept through their ports, so against a deployment (``eval "$(uglymugs
aws env)"``) it sweeps the vault bucket and the members table; sessions, links,
counters, claims and ledger rows are the local database's here and DynamoDB TTL's there.
"""

from __future__ import annotations

import argparse

from uglymugs import composition
from uglymugs.config import Settings
from uglymugs.operations.retention import apply_retention


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "retention", help="delete what the retention policy says is past its time"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="count what would be removed; delete nothing"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    on_aws = bool(settings.vault_bucket or settings.members_table)
    result = apply_retention(
        settings,
        composition.report_vault(settings),
        composition.member_directory(settings),
        composition.retention_holds(settings),
        local_rows=not on_aws,
        dry_run=args.dry_run,
    )
    for line in result.lines():
        print(line)
    if on_aws:
        print("sessions, links, counters, claims and ledger rows: DynamoDB TTL removes them")
    return 0
