"""``uglymugs i18n extract|check|compile``: keep the gettext catalogues in step with the code."""

from __future__ import annotations

import argparse

from uglymugs import i18n
from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.languages import LANGUAGES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("i18n", help="extract, check or compile translations")
    commands = parser.add_subparsers(dest="i18n_command", required=True)
    extract = commands.add_parser(
        "extract",
        help="write locale/messages.pot and update every language's catalogue",
    )
    extract.set_defaults(handler=extract_messages)
    check = commands.add_parser(
        "check",
        help="list every message a catalogue misses, has fuzzy or no longer needs",
    )
    check.set_defaults(handler=check_messages)
    compile_ = commands.add_parser("compile", help="compile every .po catalogue to .mo")
    compile_.set_defaults(handler=compile_messages)


def _locales() -> list[str]:
    return sorted({*i18n.languages(), *(language.locale for language in LANGUAGES)})


def extract_messages(args: argparse.Namespace, settings: Settings) -> int:
    template = i18n.extract()
    print(f"{len(template)} messages → {i18n.write_template(template)}")
    for lang in _locales():
        print(f"updated {i18n.update_catalogue(template, lang)}")
    return 0


def check_messages(args: argparse.Namespace, settings: Settings) -> int:
    template = i18n.extract()
    found = []
    for lang in _locales():
        if not i18n.catalogue_path(lang).exists():
            raise CommandError(f"there is no catalogue for {lang}: run `uglymugs i18n extract`")
        found += i18n.problems(template, lang)
    for problem in found:
        print(problem)
    if found:
        raise CommandError(f"{len(found)} problems in the catalogues")
    print(f"{len(template)} messages, translated in {len(_locales())} catalogues")
    return 0


def compile_messages(args: argparse.Namespace, settings: Settings) -> int:
    try:
        written = i18n.compile_catalogues()
    except i18n.CatalogueError as error:
        raise CommandError(str(error)) from error
    for path in written:
        print(f"compiled {path}")
    return 0
