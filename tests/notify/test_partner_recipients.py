"""Force intelligence bureaus and regional units get the published alerts of their force
areas by e-mail, beside members: new, corrected and withdrawn; each version once
(local adapters, and SES with DynamoDB on moto)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest

from tests.notify.scenario import NOW, REGION_NAMES, SITE_URL, VERIFY_KEYS, alert, member, publish
from tests.notify.test_fanout import Scheme
from tests.partner_files import write_partner
from uglymugs.notify.publications import PublicationFeed
from uglymugs.notify.recipients import AlertPartner
from uglymugs.sharing.alert_partners import alert_partners

BUREAU = AlertPartner("t-bureau", "bureau@police.example", frozenset({"northumbria"}))
KENT = AlertPartner("t-kent", "kent-bureau@police.example", frozenset({"kent"}))
REGIONAL = AlertPartner("t-regional", "riu@police.example", frozenset({"northumbria", "kent"}))


def _three_changes(shelf):
    """A new alert, then its correction, then its withdrawal, in Northumbria."""
    publish(shelf, [alert("2026-0008")])
    corrected = alert("2026-0008", status="corrected", correction="The car was blue, not black.")
    publish(shelf, [corrected], now=NOW + timedelta(minutes=1))
    withdrawn = alert("2026-0008", status="withdrawn", withdrawn_reason="It was a mistake.")
    publish(shelf, [withdrawn], now=NOW + timedelta(minutes=2))


@pytest.fixture
def scheme(tmp_path, clock):
    clock.now = NOW + timedelta(minutes=5)
    return Scheme(tmp_path, clock)


def _run(scheme, partners):
    notifier = replace(scheme.notifier(), partners=partners)
    return notifier.catch_up(PublicationFeed(scheme.shelf, VERIFY_KEYS))


def test_a_bureau_gets_new_corrected_and_withdrawn_alerts_of_its_area_once(scheme):
    scheme.directory.add(member("Mail001"))
    _three_changes(scheme.shelf)
    report = _run(scheme, (BUREAU, KENT, REGIONAL))
    assert report.sent == Counter({"email": 9})  # 3 changes x (1 member + 2 partners)
    emailed = scheme.emailed()
    assert emailed["bureau@police.example"] == 3 and emailed["riu@police.example"] == 3
    assert "kent-bureau@police.example" not in emailed
    subjects = [
        str(message["Subject"])
        for message in scheme.outbox.messages()
        if message["To"] == "bureau@police.example"
    ]
    assert any("withdrawn" in subject for subject in subjects)
    assert any("correct" in subject.lower() for subject in subjects)
    again = _run(scheme, (BUREAU, KENT, REGIONAL))
    assert again.sent == Counter() and len(scheme.outbox.messages()) == 9


def test_partners_are_kept_apart_from_members_in_the_ledger(scheme):
    scheme.directory.add(member("Mail001"))
    publish(scheme.shelf, [alert("2026-0008")])
    _run(scheme, (BUREAU,))
    recorded = scheme.ledger.deliveries("2026-0008", next(iter(_versions(scheme))))
    assert {key.member_id for key in recorded} >= {"partner:t-bureau"}


def _versions(scheme):
    feed = PublicationFeed(scheme.shelf, VERIFY_KEYS)
    return {change.version for publication in feed.chain() for change in publication.changes}


def test_only_bureaus_and_regional_units_of_the_directory_receive_alerts(tmp_path):
    for partner_id, kind, areas in (
        ("t-bureau", "bureau", "[northumbria]"),
        ("t-riu", "regional", "[northumbria, durham]"),
        ("t-hub", "hub", "[northumbria]"),
        ("t-scas", "scas", "[all]"),
    ):
        write_partner(tmp_path, partner_id, kind, areas)
    (tmp_path / "broken.yaml").write_text("id: t-broken\nkind: bureau\n", encoding="utf-8")
    found = alert_partners(tmp_path)
    assert [partner.id for partner in found] == ["t-bureau", "t-riu"]
    assert found[1].force_areas == frozenset({"northumbria", "durham"})
    assert alert_partners(tmp_path / "missing") == ()


def test_the_shipped_example_bureau_is_found(tmp_path):
    from uglymugs.config import repository_root

    found = alert_partners(repository_root() / "partners")
    assert "example-gmp-bureau" in [partner.id for partner in found]


def test_a_bureau_gets_alerts_through_ses_on_moto(aws_resources, aws_bundle_shelf, clock):
    import boto3

    from tests.conftest import AWS_REGION, create_notify_ledger_table
    from tests.notify.ses_account import SESAccount
    from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory
    from uglymugs.messaging.mailer.ses import SESMailer
    from uglymugs.messaging.texter.sns import SNSTexter
    from uglymugs.notify.fanout import Notifier
    from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger

    sesv2 = boto3.client("sesv2")
    sesv2.create_email_identity(EmailIdentity="alerts@um.example")
    clock.now = NOW + timedelta(minutes=5)
    notifier = Notifier(
        ledger=DynamoDBNotificationLedger(create_notify_ledger_table()),
        directory=DynamoDBMemberDirectory(aws_resources.members_table),
        mailer=SESMailer("alerts@um.example", client=SESAccount(sesv2)),
        texter=SNSTexter(sender_id="UglyMugs"),
        site_url=SITE_URL,
        region_names=REGION_NAMES,
        clock=clock,
        sleep=lambda seconds: None,
        concurrency=1,
        partners=(BUREAU, KENT),
    )
    _three_changes(aws_bundle_shelf)
    feed = PublicationFeed(aws_bundle_shelf, VERIFY_KEYS)
    assert notifier.catch_up(feed).sent == Counter({"email": 3})
    assert notifier.catch_up(feed).sent == Counter()
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sent_messages
    addresses = [address for message in sent for address in message.destinations["ToAddresses"]]
    assert addresses == ["bureau@police.example"] * 3
