"""Every signal a report carries that may say "the same man", read once per incident.

:func:`profile_of` turns an incident (a report and its follow-ups) or a published
alert into a :class:`Profile`: identifiers normalised as alerts normalise them (also
phone numbers and e-mails written in the free text), plates whole or partial
(:mod:`uglymugs.alerts.plates`), the vehicle, the description with its noise read
into ranges and concepts (age "40-50" and "mid 40s"; height "5ft 10", "178cm";
build and hair synonyms), marks and method in any of the five languages
(:mod:`uglymugs.cases.terms`), categories, contact, place and date.

Identifiers the reporter gave as their own contact details are left out: a project
writes its office number in every report it makes, and that is not the offender's.

>>> p = profile_of_answers("UM-X", {"offender_age": "mid 40s", "offender_height": "5ft 10"})
>>> p.age, p.height
((43, 47), (175, 181))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from uglymugs.alerts.identifiers import (
    IdentifierError,
    normalise_email,
    normalise_phone,
    normalise_username,
)
from uglymugs.alerts.plates import PlatePattern, parse_plates
from uglymugs.cases.number_words import cjk_digit, digits
from uglymugs.cases.terms import concepts, fold, words_of

MAX_FIELD = 2_000  # a description field read up to this many characters
MAX_FREE_TEXT = 20_000
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}")
_SENTENCE = re.compile(r"[.!?。！？\n]")
_NUMBER = re.compile(r"\d{1,3}")
# Words for "in his forties" (the number words themselves become digits first:
# :mod:`uglymugs.cases.number_words`): English decades, Portuguese "quarentão",
# Polish "po czterdziestce", "czterdziestolatek".
_DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "vintao": 20,
    "trintao": 30,
    "quarentao": 40,
    "cinquentao": 50,
    "sessentao": 60,
    "dwudziest": 20,
    "trzydziest": 30,
    "czterdziest": 40,
    "piecdziesi": 50,
    "szescdziesi": 60,
}
# After a number, "and a few" / "something" / "多": an age somewhere in that decade.
_DECADE_AFTER = (
    r"\s?(?:'?s\b|多|几|来?出头|\+|[\s-]?something|[\s-]?odd\b"
    r"|\s(?:e|si)\s(?:poucos|tantos|muitos|ceva|un pic)|\s?i\s(?:kilka|cos))"
)
_EARLY = ("early", "inceput", "inicio", "poczatek", "wczesn", "出头", "poucos")
_MID = ("mid", "middle", "meados", "mijloc", "srodek", "połowa", "polowa")
_LATE = ("late", "sfarsit", "final", "koniec", "pozn", "后半")
# "called himself Dave", "said his name was Dave", "se numea Dave", "chamava-se Dave" …
_NAME_CUES = (
    r"call(?:ed|s|ing)? himself",
    r"his name (?:is|was)",
    r"name (?:is|was)",
    r"introduced himself as",
    r"(?:goes|went) by",
    r"known as",
    r"his name'?s",
    r"se (?:numea|numeste|recomanda)",
    r"(?:il|ca il|o) cheama",
    r"(?:se )?cham(?:a|ava)(?:-se)?",
    r"se apresentou como",
    r"nazywa(?:l|ł)? sie",
    r"przedstawi(?:l|ł) sie(?: jako)?",
    r"ma(?:l|ł)? na imie",
)
# Chinese: 自称小王, 说他叫李强, 名叫阿伟 — two or three characters after the cue.
_ZH_NAME = re.compile(
    r"(?:自称|他叫|名叫|叫做|化名|自我介绍说?叫?)(?:是|为|叫)?[“\"「『]?([\u4e00-\u9fff]{2,3})"
)
# Characters that end a Chinese name early ("他叫李强还说…": 李强), and words after the
# cue that are not names (自称警察: claims to be police).
_ZH_AFTER_NAME = frozenset("还就说的后然和跟在是并又也把让给对先生，。、！？")
NOT_ZH_NAMES = ("警察", "警官", "便衣", "老板", "医生", "司机", "老公", "男朋友", "客人", "自己")
_NAME = re.compile(
    rf"\b(?:{'|'.join(_NAME_CUES)})[\s:,\"'“‘]{{1,4}}(?:(?:mr|mister)\.?\s)?([^\W\d_]{{2,20}})\b"
)
NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "his",
        "her",
        "my",
        "your",
        "their",
        "this",
        "that",
        "he",
        "she",
        "it",
        "not",
        "no",
        "mr",
        "mister",
        "police",
        "policeman",
        "officer",
        "cop",
        "doctor",
        "boss",
        "daddy",
        "papa",
        "big",
        "called",
        "calls",
        "himself",
        "name",
        "known",
        "as",
        "by",
    ]
)
_CM = re.compile(r"(\d{3})\s?(?:cm|cent[iy]m|公分|厘米)")
# "1.78 m", "1,8 m", "1m80" (Brazil), "1米75"; "um metro e 80", "metr 80" once words are digits
_METRES = re.compile(
    r"\b1(?:[.,](\d{1,2})\s?(?:m\b|metr|米)|\s?(?:m|米)\s?(\d{1,2})\b)"
    r"|\bmetr[ou]?\s{1,3}(?:(?:e|si)\s{1,3})?(\d{2})\b"
)
_CJK_METRES = re.compile(r"[一1]米([一二三四五六七八九零〇]{1,2})")  # 一米八: 1.8 m
_FEET_WORDS = {"four": 4, "five": 5, "six": 6, "seven": 7}
_INCH_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_INCH_WORDS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11}
_FEET_IN_WORDS = re.compile(
    rf"\b({'|'.join(_FEET_WORDS)})(\s?(?:ft|feet|foot)\b\.?\s?)({'|'.join(_INCH_WORDS)})?\b"
)
_FEET = re.compile(r"(\d)\s?(?:ft|feet|foot|'|’|′|pes|stop|英尺|尺)\.?\s?(\d{1,2})?")


@dataclass
class Profile:
    """What one incident (or alert) says of the offender, ready to compare."""

    number: str
    identifiers: set[tuple[str, str]] = field(default_factory=set)
    plates: list[PlatePattern] = field(default_factory=list)
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    sex: str | None = None
    age: tuple[int, int] | None = None
    height: tuple[int, int] | None = None
    build: set[str] = field(default_factory=set)
    hair: set[str] = field(default_factory=set)
    facial_hair: set[str] = field(default_factory=set)
    ethnicity: set[str] = field(default_factory=set)
    accent: set[str] = field(default_factory=set)
    marks: set[str] = field(default_factory=set)
    motifs: set[str] = field(default_factory=set)
    body_parts: set[str] = field(default_factory=set)
    sides: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # first names he gave in "what happened"
    categories: set[str] = field(default_factory=set)
    contact: set[str] = field(default_factory=set)
    force_area: str | None = None
    town: str | None = None
    when: date | None = None
    reporter_org: str | None = None  # a project's or site's name, folded

    def tokens(self) -> set[str]:
        """Every signal as one string, for counting how common each is in the vault."""
        found = {f"id:{kind}:{value}" for kind, value in self.identifiers}
        found |= {f"plate:{gram}" for plate in self.plates for gram in plate.grams()}
        for name in ("make", "model", "colour", "sex", "force_area", "town"):
            if value := getattr(self, name):
                found.add(f"{name}:{value}")
        for name in _SET_FIELDS:
            found |= {f"{name}:{value}" for value in getattr(self, name)}
        found |= {f"age:{decade}" for decade in _bins(self.age, 5)}
        found |= {f"height:{bin_}" for bin_ in _bins(self.height, 5)}
        if self.motifs and self.marks:
            found |= {f"mark:{m}:{t}" for m in self.motifs for t in self.marks}
        found |= {f"markat:{m}:{b}" for m in self.motifs for b in self.body_parts}
        found |= {
            f"markat:{m}:{b}:{side}"
            for m in self.motifs
            for b in self.body_parts
            for side in self.sides
        }
        return found


_SET_FIELDS = (
    "build",
    "hair",
    "facial_hair",
    "ethnicity",
    "accent",
    "marks",
    "motifs",
    "body_parts",
    "sides",
    "methods",
    "names",
    "categories",
    "contact",
)


def _bins(span: tuple[int, int] | None, width: int) -> range:
    if span is None or span[1] - span[0] > 3 * width:
        return range(0)
    return range(span[0] // width * width, span[1] + 1, width)


def profile_of_answers(
    number: str, answers: Mapping[str, Any], reporter: str | None = None
) -> Profile:
    """A profile from one set of answers (an incident's merged answers, or an alert's)."""
    text = _text(answers.get("what_happened"), MAX_FREE_TEXT)
    marks_text = _text(answers.get("offender_marks"))
    marks_text += " " + " ".join(_mark_sentences(text))
    profile = Profile(number)
    own = _own_identifiers(answers)
    profile.identifiers = _identifiers(answers, text) - own
    profile.plates = parse_plates(_text(answers.get("vehicle_registration")))
    profile.make = _first(concepts(_text(answers.get("vehicle_make")), "vehicle_makes"))
    model = " ".join(words_of(_text(answers.get("vehicle_model"), 60))[:3])
    profile.model = model or None
    profile.colour = _first(concepts(_text(answers.get("vehicle_colour")), "colours"))
    sex = _text(answers.get("offender_sex"))
    profile.sex = sex if sex in ("male", "female") else None
    profile.age = parse_age(_text(answers.get("offender_age")))
    profile.height = parse_height(_text(answers.get("offender_height")))
    build = _text(answers.get("offender_build"))
    profile.build = {build} if build in ("slim", "medium", "stocky", "large") else set()
    profile.hair = concepts(_text(answers.get("offender_hair")), "hair")
    profile.facial_hair = concepts(_text(answers.get("offender_facial_hair")), "facial_hair")
    profile.ethnicity = concepts(_text(answers.get("offender_ethnicity")), "ethnicity")
    profile.accent = concepts(_text(answers.get("offender_accent")), "accents")
    profile.marks = concepts(marks_text, "marks")
    profile.motifs = concepts(marks_text, "motifs")
    profile.body_parts = concepts(marks_text, "body_parts")
    profile.sides = concepts(marks_text, "sides")
    profile.methods = concepts(text, "methods")
    profile.names = names_in(text)
    profile.categories = set(_choices(answers.get("categories")))
    profile.contact = set(_choices(answers.get("contact_method")))
    area = _text(answers.get("force_area"))
    profile.force_area = area if area and area != "not_sure" else None
    town = " ".join(words_of(_text(answers.get("town_or_area"), 80)))
    profile.town = town or None
    profile.when = _date(answers.get("incident_date"))
    org = answers.get("project_name") or answers.get("site_name")
    if reporter in ("project", "site") and org:
        profile.reporter_org = fold(str(org)).strip() or None
    return profile


def parse_age(text: str) -> tuple[int, int] | None:
    """An age as a range of years: "40-50", "mid 40s", "about 45", "40多岁".

    >>> parse_age("40-50"), parse_age("mid 40s"), parse_age("early thirties")
    ((40, 50), (43, 47), (30, 33))
    >>> parse_age("forty-five"), parse_age("about fifty"), parse_age("nineteen")
    ((42, 48), (47, 53), (16, 22))
    >>> parse_age("cincizeci"), parse_age("patruzeci și ceva"), parse_age("cinquenta e dois")
    ((47, 53), (40, 49), (49, 55))
    >>> parse_age("trinta e poucos"), parse_age("pięćdziesiąt"), parse_age("po czterdziestce")
    ((30, 33), (47, 53), (40, 49))
    >>> parse_age("五十岁"), parse_age("四十多岁"), parse_age("三十出头")
    ((47, 53), (40, 49), (30, 33))
    """
    folded = digits(fold(text[:120]))
    numbers = [int(n) for n in _NUMBER.findall(folded) if 15 <= int(n) <= 95]
    decade = None
    if numbers and re.search(rf"{numbers[0]}{_DECADE_AFTER}", folded):
        decade = numbers[0] // 10 * 10 if len(numbers) == 1 else None
    for word, value in _DECADE_WORDS.items():
        if word in folded:
            decade = value
    if decade is not None:
        if _starts_a_word(folded, _EARLY):
            return decade, decade + 3
        if _starts_a_word(folded, _MID):
            return decade + 3, decade + 7
        if _starts_a_word(folded, _LATE):
            return decade + 6, decade + 9
        return decade, decade + 9
    if len(numbers) >= 2:
        return min(numbers[:2]), max(numbers[:2])
    if numbers:
        return numbers[0] - 3, numbers[0] + 3
    return None


def _starts_a_word(folded: str, words: tuple[str, ...]) -> bool:
    """A word begins with one of ``words`` ("late 40s", not "czterdziestolatek"); CJK anywhere."""
    return any(
        (word in folded) if not word.isascii() else re.search(rf"\b{word}", folded) is not None
        for word in words
    )


def names_in(text: str) -> set[str]:
    """First names the offender gave: "called himself Dave", "se numea Ionut" (folded).

    Only after such words, so "Dave" elsewhere (a worker's friend) is not read.

    >>> sorted(names_in("He called himself 'Dave'. Later said his name was Mr Smith."))
    ['dave', 'smith']
    >>> names_in("he called himself a policeman")
    set()
    >>> sorted(names_in("disse que se chamava Marcos; a zis că îl cheamă Dan; 他自称小王"))
    ['dan', 'marcos', '小王']
    """
    folded = fold(text[:MAX_FREE_TEXT])
    found = {name for name in _NAME.findall(folded) if name not in NOT_NAMES}
    if "自" in folded or "叫" in folded or "化名" in folded:
        found |= _chinese_names(folded)
    return found


def _chinese_names(text: str) -> set[str]:
    """自称小王 → 小王; 他叫李强还说 → 李强; 自称警察 → nothing.

    >>> sorted(_chinese_names("他自称小王，后来说他叫李强还要钱。他自称警察，他叫我走"))
    ['小王', '李强']
    """
    found = set()
    for match in _ZH_NAME.finditer(text):
        name = match.group(1)
        if len(name) == 3 and name[2] in _ZH_AFTER_NAME:
            name = name[:2]
        if name[0] in "我你她他它这那" or name[1] in _ZH_AFTER_NAME:
            continue
        if any(name.startswith(n) for n in NOT_ZH_NAMES):
            continue
        found.add(name)
    return found


def parse_height(text: str) -> tuple[int, int] | None:
    """A height as a range of centimetres: "5ft 10", "178cm", "1.78 m", "about 5'10".

    >>> parse_height("178cm"), parse_height("about 5'10"), parse_height("6 ft")
    ((175, 181), (175, 181), (179, 187))
    >>> parse_height("1m80"), parse_height("um metro e oitenta"), parse_height("一米七五")
    ((177, 183), (177, 183), (172, 178))
    >>> parse_height("six foot two"), parse_height("1,8 m"), parse_height("180公分")
    ((185, 191), (175, 185), (177, 183))
    """
    folded = _FEET_IN_WORDS.sub(_feet_in_digits, digits(fold(text[:120])))
    found: list[int] = []
    spread = 3
    for match in _CM.finditer(folded):
        found.append(int(match.group(1)))
    for match in _METRES.finditer(folded):
        centimetres = next(group for group in match.groups() if group is not None)
        found.append(100 + int(centimetres.ljust(2, "0")))
        spread = 3 if len(centimetres) == 2 else 5
    for match in _CJK_METRES.finditer(folded):
        said = [cjk_digit(char) or 0 for char in match.group(1)]
        found.append(100 + said[0] * 10 + (said[1] if len(said) > 1 else 0))
        spread = 3 if len(said) > 1 else 5
    for match in _FEET.finditer(folded):
        feet, inches = int(match.group(1)), match.group(2)
        if 4 <= feet <= 7:
            found.append(round(feet * 30.48 + int(inches or 0) * 2.54))
            spread = 3 if inches else 4
    found = [cm for cm in found if 140 <= cm <= 215]
    if not found:
        return None
    return min(found) - spread, max(found) + spread


def _feet_in_digits(match: re.Match[str]) -> str:
    inches = str(_INCH_WORDS[match.group(3)]) if match.group(3) else ""
    return f"{_FEET_WORDS[match.group(1)]}{match.group(2)}{inches}"


def _identifiers(answers: Mapping[str, Any], text: str) -> set[tuple[str, str]]:
    found = set()
    for name, kind, normalise in (
        ("phone_numbers", "phone", normalise_phone),
        ("emails", "e-mail", normalise_email),
        ("usernames", "username", normalise_username),
    ):
        for line in _lines(answers.get(name)):
            try:
                found.add((kind, normalise(line[:254])))
            except IdentifierError:
                continue
    found |= {("phone", phone) for phone in _phones_in(text)}
    found |= {("e-mail", email.lower()) for email in _EMAIL_IN_TEXT.findall(text)}
    for plate in parse_plates(_text(answers.get("vehicle_registration"))):
        if plate.whole:
            found.add(("plate", plate.chars))
    return found


def _own_identifiers(answers: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The reporter's own phone numbers and e-mails (their contact details)."""
    text = _text(answers.get("contact_details"))
    own = {("phone", phone) for phone in _phones_in(text)}
    return own | {("e-mail", email.lower()) for email in _EMAIL_IN_TEXT.findall(text)}


def _phones_in(text: str) -> set[str]:
    if not any(char.isdigit() for char in text):
        return set()
    import phonenumbers

    found = set()
    for match in phonenumbers.PhoneNumberMatcher(text[:MAX_FREE_TEXT], "GB", max_tries=50):
        try:
            found.add(normalise_phone(match.raw_string))
        except IdentifierError:
            continue
    return found


def _mark_sentences(text: str) -> Iterable[str]:
    """Sentences of "what happened" that describe a mark (a tattoo, a scar, …)."""
    if not concepts(text, "marks"):
        return
    for sentence in _SENTENCE.split(text):
        if concepts(sentence, "marks"):
            yield sentence


def _text(value: object, limit: int = MAX_FIELD) -> str:
    if isinstance(value, list):
        value = "\n".join(str(item) for item in value)
    return str(value or "")[:limit]


def _lines(value: object) -> list[str]:
    items = value if isinstance(value, list) else _text(value).splitlines()
    return [text for item in items[:50] if (text := str(item).strip())]


def _choices(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value] if value else []
    return [str(item) for item in values[:30] if item]


def _first(values: set[str]) -> str | None:
    return min(values) if values else None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
