"""``check_alerts``: one failing example per rule, lines that point at the key, examples pass."""

from datetime import date
from pathlib import Path

import pytest

from tests.alerts.alert_files import BODY, DELETE, TODAY, alert_text, write_alert
from uglymugs.alerts.check import (
    DEFAULT_TEXT_LIMIT,
    ERROR,
    ERROR_CODES,
    LIST_LIMIT,
    TEXT_LIMITS,
    WARNING,
    check_alerts,
)
from uglymugs.alerts.identifiers import normalise_phone
from uglymugs.alerts.model import PLACEHOLDER, WARNING_CODES

EXAMPLES = Path(__file__).resolve().parents[2] / "site" / "alerts"

# code -> front matter changes and body that break exactly that rule
BROKEN_FIELDS = {
    "missing-field": ({"risk": DELETE}, BODY),
    "unknown-field": ({"colour": "red"}, BODY),
    "bad-value": ({"categories": "violence"}, BODY),
    "bad-number": ({"number": "2025-0042"}, BODY),
    "unknown-status": ({"status": "draft"}, BODY),
    "unknown-region": ({"region": "mars"}, BODY),
    "unknown-category": ({"categories": ["murder"]}, BODY),
    "unknown-risk": ({"risk": "extreme"}, BODY),
    "unknown-contact-method": ({"contact_method": ["pigeon"]}, BODY),
    "unknown-choice": ({"offender": {"build": "huge"}}, BODY),
    "bad-language": ({"translations": {"polish": {"what_happened": "Nie zapłacił."}}}, BODY),
    "bad-date": ({"issued": "2026-11-31"}, BODY),
    "future-date": ({"issued": "2026-11-24", "incident": {"date": "2026-11-24"}}, BODY),
    "incident-after-issued": ({"incident": {"date": "2026-11-21"}}, BODY),
    "expires-before-issued": ({"expires": "2026-11-20"}, BODY),
    "bad-phone": ({"identifiers": {"phones": ["+44 1234"]}}, BODY),
    "phone-not-normalised": ({"identifiers": {"phones": ["07700 900123"]}}, BODY),
    "bad-email": ({"identifiers": {"emails": ["dave at example.org"]}}, BODY),
    "email-not-normalised": ({"identifiers": {"emails": ["Dave@Example.org"]}}, BODY),
    "bad-plate": ({"identifiers": {"plates": ["ZZ99 Z?Z"]}}, BODY),
    "plate-not-normalised": ({"identifiers": {"plates": ["zz99 zzz"]}}, BODY),
    "bad-report-number": ({"reports": ["UM-1234"]}, BODY),
    "correction-missing": ({"status": "corrected"}, BODY),
    "status-mismatch": ({"correction": "The van is white."}, BODY),
    "empty-body": ({}, "  \n"),
    "placeholder": ({}, PLACEHOLDER),
    "unknown-allow": ({"allow": ["everything"]}, BODY),
    "unused-allow": ({"allow": ["name-in-text"]}, BODY),
    "phone-in-text": ({}, "He texted her later from 07700 900456."),
    "email-in-text": ({}, "He wrote to her at someone.else@example.com afterwards."),
    "address-in-text": ({"area": "12 Baird Street, Manchester"}, BODY),
    "name-in-text": ({}, "He kept calling her Anna; her name is not Anna."),
    "control-character": ({"area": "Manchester\x1b[2J"}, BODY),
    "too-long": ({"offender": {"hair": "dark " * 100}}, BODY),
}
# code -> the whole file text that breaks that rule
BROKEN_TEXT = {
    "front-matter": "number: 2026-0042\nHe refused to pay.\n",
    "yaml": "---\nnumber: 2026-0042\nregion: [kent\n---\nHe refused to pay.\n",
    "duplicate-key": alert_text().replace("risk: high\n", "risk: high\nrisk: low\n"),
}


