"""Translations: one gettext catalogue per language, extracted and compiled with Babel.

Every string a visitor reads is an English msgid: in the theme's templates through
``_()``, in Python through the no-op :func:`N_` (so Babel finds it and the template
translates it when it renders). The ``.po`` files under ``uglymugs/locale`` are the
source; ``.mo`` files are built by :func:`compile_catalogues` and git-ignored. The
site's languages are listed in :mod:`uglymugs.languages`; ``uglymugs i18n extract``
creates a catalogue for each, and :func:`problems` says what a catalogue still lacks.

>>> N_("What happened")
'What happened'
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from uglymugs.config import repository_root

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PROJECT = "uglymugs"


class CatalogueError(Exception):
    """A catalogue that cannot be read, written or compiled."""


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it here."""
    return message


class TranslatableLine(str):
    """A line in English as a ``str`` (a command prints it as it is), with its message
    id and values so a page can show it in the reader's language.

    >>> line = TranslatableLine("%(partner)s does not cover %(area)s", partner="p", area="kent")
    >>> line, line.translated(lambda msgid: msgid.replace("does not cover", "!="))
    ('p does not cover kent', 'p != kent')
    """

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> Self:
        line = super().__new__(cls, msgid % values if values else msgid)
        line.msgid, line.values = msgid, values
        return line

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The line in ``gettext``'s language; a value that is such a line is translated too."""
        values = {
            name: value.translated(gettext) if isinstance(value, TranslatableLine) else value
            for name, value in self.values.items()
        }
        return gettext(self.msgid) % values if values else gettext(self.msgid)


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Languages that have a catalogue, source language first."""
    found = sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda lang: lang != SOURCE_LANGUAGE)


def catalogue_path(lang: str, locale_dir: Path = LOCALE_DIR, suffix: str = ".po") -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def extract(root: Path | None = None, mapping_file: Path | None = None):
    """Every message in the Python sources, site settings and theme, as a Babel ``Catalog``.

    ``babel.cfg`` (paths relative to ``root``) says which files are Python and which
    are Jinja templates; only ``src/`` and ``site/`` are walked.
    """
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = root or repository_root()
    mapping_file = mapping_file or root / "babel.cfg"
    with mapping_file.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)

    def walk_only_sources(dirpath: str) -> bool:
        relative = Path(dirpath).resolve().relative_to(root.resolve()).parts
        return not relative or relative[0] in ("src", "site")

    catalog = _new_catalogue()
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        strip_comment_tags=True,
        directory_filter=walk_only_sources,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(catalog, locale_dir: Path = LOCALE_DIR) -> Path:
    """Write ``messages.pot`` (the template every language's catalogue follows)."""
    path = locale_dir / f"{DOMAIN}.pot"
    _write_if_changed(path, catalog)
    return path


# Header lines that change on every run or with Babel's version; a file that differs
# only in these is kept (and compared as equal by the tests).
_DATE_LINES = re.compile(
    rb'^"(?:POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"$', re.MULTILINE
)


def _write_if_changed(path: Path, catalog) -> None:
    """Write ``catalog`` as a .po file unless only its dates would change."""
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False)
    new = buffer.getvalue()
    if path.exists() and _DATE_LINES.sub(b"", path.read_bytes()) == _DATE_LINES.sub(b"", new):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)


