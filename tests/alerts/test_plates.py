"""Plate patterns: whole, partial and misread plates, as reports and alerts give them."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uglymugs.alerts.plates import (
    FIXED,
    FRAGMENT,
    PREFIX,
    SUFFIX,
    PlatePattern,
    compare,
    parse_plate,
    parse_plates,
)


@pytest.mark.parametrize(
    ("text", "chars", "kind"),
    [
        ("AB12 CDE", "AB12CDE", FIXED),
        ("ab12-cde", "AB12CDE", FIXED),
        ("AB12 C??", "AB12C??", FIXED),
        ("AB12 C__", "AB12C??", FIXED),
        ("AB12 C**", "AB12C??", FIXED),
        ("starts LK6", "LK6", PREFIX),
        ("starting with lk6", "LK6", PREFIX),
        ("LK6...", "LK6", PREFIX),
        ("LK6…", "LK6", PREFIX),
        ("ends XYZ", "XYZ", SUFFIX),
        ("...XYZ", "XYZ", SUFFIX),
        ("începe cu LK6", "LK6", PREFIX),
        ("começa com LK6", "LK6", PREFIX),
        ("termina com XYZ", "XYZ", SUFFIX),
        ("zaczyna się od LK6", "LK6", PREFIX),
        ("kończy się na XYZ", "XYZ", SUFFIX),
        ("车牌开头是LK6", "LK6", PREFIX),
        ("结尾是XYZ", "XYZ", SUFFIX),
        ("AB12", "AB12", FRAGMENT),
        ("something like AB12 CDE", "AB12CDE", FIXED),
        ("Ford Focus AB12 CDE", "AB12CDE", FIXED),
    ],
)
def test_plates_as_people_write_them(text, chars, kind):
    assert parse_plate(text) == PlatePattern(chars, kind)


@pytest.mark.parametrize("text", ["", "not sure", "???", "...", "A" * 11, "!!", "车牌"])
def test_no_plate(text):
    assert parse_plate(text) is None


@pytest.mark.parametrize(
    ("one", "other", "agreed", "misread"),
    [
        ("AB12 C??", "AB12 CDE", 5, ()),
        ("starts LK6", "LK61 XYZ", 3, ()),
        ("ends XYZ", "LK61 XYZ", 3, ()),
        ("AB12", "XAB12CD", 4, ()),
        ("AB12 CDE", "A812 CDE", 6, (("B", "8"),)),
        ("AB12 CDE", "AB12 CDE", 7, ()),
        ("AB1O CDE", "AB10 CDE", 6, (("O", "0"),)),
        ("starts AB1", "AB12", 3, ()),
        ("AB12 C??", "AB1? ?DE", 3, ()),
    ],
)
def test_compatible_plates_and_the_evidence(one, other, agreed, misread):
    found = compare(parse_plate(one), parse_plate(other))
    assert found is not None and (found.agreed, found.misread) == (agreed, misread)
    assert compare(parse_plate(other), parse_plate(one)).agreed == agreed


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("AB12 CDE", "AB13 CDE"),  # a plain difference
        ("AB12 CDE", "A812 C0E"),  # two misreadings is too many
        ("starts LK6", "ends XYZ"),  # nothing to compare
        ("AB12 C??", "AB12 CD"),  # different lengths
        ("starts AB", "AB12 CDE"),  # too little known
        ("AB12 CDE", "starts AB12 CDEF"),  # a prefix longer than the plate
    ],
)
def test_incompatible_or_too_little_to_say(one, other):
    assert compare(parse_plate(one), parse_plate(other)) is None


def test_candidates_share_a_run_of_characters_even_when_misread():
    assert parse_plate("AB12 CDE").grams() & parse_plate("A812 CDE").grams()
    assert parse_plate("AB12 C??").grams() == {"A81", "812", "12C"}


def test_several_plates_one_per_line():
    assert [p.shown for p in parse_plates("AB12 CDE\nnot sure\nstarts LK6")] == ["AB12 CDE", "LK6…"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_quickly_and_safely(text):
    started = time.perf_counter()
    pattern = parse_plate(text)
    if pattern is not None:
        assert 1 <= len(pattern.chars) <= 10
        assert set(pattern.shown) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789? …")
        compare(pattern, parse_plate("AB12 CDE"))
    assert time.perf_counter() - started < 0.5  # catastrophic backtracking takes far longer


def test_hostile_long_text_reads_only_the_start():
    started = time.perf_counter()
    assert parse_plate("(a+)+$" * 100_000) is None
    parse_plates("AB12 CDE\n" * 100_000)
    assert time.perf_counter() - started < 3
