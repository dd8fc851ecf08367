"""``uglymugs build``: build the public site into a directory of static files."""

from __future__ import annotations

import argparse
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="build the public site (pages, scripts, keys.json)",
        description="Build the public site with Pelican into a directory of static files.",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the site (default: the data directory's site/)",
    )
    parser.set_defaults(handler=build)


def build(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.website.budgets import page_weights, size_report
    from uglymugs.website.build import SiteBuildError, build_site

    try:
        output = build_site(settings, args.output)
    except SiteBuildError as error:
        raise CommandError(str(error)) from error
    print(size_report(page_weights(output)))
    print(f"Built the site in {output}")
    return 0
