"""``for_terminal``: every character that acts instead of showing comes out as an escape."""

import pytest

from uglymugs.safe_text import for_terminal, is_unsafe, unsafe_characters

C0 = [chr(code) for code in range(0x20)]
C1 = [chr(code) for code in range(0x80, 0xA0)]
BIDI = [
    *(chr(code) for code in range(0x202A, 0x202F)),  # embeddings and overrides
    *(chr(code) for code in range(0x2066, 0x206A)),  # isolates
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
]
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space (BOM)
    "\u00ad",  # soft hyphen
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\U000e0041",  # tag letter A (invisible text)
    "\u3164",  # Hangul filler: a letter that shows as nothing
    "\ud800",  # a lone surrogate, which a UTF-8 terminal cannot even encode
]


@pytest.mark.parametrize("char", [*C0, "\x7f", *C1, *BIDI, *INVISIBLE], ids=ascii)
def test_each_unsafe_character_is_shown_as_its_escape(char):
    assert is_unsafe(char)
    shown = for_terminal(f"a{char}b")
    assert shown == f"a{ascii(char)[1:-1]}b"
    assert shown.isascii() and shown.isprintable()


def test_the_attacks_from_the_review_are_visible_and_inert():
    hostile = "Acme\x1b[2J\x1b]0;title\x07\x1b]8;;https://evil.example/\x1b\\x\x9b1m\u202eevil"
    assert for_terminal(hostile) == (
        "Acme\\x1b[2J\\x1b]0;title\\x07\\x1b]8;;https://evil.example/\\x1b\\x\\x9b1m\\u202eevil"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Asociația Ștefan, Zakład Łódź, Associação São Paulo, 丑陋杯子项目",
        "O'Brien & Co. [Leeds] (50% off) ~ #1 @home",
        "café 🙂 — “quoted” – naïve\u00a0space",
    ],
)
def test_ordinary_text_in_every_language_is_unchanged(text):
    assert unsafe_characters(text) == ""
    assert for_terminal(text) is text


def test_newlines_are_escaped_unless_kept_for_a_table_cell():
    assert for_terminal("one\ntwo") == "one\\ntwo"
    assert for_terminal("one\ntwo\r\x1b", keep_newlines=True) == "one\ntwo\\r\\x1b"


def test_unsafe_characters_lists_each_once_in_order_except_those_allowed():
    assert unsafe_characters("a\u202eb\x1bc\u202e\nd") == "\u202e\x1b\n"
    assert unsafe_characters("a\u202eb\x1bc\u202e\nd", allowed="\n") == "\u202e\x1b"


def test_ascii_text_finds_the_same_controls_as_the_character_by_character_rule():
    """The ASCII fast path agrees with the category rule for every ASCII character."""
    text = "".join(chr(code) for code in range(128))
    slow = "".join(dict.fromkeys(char for char in text if is_unsafe(char)))
    assert unsafe_characters(text) == slow
    assert unsafe_characters(text, "\n\t") == slow.replace("\n", "").replace("\t", "")
