"""Identifiers normalise to one spelling, so a member's lookup finds the alert's."""

import pytest

from uglymugs.alerts.identifiers import (
    IdentifierError,
    is_e164,
    normalise_email,
    normalise_phone,
    normalise_plate,
    normalise_username,
)


@pytest.mark.parametrize(
    "written",
    ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900123", "0044 7700 900123"],
)
def test_every_spelling_of_the_drama_number_is_one_e164_number(written):
    assert normalise_phone(written) == "+447700900123"


def test_a_real_range_normalises_and_other_regions_can_be_the_default():
    assert normalise_phone("020 7946 0000") == "+442079460000"
    assert normalise_phone("+33 1 23 45 67 89") == "+33123456789"
    assert normalise_phone("01 23 45 67 89", default_region="FR") == "+33123456789"


@pytest.mark.parametrize("written", ["", "call me", "123", "07700 90012", "+44 1234"])
def test_what_cannot_be_a_number_is_refused_with_the_text(written):
    with pytest.raises(IdentifierError, match="phone number"):
        normalise_phone(written)


def test_emails_are_trimmed_and_lower_cased():
    assert normalise_email("  Dave.M+work@Example.ORG ") == "dave.m+work@example.org"


@pytest.mark.parametrize(
    "written", ["", "dave", "dave@", "@example.org", "dave@example", "a b@x.org"]
)
def test_what_is_not_an_email_is_refused(written):
    with pytest.raises(IdentifierError, match="not an e-mail address"):
        normalise_email(written)


@pytest.mark.parametrize(
    ("written", "plate"), [("CN51 QZX", "CN51QZX"), ("cn51-qzx", "CN51QZX"), (" zz99 ", "ZZ99")]
)
def test_plates_lose_spaces_and_case(written, plate):
    assert normalise_plate(written) == plate


@pytest.mark.parametrize("written", ["", "  ", "CN51 Q?X", "CN51 QZX!"])
def test_plates_are_letters_and_digits_only(written):
    with pytest.raises(IdentifierError, match="not a number plate"):
        normalise_plate(written)


def test_usernames_lose_the_at_sign_case_and_extra_spaces():
    assert normalise_username(" @DaveM ") == "davem"
    assert normalise_username("Dave   Does  Cardiff") == "dave does cardiff"
    with pytest.raises(IdentifierError):
        normalise_username(" @ ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+447700900123", True),
        ("+15551234567", True),
        ("07700900123", False),
        ("+44 7700 900123", False),
        ("+0447700900123", False),
        ("+44770090012345678", False),
    ],
)
def test_is_e164_checks_the_form_normalise_phone_writes(text, expected):
    assert is_e164(text) is expected
