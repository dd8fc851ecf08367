"""Front matter: YAML between --- lines, every value as written, lines for every key."""

import pytest

from uglymugs.alerts.front_matter import FrontMatterError, parse

TEXT = """---
number: 2026-0042
incident:
  date: 2026-11-20
  time: 21:30
offender:
  glasses: yes
identifiers:
  phones:
    - +447700900123
    - 07700900124
region:
---
He refused to pay.

Then he left.
"""


def test_values_stay_as_written_not_as_yaml_1_1_would_read_them():
    data = parse(TEXT).data
    assert data["incident"] == {"date": "2026-11-20", "time": "21:30"}
    assert data["offender"] == {"glasses": "yes"}
    assert data["identifiers"]["phones"] == ["+447700900123", "07700900124"]
    assert data["region"] is None


def test_lines_point_at_keys_list_items_and_the_body():
    matter = parse(TEXT)
    assert matter.line_of(("number",)) == 2
    assert matter.line_of(("incident", "time")) == 5
    assert matter.line_of(("identifiers", "phones", 1)) == 11
    assert matter.line_of(("offender", "missing")) == 6  # the nearest key that is there
    assert matter.line_of(("missing",)) == 1
    assert matter.body_line == 14
    assert matter.body.splitlines()[2] == "Then he left."


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("number: 2026-0042\n", "front-matter", 1),
        ("---\nnumber: 2026-0042\n", "front-matter", 1),
        ("---\nnumber: 2026-0042\nregion: [kent\n---\ntext\n", "yaml", 3),
        ("---\nnumber: 2026-0042\nnumber: 2026-0043\n---\ntext\n", "duplicate-key", 3),
    ],
)
def test_malformed_front_matter_says_where(text, code, line):
    with pytest.raises(FrontMatterError) as raised:
        parse(text)
    assert (raised.value.code, raised.value.line) == (code, line)


def test_windows_line_endings_and_a_bom_are_fine():
    matter = parse("\ufeff---\r\nnumber: 2026-0042\r\n---\r\ntext\r\n")
    assert matter.data == {"number": "2026-0042"}
    assert matter.body == "text\n"


# What PyYAML's own safe constructor (with only the null resolver) gives: the quick
# construction must give the same data, or leave the node to PyYAML.
SAME_AS_PYYAML = [
    "number: 2026-0042\nregion:\narea: ~\nrisk: null\nlist: [a, 'b', \"\", ~]\n",
    "a:\n  b:\n    - {c: d, e: [f, g]}\n    - - h\n      - NULL\n~: key that is null\n",
    "shared: &x [one, two]\nagain: *x\n",  # an alias
    "count: !!str 3\nflag: !!int 3\n",  # explicit tags
    "base: &b {a: 1}\nmerged:\n  <<: *b\n  c: 2\n",  # "<<" is not a merge here
    "set: !!set {a, b}\n",
    "area: B&Q car park\n",  # an ampersand that is no anchor
    "merged:\n  <<: text\n  c: 2\n",  # no anchor either: "<<" is a key like any other
]


@pytest.mark.parametrize("yaml_text", SAME_AS_PYYAML)
def test_quick_construction_gives_what_pyyaml_gives(yaml_text):
    from uglymugs.alerts.front_matter import _Loader

    loader = _Loader(yaml_text)
    try:
        expected = loader.get_single_data()
    finally:
        loader.dispose()
    assert parse(f"---\n{yaml_text}---\ntext\n").data == expected


@pytest.mark.parametrize(
    ("yaml_text", "line"),
    [
        ("a:\n  b: 1\n  b: 2\nc: 1\nc: 2\n", 4),  # the first found, depth first
        ("x: &x {k: 1}\ny: *x\nx: 2\n", 4),  # with an alias, PyYAML constructs
        ("x: !!str 1\nx: 2\n", 3),  # with a tag, too
    ],
)
def test_a_key_given_twice_is_found_on_either_path(yaml_text, line):
    with pytest.raises(FrontMatterError) as raised:
        parse(f"---\n{yaml_text}---\ntext\n")
    assert (raised.value.code, raised.value.line) == ("duplicate-key", line)


@pytest.mark.parametrize(
    "yaml_text",
    [
        "number: !!python/object:os.system ls\n",
        "? [complex, key]\n: value\n",
        "loop: &x [*x]\n",  # an alias inside what it names: was a RecursionError
    ],
)
def test_what_pyyaml_refuses_is_still_a_yaml_error(yaml_text):
    with pytest.raises(FrontMatterError) as raised:
        parse(f"---\n{yaml_text}---\ntext\n")
    assert raised.value.code == "yaml"
