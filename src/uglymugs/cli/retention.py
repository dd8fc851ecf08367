"""``uglymugs retention``: delete what the retention policy says is past its time.

    uglymugs retention [--dry-run]

Prints what it removed (or, with ``--dry-run``, would remove): counts by kind and the
numbers of deleted reports, never content. The policy is the ``retention_*`` settings;
what each default is and why is in ``docs/operations.md``. It sweeps the local data
directory; on AWS the same limits are DynamoDB TTL and S3 lifecycle rules.
"""

from __future__ import annotations

import argparse

from uglymugs import composition
from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.operations.retention import apply_retention

ON_AWS = (
    "this deployment keeps its data in AWS: DynamoDB TTL and S3 lifecycle rules apply the "
    "retention policy there (docs/operations.md); `uglymugs retention` sweeps a local "
    "data directory"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "retention", help="delete what the retention policy says is past its time"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="count what would be removed; delete nothing"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.vault_bucket or settings.members_table or settings.sessions_table:
        raise CommandError(ON_AWS)
    result = apply_retention(settings, composition.retention_holds(settings), dry_run=args.dry_run)
    for line in result.lines():
        print(line)
    return 0
