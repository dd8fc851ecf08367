"""``uglymugs i18n extract|compile``: keep the gettext catalogues in step with the code."""

from __future__ import annotations

import argparse

from uglymugs import i18n
from uglymugs.cli import CommandError
from uglymugs.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("i18n", help="extract or compile translations")
    commands = parser.add_subparsers(dest="i18n_command", required=True)
    extract = commands.add_parser(
        "extract",
        help="write locale/messages.pot and update every language's catalogue",
    )
    extract.set_defaults(handler=extract_messages)
    compile_ = commands.add_parser("compile", help="compile every .po catalogue to .mo")
    compile_.set_defaults(handler=compile_messages)


def extract_messages(args: argparse.Namespace, settings: Settings) -> int:
    template = i18n.extract()
    print(f"{len(template)} messages → {i18n.write_template(template)}")
    for lang in sorted({*i18n.languages(), i18n.SOURCE_LANGUAGE}):
        print(f"updated {i18n.update_catalogue(template, lang)}")
    return 0


def compile_messages(args: argparse.Namespace, settings: Settings) -> int:
    try:
        written = i18n.compile_catalogues()
    except i18n.CatalogueError as error:
        raise CommandError(str(error)) from error
    for path in written:
        print(f"compiled {path}")
    return 0
