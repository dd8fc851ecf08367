"""Notify: one alert to 10,000 members against moto — API calls and time.

10,000 approved members take e-mail for every region; 2,000 of them also take SMS (one
in ten discreet). One alert is published and notify sends it through the AWS adapters
(SES v2, SNS, DynamoDB ledger and directory, S3 shelf), all on moto in this process.
Every AWS call is counted by service and operation (botocore's ``before-call`` event).

"Fewest possible" is what any correct design must make: one ``SendEmail`` per 50
addresses, one ``Publish`` per SMS, the ledger's claims and outcomes 100 to a
transaction, and one Scan page per MB of members. The baseline, in the same run, is
the bare sends with boto3 (no ledger, no members, no composing). Concurrency is 1:
moto's DynamoDB is not thread-safe, so this measures calls, not parallel speed.

moto deep-copies the whole table for every item of a ``TransactWriteItems``, to roll
back if it fails (100 items on a 10,000-item table: 100 copies), which made this run
take over 10 minutes and 24 GB. None of these transactions fails, so the run skips
those backups. That changes moto's cost only, never the calls notify makes; still,
much of the time measured is moto's. The same fan-out on the local adapters (SQLite
ledger, outbox files) is timed too; ``UGLYMUGS_BENCH_LOCAL_ONLY=1`` runs only that.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from nacl.signing import SigningKey
from rich.console import Console
from rich.table import Table

from uglymugs.notify.fanout import DEFAULT_CONCURRENCY

MEMBERS = int(os.environ.get("UGLYMUGS_BENCH_MEMBERS", 10_000))
SMS_MEMBERS = MEMBERS // 5
REGION = "eu-west-2"
SENDER = "alerts@um.example"
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _environment() -> None:
    fake = "testing"  # moto's fake credentials
    os.environ.update(AWS_ACCESS_KEY_ID=fake, AWS_SECRET_ACCESS_KEY=fake, AWS_DEFAULT_REGION=REGION)


def _counting_session() -> Counter:
    """Count every AWS call made by clients created from now on."""
    import boto3

    boto3.setup_default_session(region_name=REGION)
    calls: Counter = Counter()

    def count(model, **_):
        calls[f"{model.service_model.service_name}:{model.name}"] += 1

    boto3.DEFAULT_SESSION.events.register("before-call", count)
    return calls


def _members():
    from uglymugs.members.directory import Member, Preferences, new_member_id

    stamp = "2026-11-23T09:00:00Z"
    for index in range(MEMBERS):
        texts = index < SMS_MEMBERS
        yield Member(
            id=new_member_id(),
            membership_type="individual",
            username=f"member{index:05d}",
            email=f"member{index:05d}@example.org",
            status="approved",
            created_at=stamp,
            updated_at=stamp,
            mobile=f"+4475{index:08d}" if texts else None,
            preferences=Preferences(
                channels=("email", "sms") if texts else ("email",),
                discreet_sms=texts and index % 10 == 0,
                chosen=True,
            ),
        )


def _setup(directory_table: str, ledger_table: str, bucket: str):
    import boto3

    from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory

    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName=directory_table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.create_table(
        TableName=ledger_table,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    boto3.client("s3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
    directory = DynamoDBMemberDirectory(directory_table)
    # Loaded in bulk: directory.add's transactions would take moto an hour (below).
    members = [
        {"PutRequest": {"Item": {"id": {"S": f"member#{m.id}"}, **directory._member_attributes(m)}}}
        for m in _members()
    ]
    for start in range(0, len(members), 25):
        dynamodb.batch_write_item(RequestItems={directory_table: members[start : start + 25]})
    scan_bytes = sum(
        len(str(item))
        for page in dynamodb.get_paginator("scan").paginate(TableName=directory_table)
        for item in page["Items"]
    )
    return directory, scan_bytes


def _publish(shelf, key: SigningKey) -> None:
    from uglymugs.alerts.bundles import AlertRecord
    from uglymugs.alerts.publish import publish_records

    data = {
        "number": "2026-0008",
        "status": "published",
        "issued": "2026-11-02",
        "region": "northumbria",
        "risk": "high",
        "categories": ["violence"],
        "what_happened": "He booked an outcall by phone and became violent.",
        "identifiers": {"phones": ["+447700900123"]},
    }
    record = AlertRecord("2026-0008", "published", "northumbria", None, "d1", data)
    publish_records([record], shelf=shelf, signing_key=key, key_id="bench", today=TODAY, now=NOW)


def _bare_sends(emails: list[str], phones: list[str]) -> float:
    import boto3

    ses, sns = boto3.client("sesv2"), boto3.client("sns")
    started = time.perf_counter()
    for start in range(0, len(emails), 50):
        ses.send_email(
            FromEmailAddress=SENDER,
            Destination={"BccAddresses": emails[start : start + 50]},
            Content={
                "Simple": {
                    "Subject": {"Data": "Ugly Mugs alert 2026-0008"},
                    "Body": {"Text": {"Data": "An alert."}},
                }
            },
        )
    for phone in phones:
        sns.publish(PhoneNumber=phone, Message="Ugly Mugs alert 2026-0008")
    return time.perf_counter() - started


def _skip_moto_transaction_backups() -> None:
    """Stop moto deep-copying whole tables before each transaction (see the docstring)."""
    import copy

    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        tables = list(self.tables.values())
        real_deepcopy = copy.deepcopy

        def deepcopy(value, memo=None):
            if any(value is table for table in tables):
                return value  # the "backup" is the table itself: never rolled back here
            return real_deepcopy(value, memo)

        copy.deepcopy = deepcopy
        try:
            return original(self, transact_items)
        finally:
            copy.deepcopy = real_deepcopy

    DynamoDBBackend.transact_write_items = transact_write_items


def measure() -> dict:
    from moto import mock_aws

    from uglymugs.alerts.shelf.s3 import S3BundleShelf
    from uglymugs.messaging.mailer.ses import SESMailer
    from uglymugs.messaging.texter.sns import SNSTexter
    from uglymugs.notify.fanout import Notifier
    from uglymugs.notify.feedback import mark_opted_out
    from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger
    from uglymugs.notify.publications import PublicationFeed

    _environment()
    _skip_moto_transaction_backups()
    with mock_aws(), tempfile.TemporaryDirectory():
        calls = _counting_session()
        directory, scan_bytes = _setup("bench-members", "bench-ledger", "bench-bundles")
        key = SigningKey(b"\x07" * 32)
        shelf = S3BundleShelf("bench-bundles")
        _publish(shelf, key)
        notifier = Notifier(
            ledger=DynamoDBNotificationLedger("bench-ledger"),
            directory=directory,
            mailer=SESMailer(SENDER),
            texter=SNSTexter(),
            site_url="https://um.example",
            region_names={"northumbria": "Northumbria"},
            clock=lambda: NOW + timedelta(minutes=1),
            concurrency=1,
        )
        feed = PublicationFeed(shelf, {"bench": bytes(key.verify_key)})
        calls.clear()
        started = time.perf_counter()
        mark_opted_out(directory, notifier.texter, NOW)
        report = notifier.catch_up(feed)
        elapsed = time.perf_counter() - started
        notify_calls = Counter(calls)
        calls.clear()
        rerun_started = time.perf_counter()
        notifier.catch_up(feed)
        rerun = time.perf_counter() - rerun_started
        rerun_calls = sum(calls.values())
        members = list(_members())
        bare = _bare_sends([m.email for m in members], [m.mobile for m in members if m.mobile])
    return {
        "report": report,
        "calls": notify_calls,
        "elapsed": elapsed,
        "rerun": rerun,
        "rerun_calls": rerun_calls,
        "bare": bare,
        "scan_pages": max(1, math.ceil(scan_bytes / 1_000_000)),
    }


def _bare_files(count: int, size: int, directory, threads: int = 1) -> float:
    """The peer of local notify: ``count`` new files of ``size`` bytes, each fsync'd.

    ``threads=1``: one after another. More: in jobs of 50 files (a notify call's worth
    when the issue was written; the outbox's calls are 500 now, and jobs of 50 spread
    over the threads more evenly, which favours the peer) on a pool of that many
    threads, as notify spreads its calls, so that a notify run
    on N threads is compared with the same number of fsync'd files on N threads (the
    syncs of several threads overlap, which a serial peer does not get)."""
    data = b"x" * size
    names = [os.path.join(directory, f"{index}.eml") for index in range(count)]

    def write(batch: list[str]) -> None:
        for name in batch:
            descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(descriptor, data)
            os.fsync(descriptor)
            os.close(descriptor)

    started = time.perf_counter()
    if threads == 1:
        write(names)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            batches = [names[start : start + 50] for start in range(0, count, 50)]
            for future in [pool.submit(write, batch) for batch in batches]:
                future.result()
    return time.perf_counter() - started


def measure_local(concurrency: int) -> dict:
    """The same fan-out on the local adapters (SQLite ledger and directory, outbox
    files), as ``uglymugs notify --concurrency N`` runs it, against writing as many
    fsync'd files one after another and on N threads (the peers, measured right after
    it; on one thread they are the same)."""
    from pathlib import Path

    from uglymugs.alerts.shelf.files import LocalBundleShelf
    from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
    from uglymugs.messaging.mailer.outbox import OutboxMailer
    from uglymugs.messaging.texter.outbox import OutboxTexter
    from uglymugs.notify.fanout import Notifier
    from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
    from uglymugs.notify.publications import PublicationFeed

    with tempfile.TemporaryDirectory() as root:
        base = Path(root)
        directory = SQLiteMemberDirectory(base / "members.sqlite3")
        for member in _members():
            directory.add(member)
        key = SigningKey(b"\x07" * 32)
        shelf = LocalBundleShelf(base / "shelf")
        _publish(shelf, key)
        quiet = lambda line: None  # noqa: E731 - the console line per message
        notifier = Notifier(
            ledger=SQLiteNotificationLedger(base / "state.sqlite3"),
            directory=directory,
            mailer=OutboxMailer(base / "outbox", notice=quiet),
            texter=OutboxTexter(base / "outbox", notice=quiet),
            site_url="https://um.example",
            region_names={"northumbria": "Northumbria"},
            clock=lambda: NOW + timedelta(minutes=1),
            concurrency=concurrency,
        )
        feed = PublicationFeed(shelf, {"bench": bytes(key.verify_key)})
        started = time.perf_counter()
        report = notifier.catch_up(feed)
        elapsed = time.perf_counter() - started
        files = sorted((base / "outbox").iterdir())
        size = sum(p.stat().st_size for p in files) // max(len(files), 1)
        (base / "serial").mkdir()
        serial = _bare_files(len(files), size, base / "serial")
        threaded = serial
        if concurrency > 1:
            (base / "threaded").mkdir()
            threaded = _bare_files(len(files), size, base / "threaded", concurrency)
    return {
        "report": report,
        "elapsed": elapsed,
        "serial": serial,
        "threaded": threaded,
        "files": len(files),
    }


def main() -> None:
    console = Console()
    if os.environ.get("UGLYMUGS_BENCH_LOCAL_ONLY") != "1":  # the moto run takes minutes
        _on_moto(console)
    table = Table(title=f"Local notify ({MEMBERS:,} members): outbox files and SQLite ledger")
    columns = ("run", "threads", "seconds", "× serial peer", "× peer, same threads", "load")
    for column in columns:
        table.add_column(column, justify="left" if column == "run" else "right")
    for concurrency in (DEFAULT_CONCURRENCY, 1):
        load = f"{os.getloadavg()[0]:.1f}"  # the machine is shared: say how busy it was
        local = _in_a_fresh_process(measure_local, concurrency)
        files = f"{local['files']:,} new files, each fsync'd"
        table.add_row(
            f"peer: {files}, one after another", "1", f"{local['serial']:.2f}", "1.00", "", ""
        )
        if concurrency > 1:
            table.add_row(
                f"peer: {files}, 50 a job",
                str(concurrency),
                f"{local['threaded']:.2f}",
                f"{local['threaded'] / local['serial']:.2f}",
                "1.00",
                "",
            )
        table.add_row(
            f"uglymugs notify --concurrency {concurrency}: "
            f"{sum(local['report'].sent.values()):,} sent (members, compose, ledger, outbox)",
            str(concurrency),
            f"{local['elapsed']:.2f}",
            f"{local['elapsed'] / local['serial']:.2f}",
            f"[bold]{local['elapsed'] / local['threaded']:.2f}",
            load,
        )
    console.print(table)
    console.print(f"load average after: {os.getloadavg()[0]:.1f} (1 minute)")


def _in_a_fresh_process(function, *arguments):
    """``function(*arguments)`` in a new interpreter, as ``uglymugs notify`` runs: each
    run pays its own first composing (templates compiled) and none inherits another's
    warm caches."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, arguments)


