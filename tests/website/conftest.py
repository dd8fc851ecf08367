"""The site, built once per test session into a temporary directory with throwaway keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from uglymugs.config import Settings
from uglymugs.crypto.keys import PublicKeys, create_keys
from uglymugs.crypto.passphrase_box import TEST_KDF
from uglymugs.website.build import build_site

PASSPHRASE = "website tests"


@dataclass(frozen=True)
class BuiltSite:
    settings: Settings
    output: Path
    keys: PublicKeys

    def html_pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def page(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")


def build_test_site(directory: Path) -> BuiltSite:
    """Throwaway keys under ``directory`` and the site built with them."""
    settings = Settings(data_dir=directory / "data")
    keys = create_keys(settings.keys_dir, PASSPHRASE, kdf=TEST_KDF)
    return BuiltSite(settings, build_site(settings), keys)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    return build_test_site(tmp_path_factory.mktemp("website"))


@pytest.fixture(scope="session")
def site_settings() -> dict:
    """The Pelican settings the site is built with (``site/pelicanconf.py``)."""
    from pelican.settings import read_settings

    from uglymugs.config import repository_root

    return read_settings(str(repository_root() / "site" / "pelicanconf.py"))
