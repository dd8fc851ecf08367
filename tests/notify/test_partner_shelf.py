"""The deployed notify function reaches bureaus through the signed partner list that
``uglymugs publish`` puts on the bundle shelf (local directory and S3 on moto): only
id, force areas and contact address; a list nobody signed reaches nobody."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from nacl.signing import SigningKey

from tests.notify.scenario import KEY, KEY_ID, NOW, VERIFY_KEYS
from uglymugs import composition
from uglymugs.config import Settings, repository_root
from uglymugs.notify.partner_shelf import (
    KEEP,
    PREFIX,
    PartnerListError,
    read_partners,
    write_partners,
)
from uglymugs.notify.recipients import AlertPartner
from uglymugs.publishing import shelve_alert_partners

BUREAU = AlertPartner("t-bureau", "bureau@police.example", frozenset({"northumbria"}))
REGIONAL = AlertPartner("t-regional", "riu@police.example", frozenset())


def _write(shelf, partners, *, now=NOW, key=KEY):
    return write_partners(shelf, partners, signing_key=key, key_id=KEY_ID, now=now)


def test_the_list_round_trips_with_only_id_areas_and_contact(bundle_shelf):
    name = _write(bundle_shelf, [REGIONAL, BUREAU])
    assert name and name.startswith(PREFIX) and not name.startswith("seq-")
    stored = json.loads(bundle_shelf.get(name))
    assert {key for entry in stored["partners"] for key in entry} == {
        "id",
        "contact",
        "force_areas",
    }
    assert read_partners(bundle_shelf, VERIFY_KEYS) == (BUREAU, REGIONAL)


def test_an_unchanged_list_is_not_rewritten_and_the_newest_wins(bundle_shelf):
    assert read_partners(bundle_shelf, VERIFY_KEYS) == ()
    _write(bundle_shelf, [BUREAU])
    assert _write(bundle_shelf, [BUREAU], now=NOW + timedelta(minutes=1)) is None
    for minutes in range(2, 6):
        _write(
            bundle_shelf,
            [BUREAU, REGIONAL][: minutes % 2 + 1],
            now=NOW + timedelta(minutes=minutes),
        )
    assert read_partners(bundle_shelf, VERIFY_KEYS) == (BUREAU, REGIONAL)
    lists = [n for n in bundle_shelf.names(PREFIX) if n.endswith(".json")]
    assert len(lists) == KEEP


def test_a_list_signed_by_another_key_is_refused(bundle_shelf):
    _write(bundle_shelf, [BUREAU], key=SigningKey.generate())
    with pytest.raises(PartnerListError, match="signature"):
        read_partners(bundle_shelf, VERIFY_KEYS)


def test_a_list_without_its_signature_is_refused(bundle_shelf):
    bundle_shelf.put(PREFIX + "20270101t000000000000z.json", b"{}")
    with pytest.raises(PartnerListError, match="missing"):
        read_partners(bundle_shelf, VERIFY_KEYS)


def test_notify_without_a_partner_directory_reads_the_shelf(bundle_shelf, tmp_path):
    settings = Settings(partners_dir=tmp_path / "no-partners")
    _write(bundle_shelf, [BUREAU])
    assert composition.alert_partners(settings, bundle_shelf, VERIFY_KEYS) == (BUREAU,)
    _write(bundle_shelf, [REGIONAL], key=SigningKey.generate(), now=NOW + timedelta(hours=1))
    assert composition.alert_partners(settings, bundle_shelf, VERIFY_KEYS) == ()


def test_publish_shelves_the_checkouts_bureaus_and_ci_leaves_them(bundle_shelf, tmp_path):
    with_directory = Settings(partners_dir=repository_root() / "partners")
    shelve = dict(signing_key=KEY, key_id=KEY_ID, now=NOW)
    assert shelve_alert_partners(with_directory, bundle_shelf, **shelve)
    shelved = read_partners(bundle_shelf, VERIFY_KEYS)
    assert "example-gmp-bureau" in [partner.id for partner in shelved]
    without = Settings(partners_dir=tmp_path / "none")
    assert shelve_alert_partners(without, bundle_shelf, **shelve) is None
    assert read_partners(bundle_shelf, VERIFY_KEYS) == shelved
