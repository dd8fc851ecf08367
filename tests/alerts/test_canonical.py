"""Canonical JSON: the exact bytes signatures are made over."""

import json

import pytest

from uglymugs.alerts.canonical import CanonicalJSONError, canonical_bytes, is_canonical


def test_known_answer():
    value = {"b": [1, True, None], "a": "é", "A": {"z": "", "y": -3}}
    assert canonical_bytes(value) == '{"A":{"y":-3,"z":""},"a":"é","b":[1,true,null]}'.encode()


def test_key_order_does_not_matter():
    forwards = {"number": "2026-0001", "region": "kent", "alerts": [{"x": 1, "y": 2}]}
    backwards = {"alerts": [{"y": 2, "x": 1}], "region": "kent", "number": "2026-0001"}
    assert canonical_bytes(forwards) == canonical_bytes(backwards)


def test_keys_sort_by_code_point():
    assert canonical_bytes({"é": 1, "z": 2, "Z": 3, "a": 4}) == '{"Z":3,"a":4,"z":2,"é":1}'.encode()


def test_unicode_is_written_as_utf8_not_escaped():
    text = "Łódź 🚗 — “quotes” \u2028 العربية"
    data = canonical_bytes({"text": text})
    assert data == b'{"text":"' + text.encode("utf-8") + b'"}'
    assert json.loads(data)["text"] == text


def test_only_quote_backslash_and_controls_are_escaped():
    assert canonical_bytes('a"b\\c\nd\te\x00\x1f\x7f') == b'"a\\"b\\\\c\\nd\\te\\u0000\\u001f\x7f"'


def test_strings_are_not_normalised():
    composed, decomposed = "\u00e9", "e\u0301"
    assert canonical_bytes(composed) != canonical_bytes(decomposed)


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        {"a": 1.0},
        [float("nan")],
        2**53,
        -(2**53),
        {1: "int key"},
        {"a": {2, 3}},
        {"lone surrogate": "\ud800"},
        b"bytes",
    ],
)
def test_values_without_a_canonical_form_are_refused(value):
    with pytest.raises(CanonicalJSONError):
        canonical_bytes(value)


def test_the_largest_safe_integers_are_fine():
    assert canonical_bytes([2**53 - 1, -(2**53 - 1)]) == b"[9007199254740991,-9007199254740991]"


def test_tuples_are_arrays():
    assert canonical_bytes({"a": (1, 2)}) == canonical_bytes({"a": [1, 2]})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a":1,"b":2}', True),
        (b'{"b":2,"a":1}', False),
        (b'{"a": 1}', False),
        (b'{"a":1}\n', False),
        (b'{"a":1,"a":1}', False),
        (b'{"a":"\\u00e9"}', False),
        (b'{"a":1.0}', False),
        (b"NaN", False),
        (b"not json", False),
    ],
)
def test_is_canonical(data, expected):
    assert is_canonical(data) is expected


def test_assembled_objects_equal_canonical_ones():
    from uglymugs.alerts.canonical import assemble_array, assemble_object

    items = [{"b": 1, "a": "é"}, {"z": None}]
    value = {"zeta": 3, "alerts": items, "Été": "x"}
    assembled = assemble_object(
        {
            "zeta": canonical_bytes(3),
            "alerts": assemble_array([canonical_bytes(item) for item in items]),
            "Été": canonical_bytes("x"),
        }
    )
    assert assembled == canonical_bytes(value)
    assert assemble_array([]) == canonical_bytes([])