def check_one(tmp_path, text, name="2026-0042.md"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return check_alerts(tmp_path, today=TODAY)


def codes(result):
    return {problem.code for problem in result.problems}


def test_the_valid_alert_is_valid(tmp_path):
    write_alert(tmp_path)
    result = check_alerts(tmp_path, today=TODAY)
    assert result.problems == []
    assert result.ok
    assert [loaded.alert.number for loaded in result.alerts] == ["2026-0042"]
    assert result.alerts[0].path == tmp_path / "2026-0042.md"


@pytest.mark.parametrize(("code", "broken"), sorted(BROKEN_FIELDS.items()))
def test_each_rule_fails_its_example(tmp_path, code, broken):
    changes, body = broken
    result = check_one(tmp_path, alert_text(changes, body))
    assert code in codes(result), [str(problem) for problem in result.problems]
    assert not result.ok
    assert result.alerts == []
    expected = WARNING if code in WARNING_CODES else ERROR
    assert {p.severity for p in result.problems if p.code == code} == {expected}


@pytest.mark.parametrize(("code", "text"), sorted(BROKEN_TEXT.items()))
def test_malformed_files_fail(tmp_path, code, text):
    result = check_one(tmp_path, text)
    assert codes(result) == {code}
    assert not result.ok


def test_an_unreadable_file_fails(tmp_path):
    (tmp_path / "2026-0042.md").write_bytes(b"---\nnumber: \xff\n---\n")
    assert codes(check_alerts(tmp_path, today=TODAY)) == {"unreadable"}


def test_the_file_is_named_after_its_number(tmp_path):
    write_alert(tmp_path, name="draft.md")
    assert codes(check_alerts(tmp_path, today=TODAY)) == {"file-name"}


def test_numbers_are_unique_across_files(tmp_path):
    first = write_alert(tmp_path)
    second = write_alert(tmp_path, name="copy.md")
    result = check_alerts([first, second], today=TODAY)
    duplicate = [p for p in result.problems if p.code == "duplicate-number"]
    assert [p.path for p in duplicate] == [second]
    assert str(first) in duplicate[0].message
    assert [loaded.path for loaded in result.alerts] == [first]


def test_every_rule_has_a_failing_example_here():
    tested = set(BROKEN_FIELDS) | set(BROKEN_TEXT) | {"unreadable", "file-name", "duplicate-number"}
    assert tested == set(ERROR_CODES) | set(WARNING_CODES)


def test_problems_name_the_line_of_the_key_or_the_text(tmp_path):
    text = (
        "---\n"  # 1
        "number: 2026-0042\n"
        "status: published\n"
        "issued: 2026-11-20\n"
        "incident:\n"  # 5
        "  date: 2026-11-18\n"
        "region: greater-manchester\n"
        "area: Manchester city centre\n"
        "categories: [violence]\n"
        "risk: high\n"  # 10
        "offender:\n"
        "  build: huge\n"
        "identifiers:\n"
        "  phones:\n"
        "    - '+447700900123'\n"  # 15
        "    - 07700 900124\n"
        "---\n"
        "He refused to pay.\n"
        "\n"
        "She is called Anna.\n"  # 20
    )
    result = check_one(tmp_path, text)
    by_code = {problem.code: problem for problem in result.problems}
    assert by_code["unknown-choice"].line == 12
    assert by_code["phone-not-normalised"].line == 16
    assert "+447700900124" in by_code["phone-not-normalised"].message
    assert str(by_code["unknown-choice"]).startswith(
        f"{tmp_path / '2026-0042.md'}:12: offender.build"
    )
    path = write_alert(tmp_path, body="He refused to pay.\n\nShe is called Anna.")
    anna = path.read_text().splitlines().index("She is called Anna.") + 1
    warning = check_alerts(tmp_path, today=TODAY).problems[0]
    assert (warning.code, warning.line) == ("name-in-text", anna)
    assert str(warning).endswith("(name-in-text)")
    assert ": warning: " in str(warning)


def test_a_missing_region_says_how_to_choose_one(tmp_path):
    result = check_one(tmp_path, alert_text({"region": None}))
    assert [problem.message for problem in result.problems] == [
        "region: is required: choose a police force area id (docs/alerts.md lists them)"
    ]


def test_an_accepted_warning_does_not_block(tmp_path):
    write_alert(tmp_path, {"allow": ["name-in-text"]}, body="He says his name is Dave.")
    result = check_alerts(tmp_path, today=TODAY)
    assert [(p.code, p.accepted, p.blocking) for p in result.problems] == [
        ("name-in-text", True, False)
    ]
    assert result.ok
    assert str(result.problems[0]).endswith("(name-in-text, accepted)")
    assert len(result.alerts) == 1


def test_the_offenders_own_identifiers_may_be_in_the_text(tmp_path):
    body = "He booked by text from 07700 900123 and wrote from DAVE@example.org."
    assert check_one(tmp_path, alert_text({}, body)).problems == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("the woman's phone, +44 7700 900999, was taken", "phone-in-text"),
        ("went to 4a Acacia Avenue with him", "address-in-text"),
        ("near M1 2AB", "address-in-text"),
        ("they went to room 212", "address-in-text"),
        ("flat 3 above the shop", "address-in-text"),
        ("her working name was on the advert", "name-in-text"),
        ("he asked for Miss X by name", "name-in-text"),
        ("he said he knew Mrs Jones", "name-in-text"),
        ("she is known as Roxy", "name-in-text"),
    ],
)
def test_what_may_identify_the_victim_is_a_warning(tmp_path, text, code):
    result = check_one(tmp_path, alert_text({}, text))
    assert [(problem.code, problem.severity) for problem in result.problems] == [(code, WARNING)]


