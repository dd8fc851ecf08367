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
