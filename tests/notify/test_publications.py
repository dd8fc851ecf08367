"""Notify reads only signed change records on the published chain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.notify.scenario import NOW, VERIFY_KEYS, alert, publish
from uglymugs.alerts.changes import changes_name
from uglymugs.notify.publications import ChangeKind, PublicationError, PublicationFeed


def test_the_chain_is_read_oldest_first_with_every_kind_of_change(bundle_shelf):
    publish(bundle_shelf, [alert("2026-0001"), alert("2026-0002", risk="low")])
    publish(
        bundle_shelf,
        [
            alert("2026-0001", correction="The time was 22:00, not 21:00.", status="corrected"),
            alert("2026-0002", status="withdrawn", withdrawn_reason="Asked to."),
            alert("2026-0003", region="kent"),
        ],
        now=NOW + timedelta(hours=1),
    )
    feed = PublicationFeed(bundle_shelf, VERIFY_KEYS)
    first, second = feed.chain()
    assert [c.number for c in first.changes] == ["2026-0001", "2026-0002"]
    kinds = {change.number: change for change in second.changes}
    assert kinds["2026-0003"].kind == ChangeKind.NEW and kinds["2026-0003"].region == "kent"
    corrected = kinds["2026-0001"]
    assert corrected.kind == ChangeKind.CORRECTED
    assert corrected.record["correction"] == "The time was 22:00, not 21:00."
    assert "correction" in corrected.changed_fields
    withdrawn = kinds["2026-0002"]
    assert withdrawn.kind == ChangeKind.WITHDRAWN
    assert withdrawn.risk == "low"  # the risk members were told, for their preferences
    assert withdrawn.version.startswith("withdrawn-")
    assert feed.publication(1) == first


def test_versions_name_what_members_see(bundle_shelf):
    publish(bundle_shelf, [alert("2026-0001")])
    publish(bundle_shelf, [alert("2026-0001", text="Another text")], now=NOW + timedelta(hours=1))
    first, second = PublicationFeed(bundle_shelf, VERIFY_KEYS).chain()
    assert first.changes[0].version != second.changes[0].version


def test_a_tampered_change_record_is_refused(bundle_shelf):
    publish(bundle_shelf, [alert("2026-0001")])
    name = changes_name(1)
    data = bundle_shelf.get(name)
    bundle_shelf.delete([name])
    bundle_shelf.put(name, data.replace(b"northumbria", b"kent"))
    with pytest.raises(PublicationError, match=r"digest|signature"):
        PublicationFeed(bundle_shelf, VERIFY_KEYS).chain()


def test_a_record_left_by_an_interrupted_publish_is_not_on_the_chain(bundle_shelf):
    publish(bundle_shelf, [alert("2026-0001")])
    manifest = bundle_shelf.get_manifest()
    publish(bundle_shelf, [alert("2026-0001"), alert("2026-0002")], now=NOW + timedelta(hours=1))
    bundle_shelf.put_manifest(manifest)  # as if the switch to sequence 2 never happened
    feed = PublicationFeed(bundle_shelf, VERIFY_KEYS)
    assert [p.sequence for p in feed.chain()] == [1]
    with pytest.raises(PublicationError, match="not on the published chain"):
        feed.publication(2)


def test_nothing_published_means_nothing_to_send(bundle_shelf):
    assert PublicationFeed(bundle_shelf, VERIFY_KEYS).chain() == []
