"""What search engines and link previews read (issue 18 item 9): every public page has
a description in its own language and absolute hreflang alternates with x-default; the
member area, the forms and the 404 page are noindex. Lighthouse's SEO score is measured
in benchmarks/lighthouse.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.website.html import parse
from uglymugs import i18n
from uglymugs.languages import LANGUAGES, SOURCE
from uglymugs.website.page_assets import page_url

NOINDEX = (
    "/report/",
    "/blank-form/",
    "/members/",
    "/members/join/",
    "/members/set-password/",
    "/members/tokens/",
    "/report/police/",
    "/partners/submit/",
)
PUBLIC = ("/", "/contacts/", "/safety/", "/how-to-report/", "/privacy/", "/join/", "/device/")


def _head(built_site, url: str):
    return parse((built_site.output / (url.lstrip("/") + "index.html")).read_text("utf-8"))


def _robots(document) -> str:
    (robots,) = document.find("meta", name="robots")
    return robots.get("content") or ""


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_every_public_page_is_described_in_its_language(built_site, site_settings, language):
    translate = i18n.translations(language.locale).gettext
    seen = set()
    for english in PUBLIC:
        document = _head(built_site, language.path(english))
        (description,) = document.find("meta", name="description")
        text = description.get("content") or ""
        slug = "home" if english == "/" else english.strip("/")
        assert text == translate(site_settings["PAGE_DESCRIPTIONS"][slug])
        assert 20 <= len(text) <= 200, (english, len(text))  # what a result shows
        if language is not SOURCE:
            assert text != site_settings["PAGE_DESCRIPTIONS"][slug], (language.code, english)
        assert "noindex" not in _robots(document)
        seen.add(text)
    assert len(seen) == len(PUBLIC)  # each page says what it is, not one line for all


def test_alternates_are_absolute_in_every_language_with_x_default(built_site):
    origin = built_site.settings.site_url
    for english in PUBLIC:
        for language in LANGUAGES:
            document = _head(built_site, language.path(english))
            links = [t for t in document.find("link") if t.get("rel") == "alternate"]
            hreflangs = {t.get("hreflang"): t.get("href") for t in links}
            assert set(hreflangs) == {o.tag for o in LANGUAGES} | {"x-default"}
            assert hreflangs["x-default"] == hreflangs[SOURCE.tag] == origin + english
            for tag, href in hreflangs.items():
                parts = urlsplit(href or "")
                assert parts.scheme in ("http", "https") and parts.netloc, href
                other = next((o for o in LANGUAGES if o.tag == tag), SOURCE)
                assert parts.path == other.path(english)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_the_member_area_and_the_forms_are_noindex(built_site, language):
    for english in NOINDEX:
        document = _head(built_site, language.path(english))
        assert "noindex" in _robots(document), english
        assert [t for t in document.find("link") if t.get("rel") == "alternate"] == []
    not_found = built_site.output / language.path("/404.html").lstrip("/")
    assert "noindex" in _robots(parse(not_found.read_text("utf-8")))


def test_no_page_is_left_out_of_both_lists(built_site):
    """A new page must be given a description or be made noindex on purpose."""
    for path in built_site.html_pages():
        url = page_url(built_site.output, path)
        document = parse(path.read_text("utf-8"))
        described = bool(document.find("meta", name="description"))
        assert described != ("noindex" in _robots(document)), url


def test_a_build_for_another_address_names_it(tmp_path):
    """`uglymugs dev --port 8731` (or UGLYMUGS_SITE_URL) builds alternates at that address."""
    from tests.website.conftest import PASSPHRASE
    from uglymugs.config import Settings
    from uglymugs.crypto.keys import create_keys
    from uglymugs.crypto.passphrase_box import TEST_KDF
    from uglymugs.website.build import build_site

    settings = Settings(data_dir=tmp_path / "data", site_url="http://127.0.0.1:8731/")
    create_keys(settings.keys_dir, PASSPHRASE, kdf=TEST_KDF)
    output = build_site(settings)
    page = (output / "ro" / "safety" / "index.html").read_text("utf-8")
    assert 'hreflang="ro" href="http://127.0.0.1:8731/ro/safety/"' in page
    assert ":8000" not in page