@pytest.mark.parametrize(
    "text",
    [
        "He paid £50 at the park, then took it back.",
        "Aged 35-40, about 5 ft 10, seen 2026-11-18 between 21:30 and 22:00.",
        "He called back three times and called her names.",
        "Registration ZZ99 ZZZ, seen on Baird Street.",
        "Wearing Dr Martens boots and a grey hoodie.",
    ],
)
def test_ordinary_alert_text_is_not_flagged(tmp_path, text):
    assert check_one(tmp_path, alert_text({}, text)).problems == []


def test_translations_and_the_area_are_scanned_too(tmp_path):
    changes = {
        "area": "Manchester",
        "translations": {"pl": {"what_happened": "Nie zapłacił; dzwonił z 07700 900777."}},
    }
    result = check_one(tmp_path, alert_text(changes))
    assert codes(result) == {"phone-in-text"}
    lines = (tmp_path / "2026-0042.md").read_text().splitlines()
    key_line = next(i for i, line in enumerate(lines, 1) if "what_happened:" in line)
    assert {problem.line for problem in result.problems} == {key_line}


def test_the_shipped_examples_pass_today():
    result = check_alerts(EXAMPLES, today=date.today())
    assert result.ok, "\n".join(map(str, result.problems))
    alerts = [loaded.alert for loaded in result.alerts]
    assert 5 <= len(alerts) <= 7
    assert {"published", "corrected", "withdrawn"} <= {alert.status for alert in alerts}
    assert any(alert.expires for alert in alerts)
    assert any(set(alert.translations) & {"pl", "ro"} for alert in alerts)
    looked_up = normalise_phone("07700 900123")
    assert any(looked_up in alert.identifiers.phones for alert in alerts)
    assert {"2009-0456", "2010-0123"} <= {alert.number for alert in alerts}


def test_the_examples_use_only_fictional_identifiers():
    result = check_alerts(EXAMPLES, today=date.today())
    for loaded in result.alerts:
        ids = loaded.alert.identifiers
        assert all(phone.startswith("+447700900") for phone in ids.phones)
        assert all(email.endswith(("@example.org", "@example.com")) for email in ids.emails)
        assert all(plate.startswith("ZZ") for plate in ids.plates)


HOSTILE = {
    "clear screen": "\x1b[2J",
    "window title": "\x1b]0;owned\x07",
    "OSC 8 link": "\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\",
    "C1 CSI": "\x9b31m",
    "right-to-left override": "\u202e",
    "bidi isolate": "\u2067",
    "left-to-right mark": "\u200e",
    "Arabic letter mark": "\u061c",
    "zero-width space": "\u200b",
    "invisible tag": "\U000e0041",
}


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"area": "Leeds{}"}, ("area",)),
        ({"offender": {"clothing": "grey{} hoodie"}}, ("offender", "clothing")),
        ({"identifiers": {"usernames": ["DaveM", "Dave{}"]}}, ("identifiers", "usernames", 1)),
        ({"translations": {"pl": {"area": "Leeds{}"}}}, ("translations", "pl", "area")),
        ({"region": "kent{}"}, ("region",)),
    ],
)
def test_control_and_bidi_characters_in_a_field_are_errors_on_its_line(
    tmp_path, hostile, changes, loc
):
    text = alert_text(_fill(changes, hostile))
    result = check_one(tmp_path, text)
    (problem,) = [p for p in result.problems if p.code == "control-character"]
    assert problem.severity == ERROR and not result.ok
    lines = text.splitlines()
    assert problem.line == _line_of(lines, loc)
    assert hostile not in str(problem) and "remove" in problem.message


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_control_and_bidi_characters_in_what_happened_name_their_line(tmp_path, hostile):
    body = f"He refused to pay.\n\nThen he{hostile} left."
    result = check_one(tmp_path, alert_text({}, body))
    (problem,) = result.problems
    assert problem.code == "control-character"
    lines = (tmp_path / "2026-0042.md").read_text(encoding="utf-8").split("\n")
    assert lines[problem.line - 1] == f"Then he{hostile} left."
    assert hostile not in str(problem)


def test_tabs_and_line_breaks_in_what_happened_are_fine(tmp_path):
    body = "He refused to pay.\n\n- pushed her\n\t- then left"
    assert check_one(tmp_path, alert_text({}, body)).problems == []


def test_a_hostile_key_is_named_escaped(tmp_path):
    text = alert_text().replace("risk: high\n", 'risk: high\n"col\\eour": red\n')
    result = check_one(tmp_path, text)
    assert "control-character" in codes(result)
    assert all("\x1b" not in str(problem) for problem in result.problems)


