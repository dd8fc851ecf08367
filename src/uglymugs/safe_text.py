"""Text typed by strangers, shown to staff as characters and never as commands.

Applicants, reporters and alert authors can type characters that a terminal acts on
instead of showing: ESC starts sequences that clear the screen, retitle the window or
make a link to another site (OSC 8); C1 controls such as U+009B do the same on some
terminals; bidirectional overrides and isolates reorder what staff read (U+202E makes
``exe.txt`` look like ``txt.exe``); zero-width and other format characters hide text.
This module is the one place that says which characters those are.

- :func:`for_terminal` shows each as a visible escape (``\\x1b``, ``\\u202e``): every
  staff command prints member and report data through it.
- :func:`unsafe_characters` finds them, so that the join form and ``alerts check``
  can refuse them where they arrive.

>>> for_terminal("Acme\\x1b]0;owned\\x07 \\u202eevil")
'Acme\\\\x1b]0;owned\\\\x07 \\\\u202eevil'
>>> unsafe_characters("fine, thank you")
''
"""

from __future__ import annotations

import re
import unicodedata

# Cc: C0 controls, DEL and C1 controls. Cf: format characters, which render as nothing
# or change how what follows renders (bidi marks, embeddings, overrides and isolates,
# zero-width spaces and joiners, the BOM, invisible tags). Cs: lone surrogates, which
# a UTF-8 terminal cannot even encode. Zl, Zp: line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Letters that render as blank space: used to make names that look empty or identical.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# In ASCII the only unsafe characters are the C0 controls and DEL (no Cf, Cs, Zl, Zp):
# one regex search instead of a category look-up per character, for most text.
_ASCII_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def is_unsafe(char: str) -> bool:
    """True for a character a terminal acts on, or one that hides or reorders text."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES or char in _BLANK_LETTERS


def unsafe_characters(text: str, allowed: str = "") -> str:
    """Each unsafe character in ``text`` once, in order, except those in ``allowed``.

    ``allowed`` is for multi-line text, whose line breaks are fine: ``allowed="\\n"``.
    """
    if text.isprintable() and (text.isascii() or _BLANK_LETTERS.isdisjoint(text)):
        return ""  # most text: no control, format, surrogate or separator character
    if text.isascii():
        controls = _ASCII_UNSAFE.findall(text)
        return "".join(dict.fromkeys(char for char in controls if char not in allowed))
    found = dict.fromkeys(char for char in text if char not in allowed and is_unsafe(char))
    return "".join(found)


def escaped(char: str) -> str:
    """``char`` as Python writes it in a string literal: ``\\x1b``, ``\\u202e``, ``\\n``."""
    return ascii(char)[1:-1]


def for_terminal(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character shown as its escape, safe to print.

    Newlines are escaped too (a forged line can pass for the command's own output)
    unless ``keep_newlines``, for free text shown inside a table cell.
    """
    allowed = "\n" if keep_newlines else ""
    if not unsafe_characters(text, allowed):
        return text
    return "".join(
        escaped(char) if char not in allowed and is_unsafe(char) else char for char in text
    )
