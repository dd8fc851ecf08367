"""``uglymugs alerts``: draft, check and verify alerts.

    uglymugs alerts new [--from-report UM-7K3F-92QH-X4PM] [--dir site/alerts]
    uglymugs alerts check [PATHS...]
    uglymugs alerts verify BUNDLE [--keys keys.json] [--previous manifest.json]

``new`` decrypts the report in memory and writes only its alert-safe answers; staff
then choose the region and risk, write "what happened" and run ``check`` until it
passes. ``verify`` checks a downloaded bundle's signature as a member's app would, and
with ``--previous`` refuses one older than a manifest already verified.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
import urllib.request
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uglymugs.alerts.check import check_alerts
from uglymugs.alerts.drafting import DraftError, blank_alert, draft_from_incident, write_new_alert
from uglymugs.cli import CommandError
from uglymugs.cli.audit import record_action
from uglymugs.cli.reports import open_casework_if_keyed, open_reports_around, passphrase_once
from uglymugs.config import Settings
from uglymugs.crypto.keys import KeyStoreError, load_public_keys
from uglymugs.reports.incidents import incident_of
from uglymugs.safe_text import for_terminal

if TYPE_CHECKING:
    from uglymugs.alerts.signing import VerifiedBundle

DEFAULT_DIR = Path("site/alerts")
_URL_TIMEOUT_SECONDS = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    alerts = subparsers.add_parser("alerts", help="draft, check and verify alerts")
    commands = alerts.add_subparsers(dest="alerts_command", required=True)

    new = commands.add_parser("new", help="write a new alert file with the next number")
    new.add_argument(
        "--from-report",
        metavar="NUMBER",
        help="draft from this report's alert-safe answers (needs the key passphrase)",
    )
    new.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="alerts directory")
    new.add_argument(
        "--aws-bucket",
        metavar="BUCKET",
        help="read the report from the vault in this S3 bucket, not the local data directory",
    )
    new.set_defaults(handler=run_new)

    check = commands.add_parser("check", help="check alert files before they are published")
    check.add_argument(
        "paths", nargs="*", type=Path, help=f"alert files or directories (default {DEFAULT_DIR})"
    )
    check.set_defaults(handler=run_check)

    verify = commands.add_parser("verify", help="verify a signed alert bundle")
    verify.add_argument("file", type=Path, help="the bundle; its signature is FILE.sig beside it")
    verify.add_argument(
        "--keys",
        metavar="URL_OR_PATH",
        help="keys.json (a path or an https:// URL) instead of this machine's keys",
    )
    verify.add_argument(
        "--previous",
        metavar="MANIFEST",
        type=Path,
        help="a manifest.json verified before: refuse a bundle older than it (a rollback)",
    )
    verify.set_defaults(handler=run_verify)


def run_new(args: argparse.Namespace, settings: Settings) -> int:
    issued = date.today()
    if args.from_report is None:
        try:
            path = write_new_alert(args.dir, issued, lambda number: blank_alert(number, issued))
        except DraftError as error:
            raise CommandError(str(error)) from None
        print(f"Wrote {path}: fill it in, then run uglymugs alerts check {path}")
        return 0
    passphrase = passphrase_once(settings)
    number, reports = open_reports_around(args.from_report, args, settings, passphrase)
    incident = incident_of(number, reports.values())
    assert incident is not None  # noqa: S101 - open_reports_around checked the number
    try:
        path = write_new_alert(
            args.dir,
            issued,
            lambda alert_number: draft_from_incident(incident, alert_number, issued),
        )
    except DraftError as error:
        raise CommandError(str(error)) from None
    record_action(settings, "draft", incident.numbers, detail=path.stem)
    _mark_case_drafted(settings, incident.number, passphrase())
    numbers = for_terminal(", ".join(incident.numbers))
    print(f"Wrote {path} from the alert-safe answers of incident {numbers}.")
    if incident.force_area_source == "town":
        print(f"Region {incident.force_area} was suggested from the town: check it.")
    print("Choose the risk, check the region and that the area is general, write what")
    print(f"happened (sanitised), then run: uglymugs alerts check {path}")
    return 0


def _mark_case_drafted(settings: Settings, number: str, passphrase: str) -> None:
    """Move the incident's case to ``alert_drafted`` (from new or in progress), audited;
    a key ring without a case key, or a case saved meanwhile, is a note, not a failure."""
    from uglymugs.cases.records import CaseError, mark_alert_drafted

    casework = open_casework_if_keyed(settings, passphrase)
    if casework is None:
        return
    try:
        saved = mark_alert_drafted(casework, number, settings.staff)
    except CaseError as error:
        print(for_terminal(f"The case was not updated: {error}"), file=sys.stderr)
        return
    if saved is not None:
        record_action(settings, "status", [number], detail=saved.status)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [DEFAULT_DIR]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise CommandError(f"no such file or directory: {', '.join(missing)}")
    result = check_alerts(paths, today=date.today())
    for problem in result.problems:
        print(for_terminal(str(problem)))
    errors = sum(problem.severity == "error" for problem in result.problems)
    warnings = len(result.problems) - errors
    accepted = sum(problem.accepted for problem in result.problems)
    print(
        f"Checked {_count(result.files, 'alert file')}: {_count(errors, 'error')}, "
        f"{_count(warnings, 'warning')} ({accepted} accepted in allow)."
    )
    return 0 if result.ok else 1


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.alerts.signing import BundleFormatError, BundleSignatureError, verify_bundle_file

    verify_keys = _keys_document(args.keys) if args.keys else _local_verify_keys(settings)
    try:
        bundle = verify_bundle_file(args.file, verify_keys)
    except (BundleSignatureError, BundleFormatError) as error:
        raise CommandError(str(error)) from None
    if args.previous is not None:
        _check_not_older(args.file, bundle, args.previous, verify_keys)
    print(
        for_terminal(
            f"valid: {len(bundle.alerts)} alerts, sequence {bundle.sequence}, "
            f"signed by {bundle.key_id}"
        )
    )
    return 0


def _check_not_older(
    path: Path, bundle: VerifiedBundle, previous: Path, verify_keys: Mapping[str, bytes]
) -> None:
    """Refuse ``bundle`` if it is older than the manifest at ``previous`` (verified first)."""
    from uglymugs.alerts.manifest import ManifestError, verify_manifest
    from uglymugs.alerts.rollback import Freshness, RollbackError, check_not_older

    try:
        manifest = verify_manifest(previous.read_bytes(), verify_keys)
    except OSError as error:
        raise CommandError(f"{previous}: cannot be read: {error.strerror}") from None
    except ManifestError as error:
        raise CommandError(f"{previous}: {error}") from None
    try:
        check_not_older(
            Freshness(bundle.sequence, bundle.generated_at),
            Freshness(manifest.sequence, manifest.generated_at),
        )
    except RollbackError as error:
        raise CommandError(
            f"{path}: {error} in {previous}: an older publish served again (a rollback?); "
            "do not use it"
        ) from None


def _local_verify_keys(settings: Settings) -> dict[str, bytes]:
    try:
        public = load_public_keys(settings.keys_dir)
    except KeyStoreError as error:
        raise CommandError(f"{error} (or give --keys keys.json)") from None
    return {public.bundle_key_id: public.bundle_verify_key}


def _keys_document(source: str) -> dict[str, bytes]:
    """``{key id: verify key}`` from a published ``keys.json``, read from a path or URL."""
    try:
        if source.startswith("https://"):
            with urllib.request.urlopen(source, timeout=_URL_TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
                text = response.read().decode("utf-8")
        else:
            text = Path(source).read_text(encoding="utf-8")
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"cannot read the keys from {source}: {error}") from None
    bundle: Any = document.get("bundle") if isinstance(document, Mapping) else None
    try:
        key_id = bundle["key_id"]
        verify_key = base64.b64decode(bundle["verify_key"], validate=True)
    except (TypeError, KeyError, binascii.Error, ValueError):
        raise CommandError(
            f'{source} has no bundle key: expected {{"bundle": {{"key_id", "verify_key"}}}}'
        ) from None
    if not isinstance(key_id, str) or len(verify_key) != 32:
        raise CommandError(f"{source}: the bundle key id or verify key is malformed")
    return {key_id: verify_key}