@pytest.mark.parametrize(
    ("changes", "limit"),
    [
        ({"area": "x" * (TEXT_LIMITS["area"] + 1)}, TEXT_LIMITS["area"]),
        ({"vehicle": {"make": "F" * 51}}, TEXT_LIMITS["vehicle.make"]),
        ({"translations": {"pl": {"what_happened": "a" * 3001}}}, 3000),
        ({"identifiers": {"sites": ["s" * 201]}}, TEXT_LIMITS["identifiers.sites"]),
        ({"region": "k" * (DEFAULT_TEXT_LIMIT + 1)}, DEFAULT_TEXT_LIMIT),
    ],
)
def test_over_long_fields_are_errors(tmp_path, changes, limit):
    result = check_one(tmp_path, alert_text(changes))
    (problem,) = [p for p in result.problems if p.code == "too-long"]
    assert f"at most {limit} characters" in problem.message and not result.ok


def test_over_long_what_happened_and_lists_are_errors(tmp_path):
    body = "He refused to pay. " * 200
    result = check_one(tmp_path, alert_text({}, body))
    assert "too-long" in codes(result)
    plates = [f"ZZ{n:02d}ZZZ" for n in range(LIST_LIMIT + 1)]
    result = check_one(tmp_path, alert_text({"identifiers": {"plates": plates}}))
    (problem,) = result.problems
    assert problem.code == "too-long" and f"at most {LIST_LIMIT} entries" in problem.message


def test_fields_at_their_limit_are_fine(tmp_path):
    changes = {"area": "x" * TEXT_LIMITS["area"], "offender": {"marks": "m" * 200}}
    assert check_one(tmp_path, alert_text(changes, "a" * 3000)).problems == []


def _fill(changes, hostile):
    if isinstance(changes, dict):
        return {key: _fill(value, hostile) for key, value in changes.items()}
    if isinstance(changes, list):
        return [_fill(value, hostile) for value in changes]
    return changes.replace("{}", hostile)


def _line_of(lines, loc):
    """The 1-based line of the key at ``loc`` in a file as ``alert_text`` writes it."""
    index = 0
    for part in loc:
        if isinstance(part, int):
            index = [i for i in range(index, len(lines)) if lines[i].lstrip().startswith("- ")][
                part
            ]
        else:
            index = next(
                i for i in range(index, len(lines)) if lines[i].lstrip().startswith(f"{part}:")
            )
    return index + 1


def test_the_address_patterns_match_where_their_plain_word_boundary_forms_do():
    """Two patterns start with a character class and a look-behind for speed; they must
    find exactly what ``\\b`` at their start finds, in text around the edge cases."""
    import re

    from uglymugs.alerts.check import _ADDRESS_PATTERNS

    plain = (
        re.compile(_ADDRESS_PATTERNS[0].pattern.replace(r"\d(?<!\w\d)\d{0,3}", r"\b\d{1,4}")),
        re.compile(
            _ADDRESS_PATTERNS[2].pattern.replace(r"[A-Z](?<!\w[A-Z])[A-Z]?", r"\b[A-Z]{1,2}")
        ),
    )
    assert plain[0].pattern.startswith(r"\b\d{1,4}")
    assert plain[1].pattern.startswith(r"\b[A-Z]{1,2}")
    samples = [
        "12 Baird Street",
        "x12 Baird Street",
        "12345 Baird Street, 4a Acacia Ave and 4,  Long Lane",
        "_7 Mill Road; 07 Mill Road; ７ Mill Road",
        "near M1 2AB or EC1A 1BB, aM1 2AB, XM1 2AB, W9 1AA.",
        "ABC1 2DE, A1 2BC3, ZZ99 ZZZ",
    ]
    for fast, reference in zip(_ADDRESS_PATTERNS[::2], plain, strict=True):
        for text in samples:
            found = [match.span() for match in fast.finditer(text)]
            assert found == [match.span() for match in reference.finditer(text)], text


def test_checking_makes_no_reference_cycles_and_leaves_the_collector_as_it_was(tmp_path):
    """check_alerts pauses Python's cycle collector; that is safe only while checking
    leaves nothing that only the collector could free."""
    import gc
    import shutil

    for path in EXAMPLES.glob("*.md"):
        shutil.copy(path, tmp_path / path.name)
    check_alerts(tmp_path, today=TODAY)  # first use: caches and lazy imports
    gc.collect()
    gc.disable()
    try:
        result = check_alerts(tmp_path, today=TODAY)
        left_for_the_collector = gc.collect()
    finally:
        gc.enable()
    assert result.alerts and result.ok
    assert left_for_the_collector == 0
    assert gc.isenabled()
    check_alerts(tmp_path, today=TODAY)
    assert gc.isenabled()
