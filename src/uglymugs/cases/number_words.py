"""Numbers written as words, in the five languages, turned into digits for ages and heights.

A report says "forty-five", "patruzeci și cinci", "quarenta e cinco", "czterdzieści
pięć" or "四十五岁"; "um metro e oitenta" or "一米八". :func:`digits` rewrites the
number words of a folded text (:func:`uglymugs.cases.terms.fold`: lower case, no
accents) as digits so the age and height readers see numbers; tens with an optional
unit ("e cinco", "și cinci", "-five"), the late teens, and Chinese numerals from
十 to 九十九. Units alone ("one", "um", "cinci") are left as words: they are too often
not numbers ("um" is also "a").

>>> digits("patruzeci si cinci de ani"), digits("quarenta e poucos")
('45 de ani', '40 e poucos')
>>> digits("okolo czterdziestu pieciu lat"), digits("五十岁"), digits("三十出头")
('okolo 45 lat', '50岁', '30出头')
"""

from __future__ import annotations

import re

# Folded (no accents, ł → l) tens: English, Romanian, Portuguese, Polish (and its
# genitive, "około czterdziestu lat").
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "douazeci": 20,
    "treizeci": 30,
    "patruzeci": 40,
    "cincizeci": 50,
    "saizeci": 60,
    "saptezeci": 70,
    "optzeci": 80,
    "vinte": 20,
    "trinta": 30,
    "quarenta": 40,
    "cinquenta": 50,
    "sessenta": 60,
    "setenta": 70,
    "oitenta": 80,
    "dwadziescia": 20,
    "trzydziesci": 30,
    "czterdziesci": 40,
    "piecdziesiat": 50,
    "szescdziesiat": 60,
    "siedemdziesiat": 70,
    "osiemdziesiat": 80,
    "dwudziestu": 20,
    "trzydziestu": 30,
    "czterdziestu": 40,
    "piecdziesieciu": 50,
    "szescdziesieciu": 60,
    "siedemdziesieciu": 70,
    "osiemdziesieciu": 80,
}
UNITS = {
    **dict.fromkeys(("one", "unu", "una", "um", "uma", "jeden", "jednego"), 1),
    **dict.fromkeys(("two", "doi", "doua", "dois", "duas", "dwa", "dwoch"), 2),
    **dict.fromkeys(("three", "trei", "tres", "trzy", "trzech"), 3),
    **dict.fromkeys(("four", "patru", "quatro", "cztery", "czterech"), 4),
    **dict.fromkeys(("five", "cinci", "cinco", "piec", "pieciu"), 5),
    **dict.fromkeys(("six", "sase", "seis", "szesc", "szesciu"), 6),
    **dict.fromkeys(("seven", "sapte", "sete", "siedem", "siedmiu"), 7),
    **dict.fromkeys(("eight", "opt", "oito", "osiem", "osmiu"), 8),
    **dict.fromkeys(("nine", "noua", "nove", "dziewiec", "dziewieciu"), 9),
}
TEENS = {
    **dict.fromkeys(("sixteen", "saisprezece", "dezesseis", "szesnascie"), 16),
    **dict.fromkeys(("seventeen", "saptesprezece", "dezessete", "siedemnascie"), 17),
    **dict.fromkeys(("eighteen", "optsprezece", "dezoito", "osiemnascie"), 18),
    **dict.fromkeys(("nineteen", "nouasprezece", "dezenove", "dziewietnascie"), 19),
}
_CONNECT = r"(?:[\s-]{1,3}(?:(?:si|e|and)\s{1,3})?)"
_WORDS = re.compile(
    rf"\b(?:({'|'.join(TENS)})(?:{_CONNECT}({'|'.join(UNITS)}))?|({'|'.join(TEENS)}))\b"
)
_CJK_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_CJK_DIGITS |= {"九": 9}
_CJK = "".join(_CJK_DIGITS)
_CJK_NUMBER = re.compile(rf"([{_CJK}]?)十([{_CJK}]?)")


def digits(folded: str) -> str:
    """``folded`` with its number words (tens and units, late teens, Chinese) as digits."""
    folded = _WORDS.sub(_word_number, folded)
    if "十" in folded:
        folded = _CJK_NUMBER.sub(_cjk_number, folded)
    return folded


def cjk_digit(char: str) -> int | None:
    """一 → 1 … 九 → 9 (零 and 〇 → 0), or None."""
    return 0 if char in "零〇" else _CJK_DIGITS.get(char)


def _word_number(match: re.Match[str]) -> str:
    if match.group(3):
        return str(TEENS[match.group(3)])
    units = UNITS[match.group(2)] if match.group(2) else 0
    return str(TENS[match.group(1)] + units)


def _cjk_number(match: re.Match[str]) -> str:
    tens = _CJK_DIGITS[match.group(1)] if match.group(1) else 1
    units = _CJK_DIGITS[match.group(2)] if match.group(2) else 0
    return str(tens * 10 + units)
