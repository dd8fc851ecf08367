"""Report numbers: format, check character, randomness."""

import itertools
import re

import pytest

from uglymugs.reports.numbers import (
    ALPHABET,
    ReportNumberError,
    check_character,
    is_valid,
    new_report_number,
    normalise,
)

FORMAT = re.compile(r"^UM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_format_is_um_and_three_groups_of_four():
    for _ in range(1000):
        assert FORMAT.match(new_report_number())


def test_no_collision_in_100000():
    numbers = {new_report_number() for _ in range(100_000)}
    assert len(numbers) == 100_000


def test_numbers_are_not_sequential():
    """Consecutive numbers share no prefix beyond chance: nothing counts upwards."""
    numbers = [new_report_number() for _ in range(1000)]
    same_first_group = sum(a[3:7] == b[3:7] for a, b in itertools.pairwise(numbers))
    assert same_first_group <= 2
    assert numbers != sorted(numbers)


def test_every_single_wrong_character_is_caught():
    compact = new_report_number().replace("-", "")[2:]
    for position, original in enumerate(compact):
        for replacement in ALPHABET.replace(original, ""):
            typo = compact[:position] + replacement + compact[position + 1 :]
            assert not is_valid(typo), typo


def test_most_swapped_neighbours_are_caught():
    caught = total = 0
    for _ in range(200):
        compact = new_report_number().replace("-", "")[2:]
        for i in range(len(compact) - 1):
            if compact[i] != compact[i + 1]:
                swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2 :]
                total += 1
                caught += not is_valid(swapped)
    assert caught / total > 0.95


def test_typed_forms_normalise():
    number = new_report_number()
    assert normalise(number.lower()) == number
    assert normalise(" " + number.replace("-", " ") + " ") == number
    assert normalise(number.replace("-", "")[2:]) == number


def test_lookalike_letters_are_read_as_digits():
    payload = "0000000001"
    number = "UM-" + payload[:4] + "-" + payload[4:8] + "-" + payload[8:] + "1"
    number += check_character((payload + "1").replace("-", ""))
    assert normalise(number.replace("0", "O").replace("1", "l")) == normalise(number)


@pytest.mark.parametrize("text", ["", "UM-", "UM-1234", "UM-1234-5678-9ABC-D", "UM-UUUU-UUUU-UUUU"])
def test_malformed_numbers_are_refused_clearly(text):
    with pytest.raises(ReportNumberError, match="report number"):
        normalise(text)


def test_wrong_check_character_says_so():
    number = new_report_number()
    last = number[-1]
    wrong = number[:-1] + ALPHABET[(ALPHABET.index(last) + 1) % len(ALPHABET)]
    with pytest.raises(ReportNumberError, match="wrong character"):
        normalise(wrong)