def _on_moto(console: Console) -> None:
    console.print(
        f"[bold]Notify[/]: one alert to {MEMBERS:,} members ({SMS_MEMBERS:,} by SMS too), moto"
    )
    result = measure()
    calls: Counter = result["calls"]
    deliveries = MEMBERS + SMS_MEMBERS
    fewest = {
        "sesv2:SendEmail": math.ceil(MEMBERS / 50),
        "sns:Publish": SMS_MEMBERS,
        "sns:ListPhoneNumbersOptedOut": 1,
        "dynamodb:Scan": result["scan_pages"],
        "dynamodb:TransactWriteItems": 2 * math.ceil(deliveries / 100),
    }
    table = Table(title="API calls: notify vs the fewest possible")
    for column in ("call", "made", "fewest possible", "×", "why more"):
        table.add_column(
            column, justify="right" if column in ("made", "fewest possible", "×") else "left"
        )
    why = {
        "dynamodb:TransactWriteItems": (
            "a claim per send batch (50 e-mails, 25 SMS) and each e-mail batch's outcome"
        ),
        "dynamodb:UpdateItem": "each SMS recorded sent as soon as SNS takes it (exactly once)",
        "dynamodb:Scan": "members read twice: for SMS opt-outs, then for preferences",
        "dynamodb:Query": "the ledger read per alert version, and again to confirm it is done",
        "dynamodb:PutItem": "plans (one per channel) and the 'done' mark",
        "s3:GetObject": "manifest + signed change record + its signature",
    }
    for name in sorted(set(calls) | set(fewest)):
        made, least = calls.get(name, 0), fewest.get(name)
        ratio = f"{made / least:.2f}" if least else "—"
        table.add_row(name, f"{made:,}", f"{least:,}" if least else "—", ratio, why.get(name, ""))
    table.add_row(
        "[bold]all",
        f"[bold]{sum(calls.values()):,}",
        f"{sum(fewest.values()):,}",
        f"{sum(calls.values()) / sum(fewest.values()):.2f}",
        "",
    )
    console.print(table)
    report = result["report"]
    timing = Table(title="Time (moto, in process, concurrency 1)")
    for column in ("run", "seconds", "× baseline", "sent e-mail", "sent SMS"):
        timing.add_column(column)
    timing.add_row(
        "baseline: bare boto3 sends",
        f"{result['bare']:.2f}",
        "1.00",
        f"{MEMBERS:,}",
        f"{SMS_MEMBERS:,}",
    )
    timing.add_row(
        "notify (members, compose, ledger, sends)",
        f"{result['elapsed']:.2f}",
        f"{result['elapsed'] / result['bare']:.2f}",
        f"{report.sent['email']:,}",
        f"{report.sent['sms']:,}",
    )
    timing.add_row(
        f"re-run: nothing to send ({result['rerun_calls']} calls)",
        f"{result['rerun']:.3f}",
        f"{result['rerun'] / result['bare']:.3f}",
        "0",
        "0",
    )
    console.print(timing)
