"""How an alert reads: the order of its parts, the description as one line, and every
label and coded value in words, in each of the site's languages."""

from __future__ import annotations

import pytest

from uglymugs import i18n
from uglymugs.alerts.reading import (
    DESCRIPTION,
    RISKS,
    card_labels,
    describe,
    describe_vehicle,
    read,
    value_labels,
)
from uglymugs.languages import LANGUAGES

ENGLISH = i18n.translations("en").gettext
EXAMPLE = {
    "number": "2026-0008",
    "status": "corrected",
    "correction": "He was wearing a dark suit, not a tracksuit.",
    "issued": "2026-11-02",
    "incident": {"date": "2026-10-31", "time": "21:30–22:00"},
    "region": "northumbria",
    "area": "Newcastle upon Tyne, a hotel near the central station",
    "categories": ["rape", "non_payment"],
    "risk": "high",
    "contact_method": ["phone", "online_ad"],
    # In the file's (alphabetical) order on purpose: the line must not follow it.
    "offender": {
        "accent": "Geordie",
        "age": "40–50",
        "build": "large",
        "clothing": "dark suit",
        "ethnicity": "white",
        "glasses": "no",
        "hair": "grey, short",
        "height": "about 5 ft 10",
        "marks": "scar on his chin",
        "sex": "male",
    },
    "vehicle": {"registration": "AB12 C??", "model": "Focus", "make": "Ford", "colour": "red"},
    "identifiers": {"plates": ["AB12CDE"], "phones": ["+447700900123"]},
    "what_happened": "He booked an outcall.\n\nShe got away.",
    "translations": {"pl": {"what_happened": "Zarezerwował wizytę.", "area": "Newcastle"}},
}


def test_the_description_is_one_line_in_the_forms_order_whatever_the_files_order():
    assert describe(EXAMPLE["offender"], ENGLISH) == (
        "Male; aged 40–50; white; about 5 ft 10; large or heavy build; hair: grey, short; "
        "no glasses; marks: scar on his chin; accent: Geordie; wearing dark suit"
    )
    assert [name for name, _, _ in DESCRIPTION][:6] == [
        "sex",
        "age",
        "ethnicity",
        "height",
        "build",
        "hair",
    ]


def test_not_sure_and_empty_parts_are_left_out_and_free_text_is_one_line():
    offender = {"sex": "not_sure", "build": "not_sure", "age": "", "hair": "dark\n  short"}
    assert describe(offender, ENGLISH) == "hair: dark short"
    assert describe({}, ENGLISH) == ""


def test_the_vehicle_reads_as_people_say_it():
    assert describe_vehicle(EXAMPLE["vehicle"], ENGLISH) == "red Ford Focus, registration AB12 C??"
    assert describe_vehicle({"registration": "LK6"}, ENGLISH) == "registration LK6"
    assert describe_vehicle({}, ENGLISH) == ""


def test_an_alert_reads_correction_first_then_when_where_risk_then_what_happened():
    reading = read(EXAMPLE, ENGLISH, region_names={"northumbria": "Northumbria"})
    assert reading.correction == EXAMPLE["correction"]
    assert reading.title == "Alert 2026-0008" and reading.risk == "High risk"
    assert reading.when == "Saturday, 31 October 2026, 21:30–22:00"
    assert reading.where == "Newcastle upon Tyne, a hotel near the central station, Northumbria"
    assert reading.kinds == "Rape, Refused to pay"
    assert reading.contact == "By phone or text, Through an online advert"
    assert reading.what_happened == ["He booked an outcall.", "She got away."]
    assert reading.what_happened_lang == "en" and reading.original == []
    assert reading.identifiers == [("Phone numbers", "+447700900123"), ("Number plates", "AB12CDE")]
    assert reading.meta == "Issued 2026-11-02"


def test_an_alert_with_a_translation_reads_in_it_with_the_english_original():
    polish = i18n.translations("pl").gettext
    reading = read(EXAMPLE, polish, region_names={}, language="pl")
    assert reading.what_happened == ["Zarezerwował wizytę."]
    assert reading.what_happened_lang == "pl"
    assert reading.original == ["He booked an outcall.", "She got away."]
    assert reading.where == "Newcastle, northumbria"
    assert "2026" in reading.when and "October" not in reading.when


def test_odd_shapes_read_as_absent_rather_than_fail():
    odd = {"number": "2026-0001", "offender": ["x"], "vehicle": "red", "identifiers": None}
    odd |= {"incident": {"date": ["2026-11-01"]}, "categories": [{"x": 1}]}
    reading = read(odd, ENGLISH, region_names={})
    assert (reading.description, reading.vehicle, reading.identifiers) == ("", "", [])
    assert reading.risk_class == "unknown" and reading.when == ""


@pytest.mark.parametrize("language", LANGUAGES[1:], ids=lambda language: language.code)
def test_every_label_and_coded_value_is_translated_in_every_language(language):
    gettext = i18n.translations(language.locale).gettext
    labels = card_labels(gettext)
    words = [
        *(pattern for _, pattern, _ in labels["description"] if pattern != "{value}"),
        *(text for _, _, values in labels["description"] if values for text in values.values()),
        labels["registration"],
        *(label for _, label in labels["identifiers"]),
        *(gettext(label) for label in RISKS.values()),
        *(gettext(label) for label in value_labels("categories").values()),
    ]
    english = card_labels(ENGLISH)
    english_words = [
        *(pattern for _, pattern, _ in english["description"] if pattern != "{value}"),
        *(text for _, _, values in english["description"] if values for text in values.values()),
        english["registration"],
        *(label for _, label in english["identifiers"]),
        *RISKS.values(),
        *value_labels("categories").values(),
    ]
    untranslated = [w for w, e in zip(words, english_words, strict=True) if w == e]
    # "accent: {value}" is the same word in Romanian.
    assert set(untranslated) <= {"accent: {value}"}, untranslated
    reading = read(EXAMPLE, gettext, region_names={}, language=language.tag)
    shown = " ".join(
        [reading.title, reading.risk, reading.kinds, reading.contact, reading.description]
    )
    for raw in ("non_payment", "online_ad", "large", "male", "{value}"):
        assert raw not in shown, (language.code, raw)
