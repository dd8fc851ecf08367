"""``uglymugs publish``: check the alerts, build the site, sign and shelve the bundles.

CI runs it after a merge; staff can run it locally against the data directory's shelf.

    uglymugs publish [--alerts DIR] [--target local|aws] [--bucket NAME] [--no-site]
                     [--no-notify] [--notify-function NAME]

The bundle key's passphrase comes from ``$UGLYMUGS_KEY_PASSPHRASE`` or a prompt.
``--target aws`` writes to the private bucket ``--bucket`` or
``$UGLYMUGS_BUNDLE_BUCKET``, encrypted under ``$UGLYMUGS_BUNDLE_KMS_KEY_ID`` if set.
Publishing the same alerts twice does nothing the second time.

Then members are told: locally notify runs in this process (``uglymugs notify``, to
the outbox unless the environment names SES/SNS); with ``--target aws`` the notify
function (``--notify-function`` or ``$UGLYMUGS_NOTIFY_FUNCTION``) is invoked
asynchronously with the new sequence. ``--no-notify`` skips that step; notify catches
up on the next run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from uglymugs.alerts.shelf import BundleShelf
from uglymugs.cli import CommandError
from uglymugs.cli.keys import read_passphrase
from uglymugs.cli.terminal import plain
from uglymugs.config import Settings, repository_root

BUNDLE_BUCKET_VARIABLE = "UGLYMUGS_BUNDLE_BUCKET"
NOTIFY_FUNCTION_VARIABLE = "UGLYMUGS_NOTIFY_FUNCTION"
# Alerts expire by the scheme's calendar, not UTC's.
SCHEME_TIMEZONE = ZoneInfo("Europe/London")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="check the alerts, build the site, sign and store the alert bundles",
        description=(__doc__ or "").splitlines()[0],
    )
    parser.add_argument(
        "--alerts",
        type=Path,
        default=None,
        metavar="DIR",
        help="the alert files (default: site/alerts of this checkout)",
    )
    parser.add_argument(
        "--target",
        choices=("local", "aws"),
        default="local",
        help="where the bundles go: the data directory's shelf/ (default) or an S3 bucket",
    )
    parser.add_argument(
        "--bucket",
        help=f"the private S3 bucket for --target aws (default: ${BUNDLE_BUCKET_VARIABLE})",
    )
    parser.add_argument(
        "--no-site", action="store_true", help="publish the bundles without building the site"
    )
    parser.add_argument(
        "--no-notify", action="store_true", help="publish without sending alerts to members"
    )
    parser.add_argument(
        "--notify-function",
        metavar="NAME",
        help=f"the notify Lambda for --target aws (default: ${NOTIFY_FUNCTION_VARIABLE})",
    )
    parser.set_defaults(handler=run_publish)


def bundle_shelf(target: str, settings: Settings, bucket: str | None) -> BundleShelf:
    """The shelf the command writes to: the local one, or on AWS the bucket given."""
    from uglymugs import composition

    if target == "aws":
        bucket = bucket or settings.bundle_bucket
        if not bucket:
            raise CommandError(f"--target aws needs --bucket or ${BUNDLE_BUCKET_VARIABLE}")
        return composition.bundle_shelf(settings, bucket)
    return composition.bundle_shelf(settings.model_copy(update={"bundle_bucket": None}))


def describe_problem(problem: object) -> str:
    """``path:line: severity [code] message`` from the check's problem, as far as it has them."""
    message = getattr(problem, "message", None)
    if message is None:
        return f"- {problem}"
    place = ":".join(
        str(part)
        for part in (getattr(problem, "path", None), getattr(problem, "line", None))
        if part
    )
    severity = getattr(problem, "severity", "error")
    code = getattr(problem, "code", None)
    return f"{place + ': ' if place else ''}{severity}{f' [{code}]' if code else ''}: {message}"


