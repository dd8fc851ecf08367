"""Number plates as people report them: whole, partial, or misread.

A report's plate is often part of one ("AB12 C??", "starts LK6", "ends XYZ", "AB12")
and often misread (0 for O, 1 for I, 5 for S, 8 for B, 2 for Z). Both the suggested
links between incidents (:mod:`uglymugs.cases.links`) and a member's plate check
(:mod:`uglymugs.members.published`) ask the same question through this one module:
could these two descriptions be the same car, and on what evidence?

A :class:`PlatePattern` is one of four shapes:

- ``fixed``: the plate's length is known; ``?``, ``_`` or ``*`` stand for one unknown
  character each (``AB12 C??``). A whole plate is a fixed pattern with no unknowns.
- ``prefix``: how it starts (``starts LK6``, ``LK6...``, in any of the five languages).
- ``suffix``: how it ends (``ends XYZ``, ``...XYZ``).
- ``fragment``: a piece under five characters with no word around it (``AB12``),
  which could be anywhere in the plate.

Parsing is linear in the text (no backtracking regex) and reads at most
:data:`MAX_TEXT` characters, so a hostile query costs nothing.

>>> parse_plate("AB12 C??").shown
'AB12 C??'
>>> compare(parse_plate("AB12 C??"), parse_plate("ab12cde")).agreed
5
>>> compare(parse_plate("starts LK6"), parse_plate("LK61 ABC")) is not None
True
>>> compare(parse_plate("AB12 CDE"), parse_plate("A812 CDE")).misread
(('B', '8'),)
>>> compare(parse_plate("AB12 CDE"), parse_plate("XY12 CDE")) is None
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

FIXED, PREFIX, SUFFIX, FRAGMENT = "fixed", "prefix", "suffix", "fragment"
UNKNOWN = "?"
MAX_TEXT = 120  # a plate and a few words; the rest of a longer text is not read
MAX_PLATE = 10  # letters and digits; longer is not a plate
FULL_LENGTH = 5  # a bare piece shorter than this is a fragment, not a whole plate
MIN_AGREED = 3  # characters both must know and agree on before it is evidence
MAX_MISREAD = 1  # misread characters tolerated in one comparison
GRAM = 3  # characters in a row, for finding candidates quickly

# Characters people and cameras confuse on plates, each pair mapped to one class.
CONFUSABLE = {"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"}
_WILDCARDS = frozenset("?_*")
_OPEN = frozenset(".…")
_PLATE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") | _WILDCARDS | _OPEN
# Words that say which end of the plate is known, in the five languages.
_START_WORDS = ("start", "begin", "incep", "încep", "começ", "comec", "inicia", "zaczyna")
_START_CJK = ("开头", "开始", "起始", "前面", "前几")
_END_WORDS = ("end", "termin", "kończy", "konczy")
_END_CJK = ("结尾", "结束", "末尾", "最后", "后面")
# Short words that are not parts of a plate (plates' letter groups are at most four).
_SEPARATORS = frozenset(",;:-/()'\"[]{}<>!|")
_CJK_START = 0x2E80
_STOP_WORDS = frozenset(
    " ".join(
        (
            "a an and car reg plate was is it its the with in on of or to like maybe end ends",
            "from part only not sure unk nr cu si și în de la e o os em com um uma na no do",
            "od i w z się sie nie czy ma",
        )
    ).split()
)


@dataclass(frozen=True)
class PlatePattern:
    """What is known of a plate: ``chars`` upper-case with ``?`` for unknown ones."""

    chars: str
    kind: str  # FIXED, PREFIX, SUFFIX or FRAGMENT

    @property
    def whole(self) -> bool:
        """A complete plate: fixed length, every character known."""
        return self.kind == FIXED and UNKNOWN not in self.chars and len(self.chars) >= FULL_LENGTH

    @property
    def known(self) -> int:
        return sum(char != UNKNOWN for char in self.chars)

    @property
    def shown(self) -> str:
        """The pattern in any language: ``AB12 C??``, ``LK6…`` (starts), ``…XYZ`` (ends)."""
        chars = self.chars
        if self.kind == FIXED and len(chars) == 7:  # the UK's current format
            chars = f"{chars[:4]} {chars[4:]}"
        if self.kind == PREFIX:
            return f"{chars}…"
        if self.kind == SUFFIX:
            return f"…{chars}"
        return chars

    def grams(self) -> set[str]:
        """Runs of :data:`GRAM` known characters (confusables folded): candidates share one."""
        folded = "".join(CONFUSABLE.get(char, char) for char in self.chars)
        return {
            folded[i : i + GRAM]
            for i in range(len(folded) - GRAM + 1)
            if UNKNOWN not in folded[i : i + GRAM]
        }


@dataclass(frozen=True)
class Agreement:
    """How two patterns fit: characters ``agreed`` exactly, and ``misread`` pairs."""

    agreed: int
    misread: tuple[tuple[str, str], ...] = ()

    @property
    def exact(self) -> bool:
        return not self.misread


def parse_plate(text: str) -> PlatePattern | None:
    """What ``text`` says of a plate, or None when it holds no plate characters.

    >>> parse_plate("zaczyna się od LK6").shown
    'LK6…'
    >>> parse_plate("车牌开头是LK6").kind
    'prefix'
    >>> parse_plate("ab12") == PlatePattern("AB12", FRAGMENT)
    True
    >>> parse_plate("not sure") is None
    True
    """
    text = text[:MAX_TEXT]
    words: list[str] = []
    pieces: list[str] = []
    lower_is_word = any("A" <= char <= "Z" for char in text)  # "AB12 C?? was it"
    for token in _tokens(text):
        if _is_plate_piece(token, lower_is_word):
            pieces.append(token.upper())
        else:
            words.append(token.casefold())
    body = "".join(pieces)
    said = " ".join(words)
    start = any(word in said for word in _START_WORDS + _START_CJK) or _ends_open(body)
    end = any(word in said for word in _END_WORDS + _END_CJK) or _starts_open(body)
    chars = "".join(UNKNOWN if char in _WILDCARDS else char for char in body if char not in _OPEN)
    if not chars or len(chars) > MAX_PLATE or chars.count(UNKNOWN) == len(chars):
        return None
    if start and not end:
        return PlatePattern(chars.rstrip(UNKNOWN), PREFIX)
    if end and not start:
        return PlatePattern(chars.lstrip(UNKNOWN), SUFFIX)
    if UNKNOWN in chars or len(chars) >= FULL_LENGTH:
        return PlatePattern(chars, FIXED)
    return PlatePattern(chars, FRAGMENT)


def compare(one: PlatePattern, other: PlatePattern) -> Agreement | None:
    """How ``one`` and ``other`` could be the same plate, or None when they cannot be
    (or share too little to say: under :data:`MIN_AGREED` characters agreed).

    Where the alignment is unknown (a fragment), the best-fitting place is taken.
    """
    best: Agreement | None = None
    for offset_one, offset_other, length in _alignments(one, other):
        found = _agree(
            one.chars[offset_one : offset_one + length],
            other.chars[offset_other : offset_other + length],
        )
        if found is not None and (best is None or _better(found, best)):
            best = found
    return best


def _alignments(one: PlatePattern, other: PlatePattern) -> Iterator[tuple[int, int, int]]:
    """``(start in one, start in other, length)`` for each way the two could line up."""
    a, b = len(one.chars), len(other.chars)
    kinds = {one.kind, other.kind}
    if one.kind == FIXED and other.kind == FIXED:
        if a == b:
            yield 0, 0, a
    elif kinds == {PREFIX, SUFFIX}:
        return  # the two ends of a plate: nothing to compare
    elif FRAGMENT in kinds:
        short, long_ = (one, other) if a <= b else (other, one)
        for offset in range(len(long_.chars) - len(short.chars) + 1):
            if short is one:
                yield 0, offset, len(short.chars)
            else:
                yield offset, 0, len(short.chars)
    elif PREFIX in kinds:  # prefix with prefix or a fixed plate
        if (one.kind == FIXED and a < b) or (other.kind == FIXED and b < a):
            return
        yield 0, 0, min(a, b)
    else:  # suffix with suffix or a fixed plate
        if (one.kind == FIXED and a < b) or (other.kind == FIXED and b < a):
            return
        length = min(a, b)
        yield a - length, b - length, length


def _agree(left: str, right: str) -> Agreement | None:
    agreed = 0
    misread: list[tuple[str, str]] = []
    for x, y in zip(left, right, strict=True):
        if UNKNOWN in (x, y):
            continue
        if x == y:
            agreed += 1
        elif CONFUSABLE.get(x, x) == CONFUSABLE.get(y, y):
            misread.append((x, y))
        else:
            return None
    if agreed < MIN_AGREED or len(misread) > MAX_MISREAD:
        return None
    return Agreement(agreed, tuple(misread))


def _better(found: Agreement, best: Agreement) -> bool:
    return (found.agreed, -len(found.misread)) > (best.agreed, -len(best.misread))


def _tokens(text: str) -> Iterator[str]:
    """Words and pieces: split at spaces and punctuation, and around CJK characters
    (Chinese writes no spaces: ``车牌开头是LK6``)."""
    run: list[str] = []
    cjk_run = False
    for char in text:
        if char.isspace() or char in _SEPARATORS:
            if run:
                yield "".join(run)
            run = []
            continue
        cjk = ord(char) >= _CJK_START
        if run and cjk != cjk_run:
            yield "".join(run)
            run = []
        cjk_run = cjk
        run.append(char)
    if run:
        yield "".join(run)


def _is_plate_piece(token: str, lower_is_word: bool) -> bool:
    """A token made only of plate characters that is not a word around the plate."""
    if not all((char.upper() if char.isascii() else char) in _PLATE_CHARS for char in token):
        return False
    if token.casefold() in _STOP_WORDS:
        return False
    if token.isalpha():
        return len(token) <= 4 and not (lower_is_word and not token.isupper())
    return True


def _ends_open(body: str) -> bool:
    return body.endswith(("..", "…")) and not _starts_open(body)


def _starts_open(body: str) -> bool:
    return body.startswith(("..", "…"))


def parse_plates(text: str) -> list[PlatePattern]:
    """Every plate in ``text``, one per line (reports may give more than one)."""
    found = []
    for line in text[: MAX_TEXT * 4].splitlines()[:8]:
        pattern = parse_plate(line)
        if pattern is not None:
            found.append(pattern)
    return found
