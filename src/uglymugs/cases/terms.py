"""Concepts in free text, in any of the five languages: marks, methods, hair, colours.

Reports describe one offender in many words: "tattoo", "tatuaj", "tatuagem", "tatuaż"
and "纹身" are one mark; "took the condom off" and "a scos prezervativul" one method.
:func:`concepts` finds the concepts of ``src/uglymugs/data/link_terms.yaml`` in a text:
Latin-script words after case-folding and removing accents (whole words for short
terms, word beginnings for longer ones, and rapidfuzz for misspellings such as
"tatoo"), phrases word by word, and Chinese terms as substrings. Every lookup is
linear in the text, and a text is read up to :data:`MAX_TEXT` characters.

>>> sorted(concepts("He had a snake tatoo on his left forearm", "motifs"))
['snake']
>>> sorted(concepts("tatuaj cu un șarpe", "marks"))
['tattoo']
>>> sorted(concepts("他自称警察，还偷偷摘套", "methods"))
['claims_police', 'condom_removal']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

TERMS_FILE = Path(__file__).resolve().parents[1] / "data" / "link_terms.yaml"
MAX_TEXT = 20_000
SHORT = 4  # terms this short match whole words only ("arm" must not find "arma")
FUZZY_MIN = 5  # words at least this long may be misspelt
FUZZY_SCORE = 88  # rapidfuzz ratio a misspelling needs ("tatoo" ~ "tattoo" is 90.9)
_CJK_START = 0x2E80
_WORD = re.compile(r"[^\W_\u2e80-\U0010ffff]+")
_FOLD = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "’": "'"})


@dataclass(frozen=True)
class Vocabulary:
    """One group of concepts (``marks``, ``methods``, …), indexed for lookups."""

    labels: dict[str, str]  # concept → label for reasons
    words: dict[str, frozenset[str]]  # folded one-word term → concepts
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word → (words, concept)
    cjk: tuple[tuple[str, str], ...]  # (term, concept)
    fuzzy_choices: tuple[str, ...]  # one-word terms long enough to be misspelt


def fold(text: str) -> str:
    """Case-folded, accents removed: ``Tatuaż`` → ``tatuaz``, ``șarpe`` → ``sarpe``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=4096)
def words_of(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (letters and digits), CJK characters left out."""
    return tuple(_WORD.findall(fold(text[:MAX_TEXT])))


@cache
def vocabulary(group: str) -> Vocabulary:
    """The concepts of ``group`` in the terms file, indexed."""
    entries = _terms()[group]
    labels, words, phrases, cjk = {}, {}, {}, []
    for concept, entry in entries.items():
        labels[concept] = str(entry["label"])
        for term in entry["terms"]:
            term = str(term)
            if any(ord(char) >= _CJK_START for char in term):
                cjk.append((term, concept))
                continue
            parts = tuple(words_of(term))
            if len(parts) == 1:
                words.setdefault(parts[0], set()).add(concept)
            elif parts:
                phrases.setdefault(parts[0], []).append((parts, concept))
    frozen = {word: frozenset(found) for word, found in words.items()}
    choices = tuple(word for word in frozen if len(word) >= FUZZY_MIN)
    return Vocabulary(labels, frozen, phrases, tuple(cjk), choices)


@cache
def _terms() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(TERMS_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


def label(group: str, concept: str) -> str:
    return vocabulary(group).labels.get(concept, concept)


def concepts(text: str, group: str) -> set[str]:
    """The concepts of ``group`` that ``text`` mentions."""
    text = text[:MAX_TEXT]
    vocab = vocabulary(group)
    words = words_of(text)
    found: set[str] = set()
    for index, word in enumerate(words):
        found |= _word_concepts(word, group)
        for parts, concept in vocab.phrases.get(word, ()):
            if tuple(words[index : index + len(parts)]) == parts:
                found.add(concept)
    if _has_cjk(text):
        found |= {concept for term, concept in vocab.cjk if term in text}
    return found


@cache
def _word_concepts(word: str, group: str) -> frozenset[str]:
    """A word's concepts: itself, a longer term's beginning, or a close misspelling.

    Cached: the words of 10,000 reports are a few thousand distinct ones.
    """
    vocab = vocabulary(group)
    if word in vocab.words:
        return vocab.words[word]
    for end in range(len(word) - 1, SHORT, -1):  # "tattooed" → "tattoo"
        if word[:end] in vocab.words and len(word[:end]) > SHORT:
            return vocab.words[word[:end]]
    if len(word) < FUZZY_MIN or not vocab.fuzzy_choices:
        return frozenset()
    from rapidfuzz import fuzz, process

    best = process.extractOne(
        word, vocab.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE
    )
    return vocab.words[best[0]] if best else frozenset()


@lru_cache(maxsize=4096)
def _has_cjk(text: str) -> bool:
    return any(ord(char) >= _CJK_START for char in text)