def run_publish(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.crypto.keys import KeyStoreError, load_public_keys, unlock_bundle_key
    from uglymugs.publishing import PublishBlockedError, publish
    from uglymugs.website.build import SiteBuildError

    console = Console(highlight=False)
    shelf = bundle_shelf(args.target, settings, args.bucket)
    try:
        key_id = load_public_keys(settings.keys_dir).bundle_key_id
        signing_key = unlock_bundle_key(settings.keys_dir, read_passphrase(settings))
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    now = datetime.now(UTC)
    try:
        result = publish(
            settings,
            alerts_dir=args.alerts or repository_root() / "site" / "alerts",
            shelf=shelf,
            signing_key=signing_key,
            key_id=key_id,
            today=now.astimezone(SCHEME_TIMEZONE).date(),
            now=now,
            build_public_site=not args.no_site,
        )
    except PublishBlockedError as error:
        errors = Console(stderr=True, highlight=False)
        for problem in error.problems:
            errors.print(plain(describe_problem(problem)), soft_wrap=True)
        raise CommandError(str(error)) from None
    except SiteBuildError as error:
        raise CommandError(str(error)) from None

    accepted = len(result.warnings)
    if accepted:
        console.print(f"{accepted} warning(s) accepted by reviewers.", markup=False)
    if result.site_output is not None:
        console.print(f"Built the public site in {result.site_output}", markup=False)
    if not result.published:
        console.print(
            f"Nothing new: sequence {result.previous_sequence} is still current "
            f"({result.current_alerts} current alerts).",
            markup=False,
        )
        return 0
    changes = result.changes
    table = Table("Change", "Alerts", title=f"Published sequence {result.sequence}")
    for label, numbers in (
        ("new", changes.new),
        ("corrected", changes.corrected),
        ("withdrawn", changes.withdrawn),
        ("expired", changes.expired),
    ):
        table.add_row(label, plain(", ".join(numbers) or "—"))
    console.print(table)
    audit_publish(settings, result.sequence, changes)
    console.print(
        f"{result.current_alerts} current alerts; {len(result.files)} files written"
        + (f"; pruned sequences {', '.join(map(str, result.pruned))}" if result.pruned else "")
        + ".",
        markup=False,
    )
    if args.no_notify or not changes.to_notify or result.sequence is None:
        return 0
    return hand_to_notify(args, settings, result.sequence, console)


def audit_publish(settings: Settings, sequence: int | None, changes: Any) -> None:
    """Record the publish (which alerts changed, never their text) in the audit trail.

    The bundles are already out: a trail that cannot be written (CI without access to
    the staff table) is said on stderr rather than turning a done publish into a failure.
    """
    from uglymugs.cli.audit import record_action

    numbers = [*changes.new, *changes.corrected, *changes.withdrawn, *changes.expired]
    try:
        record_action(settings, "publish", numbers, detail=f"sequence {sequence}")
    except Exception as error:  # any store failure: the publish stands
        print(f"published, but the audit log was not written: {error}", file=sys.stderr)


def hand_to_notify(
    args: argparse.Namespace, settings: Settings, sequence: int, console: Console
) -> int:
    """Tell members: in this process locally, by an asynchronous invoke on AWS."""
    if args.target == "aws":
        function = args.notify_function or settings.notify_function
        if not function:
            raise CommandError(
                f"published sequence {sequence}, but members were NOT notified: give "
                f"--notify-function or ${NOTIFY_FUNCTION_VARIABLE}, then run the notify "
                "function (or `uglymugs notify`)"
            )
        invoke_notify_function(function, sequence)
        console.print(f"Notify function {function} started for sequence {sequence}.", markup=False)
        return 0
    from uglymugs.cli.notify import notify_now, services

    return notify_now(services(settings), console)


def invoke_notify_function(function: str, sequence: int, client: Any = None) -> None:
    """Invoke the notify Lambda asynchronously (``Event``) with ``{"sequence": N}``."""
    import json

    if client is None:
        import boto3

        client = boto3.client("lambda")
    client.invoke(
        FunctionName=function,
        InvocationType="Event",
        Payload=json.dumps({"sequence": sequence}).encode(),
    )