def update_catalogue(template, lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Bring ``lang``'s catalogue in line with ``template``, creating it if absent.

    The source language's catalogue translates every msgid to itself, so it is always
    complete; other languages keep their translations and gain empty entries.
    """
    import copy

    from babel.messages.pofile import read_po

    # Catalog.update keeps the template's Message objects: without a copy, filling in
    # the source language would fill every other language's new entries with English.
    template = copy.deepcopy(template)
    path = catalogue_path(lang, locale_dir)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = _new_catalogue(lang)
        catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    if lang == SOURCE_LANGUAGE:
        for message in catalog:
            if message.id:
                message.string = message.id
                message.flags.discard("fuzzy")
    _write_if_changed(path, catalog)
    return path


def _new_catalogue(lang: str | None = None):
    from babel.messages.catalog import Catalog

    return Catalog(
        locale=lang,
        project=PROJECT,
        copyright_holder="the uglymugs contributors",
        msgid_bugs_address="",
        charset="utf-8",
    )


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``messages.po`` to ``messages.mo``; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for lang in languages(locale_dir):
        source = catalogue_path(lang, locale_dir)
        try:
            with source.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        except Exception as error:  # Babel raises several kinds for a broken file
            raise CatalogueError(f"{source}: {error}") from error
        target = catalogue_path(lang, locale_dir, ".mo")
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(target)
    return written


def translations(lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """Translations for ``lang``, compiling its catalogue first if the ``.mo`` is stale.

    Falls back to the msgids (English) for a language without a catalogue.
    """
    source = catalogue_path(lang, locale_dir)
    compiled = catalogue_path(lang, locale_dir, ".mo")
    if source.exists() and (
        not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime
    ):
        compile_catalogues(locale_dir)
    if not compiled.exists():
        return gettext.NullTranslations()
    with compiled.open("rb") as handle:
        return gettext.GNUTranslations(handle)


# Placeholders a translation must keep exactly: Jinja's %(name)s and the {name} that
# scripts fill in. Runs of three or more digits (phone numbers) must be kept too.
_PLACEHOLDERS = re.compile(r"%\(\w+\)s|\{\w+\}")
_DIGITS = re.compile(r"\d(?:[\d ]*\d)?")


@dataclass(frozen=True)
class Problem:
    """Something a catalogue lacks or gets wrong, with the msgid it is about."""

    lang: str
    kind: str  # missing | untranslated | fuzzy | stale | placeholders | digits
    msgid: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.kind}: {self.msgid!r}"


def problems(template, lang: str, locale_dir: Path = LOCALE_DIR) -> list[Problem]:
    """What ``lang``'s catalogue lacks against ``template`` (a fresh :func:`extract`).

    Every extracted message must be translated, not fuzzy, with the same placeholders
    and the same phone-like numbers as the English; a message no longer extracted is
    stale. Run ``uglymugs i18n extract`` to add and drop messages.
    """
    from babel.messages.pofile import read_po

    with catalogue_path(lang, locale_dir).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    wanted = {_text(message.id) for message in template if message.id}
    found = {_text(message.id): message for message in catalog if message.id}
    found_problems = [Problem(lang, "missing", msgid) for msgid in sorted(wanted - set(found))]
    found_problems += [Problem(lang, "stale", msgid) for msgid in sorted(set(found) - wanted)]
    found_problems += [
        Problem(lang, "stale", _text(message.id)) for message in catalog.obsolete.values()
    ]
    for msgid in sorted(wanted & set(found)):
        message = found[msgid]
        if not message.string:
            found_problems.append(Problem(lang, "untranslated", msgid))
        elif message.fuzzy:
            found_problems.append(Problem(lang, "fuzzy", msgid))
        elif sorted(_PLACEHOLDERS.findall(_text(message.string))) != sorted(
            _PLACEHOLDERS.findall(msgid)
        ):
            found_problems.append(Problem(lang, "placeholders", msgid))
        elif _numbers(_text(message.string)) != _numbers(msgid):
            found_problems.append(Problem(lang, "digits", msgid))
    return found_problems


def _numbers(text: str) -> set[str]:
    runs = (run.replace(" ", "") for run in _DIGITS.findall(text))
    return {run for run in runs if len(run) >= 3}


def _text(message_id: object) -> str:
    """A message's id or translation as one string (a plural's singular form)."""
    if isinstance(message_id, tuple | list):
        return str(message_id[0]) if message_id else ""
    return str(message_id)
