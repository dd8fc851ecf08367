"""Alert numbers: YYYY-NNNN, the next one after every number used this year."""

import pytest

from uglymugs.alerts.numbering import (
    AlertNumberError,
    format_number,
    next_number,
    parse_number,
    used_numbers,
)


def test_numbers_format_and_parse():
    assert format_number(2026, 7) == "2026-0007"
    assert parse_number("2026-0042") == (2026, 42)


@pytest.mark.parametrize("text", ["2026-42", "26-0042", "2026-0000", "2026_0042", "", "2026-00042"])
def test_malformed_numbers_are_refused(text):
    with pytest.raises(AlertNumberError):
        parse_number(text)


def test_the_first_number_of_a_year_is_0001(tmp_path):
    assert next_number(tmp_path, 2026) == "2026-0001"
    assert next_number(tmp_path / "missing", 2026) == "2026-0001"


def test_next_number_follows_file_names_and_number_fields_of_that_year(tmp_path):
    (tmp_path / "2026-0003.md").write_text("---\nnumber: 2026-0003\n---\n")
    (tmp_path / "renamed.md").write_text("---\nnumber: 2026-0007\n---\n")
    (tmp_path / "2025-0040.md").write_text("not even front matter")
    (tmp_path / "notes.txt").write_text("2026-0099")
    assert used_numbers(tmp_path) == {"2026-0003", "2026-0007", "2025-0040"}
    assert next_number(tmp_path, 2026) == "2026-0008"
    assert next_number(tmp_path, 2025) == "2025-0041"
    assert next_number(tmp_path, 2027) == "2027-0001"


def test_a_full_year_is_an_error(tmp_path):
    (tmp_path / "2026-9999.md").write_text("")
    with pytest.raises(AlertNumberError):
        next_number(tmp_path, 2026)
