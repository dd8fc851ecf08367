"""SMS segment counting: GSM 03.38 septets (extension table counting two), else UCS-2."""

import doctest

import pytest

from uglymugs.messaging import sms
from uglymugs.messaging.sms import MAX_SEGMENTS, fits_sms, is_gsm, sms_segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        # The extension table costs two septets a character.
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("[x]" * 32, 1),
        ("{x}" * 32 + "|", 2),
        # An escape pair is never split between parts: 152 + (2 + 152) does not fit two.
        ("a" * 152 + "€" + "a" * 152, 3),
        ("a" * 151 + "€" + "a" * 153, 2),
        # One character outside the alphabet makes the whole text UCS-2.
        ("a" * 70 + "—", 2),
        ("a" * 71, 1),
        ("—" * 70, 1),
        ("—" * 71, 2),
        ("—" * 134, 2),
        ("—" * 135, 3),
        # UTF-16 code units: an emoji is two, and a surrogate pair is never split.
        ("😀" * 35, 1),
        ("😀" * 36, 2),
        ("a" * 66 + "😀" + "a" * 66, 3),
    ],
)
def test_segments(text, segments):
    assert sms_segments(text) == segments


def test_the_alphabet_is_gsm_03_38():
    # Accented capitals and a lower-case c cedilla are not in it; these are.
    assert is_gsm("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r")
    assert is_gsm("^{}\\[~]|€\f")
    for char in ("ç", "È", "’", "“", "—", "\x1b", "\t"):
        assert not is_gsm(char), char


def test_fits_sms_is_at_most_two_segments_unless_told():
    assert MAX_SEGMENTS == 2
    assert fits_sms("a" * 306) and not fits_sms("a" * 307)
    assert fits_sms("a" * 160, segments=1) and not fits_sms("a" * 161, segments=1)


def test_the_module_examples_are_true():
    assert doctest.testmod(sms).failed == 0
