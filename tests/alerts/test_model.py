"""The model, and the record members receive: alert fields only, normalised, small."""

import json

import pytest
from pydantic import ValidationError

from tests.alerts.alert_files import BODY, fields_with
from uglymugs.alerts.model import BUNDLE_FIELDS, STAFF_ONLY_FIELDS, Alert

REPORT_CANARY = "UM-9V4B-CXRS-4G25"


def alert(changes=None, body=BODY):
    return Alert.model_validate({**fields_with(changes or {}), "what_happened": body})


def test_every_field_is_either_sent_to_members_or_staff_only():
    assert set(Alert.model_fields) == set(BUNDLE_FIELDS) | set(STAFF_ONLY_FIELDS)
    assert not set(BUNDLE_FIELDS) & set(STAFF_ONLY_FIELDS)


def test_the_bundle_record_never_carries_staff_only_fields():
    record = alert({"reports": [REPORT_CANARY], "allow": ["name-in-text"]}).bundle_record()
    text = json.dumps(record)
    assert REPORT_CANARY not in text
    assert "reports" not in record and "allow" not in record
    assert "name-in-text" not in text


def test_the_bundle_record_is_json_ready_with_empty_values_dropped():
    record = alert(
        {"offender": {"hair": "", "accent": None}, "vehicle": {"model": ""}, "contact_method": []}
    ).bundle_record()
    assert json.loads(json.dumps(record)) == record
    assert record["issued"] == "2026-11-20"
    assert record["incident"] == {"date": "2026-11-18", "time": "21:30–22:00"}
    assert record["offender"] == {"sex": "male", "age": "40s", "build": "stocky", "glasses": "no"}
    assert "contact_method" not in record and "expires" not in record
    assert record["identifiers"]["phones"] == ["+447700900123"]
    assert record["what_happened"] == BODY
    assert list(record) == [name for name in BUNDLE_FIELDS if name in record]


def test_a_withdrawn_alert_stops_matching_lookups():
    record = alert({"status": "withdrawn", "withdrawn_reason": "It was a mistake."}).bundle_record()
    assert record == {
        "number": "2026-0042",
        "status": "withdrawn",
        "issued": "2026-11-20",
        "region": "greater-manchester",
        "withdrawn_reason": "It was a mistake.",
    }


def test_the_text_is_kept_as_paragraphs_so_rewrapping_changes_nothing():
    wrapped = alert(body="He refused to pay\nand pushed her over.\n\n\nShe is safe.  \n")
    unwrapped = alert(body="He refused to pay and pushed her over.\n\nShe is safe.")
    assert wrapped.what_happened == "He refused to pay and pushed her over.\n\nShe is safe."
    assert wrapped.version_digest() == unwrapped.version_digest()


def test_the_digest_changes_with_what_members_see_and_only_with_that():
    original = alert()
    assert original.version_digest() == alert().version_digest()
    assert len(original.version_digest()) == 64
    assert alert({"reports": [REPORT_CANARY]}).version_digest() == original.version_digest()
    corrected = alert({"status": "corrected", "correction": "The van is white."})
    assert corrected.version_digest() != original.version_digest()
    assert alert(body=BODY + " Twice.").version_digest() != original.version_digest()


def test_repeated_choices_and_identifiers_are_kept_once():
    repeated = alert(
        {"categories": ["violence", "violence"], "identifiers": {"plates": ["ZZ99ZZZ", "ZZ99ZZZ"]}}
    )
    assert repeated.categories == ["violence"]
    assert repeated.identifiers.plates == ["ZZ99ZZZ"]


def test_regions_can_be_checked_against_another_list():
    fields = {**fields_with({"region": "atlantis"}), "what_happened": BODY}
    assert Alert.model_validate(fields, context={"regions": {"atlantis"}}).region == "atlantis"
    with pytest.raises(ValidationError, match="not a police force area"):
        Alert.model_validate(fields)


def test_translations_are_keyed_by_bcp47_tags_the_site_uses():
    body = {"what_happened": "Text."}
    keys = ["pl", "ro", "pt-BR", "zh-Hans", "zh-Hans-CN", "zh-CN", "pt"]
    record = alert({"translations": {key: body for key in keys}}).bundle_record()
    assert set(record["translations"]) == set(keys)
    for bad in ("en", "polish", "PL", "zh-hans", "pt_BR"):
        with pytest.raises(ValidationError):
            alert({"translations": {bad: body}})
