"""The languages the site speaks: one list for catalogues, pages, URLs and headers.

English is the source language and lives at the root URLs; every other language has
the same pages under its own prefix (``/ro/report/``). A page's translation is a
Markdown file with the same ``Slug`` and ``Lang: <code>``; the theme's and the code's
strings come from the language's gettext catalogue (``locale/<locale>/``).

>>> BY_CODE["pt-br"].path("/report/")
'/pt-br/report/'
>>> SOURCE.path("/report/")
'/report/'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language of the site."""

    code: str  # Pelican's ``Lang:`` and the URL prefix, lower case ("pt-br")
    tag: str  # BCP 47, for <html lang>, hreflang and the report's "language" ("pt-BR")
    locale: str  # the gettext catalogue's directory under uglymugs/locale ("pt_BR")
    name: str  # what the language calls itself, as the switcher shows it

    @property
    def prefix(self) -> str:
        """``""`` for English, else ``"/<code>"``."""
        return "" if self.code == SOURCE_CODE else f"/{self.code}"

    def path(self, english_path: str) -> str:
        """The path of the English page ``english_path`` (root-relative) in this language."""
        if not english_path.startswith("/"):
            raise ValueError(f"{english_path!r} is not a root-relative path")
        return self.prefix + english_path


SOURCE_CODE = "en"
SOURCE = Language(SOURCE_CODE, "en", "en", "English")
LANGUAGES: tuple[Language, ...] = (
    SOURCE,
    Language("ro", "ro", "ro", "Română"),
    Language("pt-br", "pt-BR", "pt_BR", "Português (Brasil)"),
    Language("pl", "pl", "pl", "Polski"),
    Language("zh-hans", "zh-Hans", "zh_Hans", "简体中文"),
)
BY_CODE = {language.code: language for language in LANGUAGES}


def in_every_language(paths: Iterable[str]) -> tuple[str, ...]:
    """Each root-relative path (or path pattern) as it is in every language."""
    return tuple(language.path(path) for path in paths for language in LANGUAGES)
