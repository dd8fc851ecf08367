"""The installable app as built: the worker's list, the manifests and icons, and the
scripts every page loads before it is drawn."""

from __future__ import annotations

import base64
import hashlib
import json
import struct

import pytest

from tests.website.html import parse
from uglymugs import i18n
from uglymugs.languages import LANGUAGES
from uglymugs.website.offline import manifest_url, read_offline_list
from uglymugs.website.page_assets import page_url, url_path

OFFLINE_URLS = {
    "/",
    "/contacts/",
    "/safety/",
    "/how-to-report/",
    "/privacy/",
    "/device/",
    "/report/",
    "/members/",
}
SODIUM = "/theme/js/dist/sodium.js"


def _seals_or_verifies(url: str) -> bool:
    """The report form, the police partner form and the member area, in any language."""
    return url.endswith(("/report/", "/partners/submit/", "/members/"))


def _sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def test_the_worker_may_keep_only_listed_built_files_each_with_its_hash(built_site):
    listing = read_offline_list(built_site.output)
    english = {url for url, page in listing["pages"].items() if page["lang"] == "en"}
    assert english == OFFLINE_URLS
    for url, integrity in listing["files"].items():
        assert not url.startswith("/api/"), url
        assert len(integrity) == len("sha384-") + 22, url  # 132 bits of the file's SHA-384
        assert _sri(url_path(built_site.output, url).read_bytes()).startswith(integrity), url
    for url, page in listing["pages"].items():
        assert page["libsodium"] == _seals_or_verifies(url), url
        assert page["files"][0] == url and set(page["files"]) <= set(listing["files"])
    assert "/theme/css/site.css" in listing["common"]
    for url, page in listing["pages"].items():
        language = next(o for o in LANGUAGES if o.tag == page["lang"])
        assert manifest_url(language) in listing["common"] + page["files"], url
    assert set(listing["common"]) <= set(listing["files"])
    assert SODIUM in listing["pages"]["/report/"]["files"]
    assert SODIUM not in listing["pages"]["/"]["files"] + listing["common"]
    assert len(listing["version"]) == 16
    source = (built_site.output / "sw.js").read_text(encoding="utf-8")
    assert "OFFLINE.version" in source and "/api/" not in source.split(";", 1)[1]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_two_manifests_one_app_in_each_language_the_neutral_one_called_notes(built_site, language):
    translate = i18n.translations(language.locale).gettext
    scheme, neutral = (
        json.loads(url_path(built_site.output, manifest_url(language, n)).read_text("utf-8"))
        for n in (False, True)
    )
    assert scheme["short_name"] == "Ugly Mugs" and scheme["name"].startswith("Ugly Mugs")
    assert neutral["name"] == neutral["short_name"] == translate("Notes")
    assert scheme["lang"] == neutral["lang"] == language.tag
    assert scheme["start_url"] == language.path("/")
    for key in ("id", "start_url", "scope", "display", "background_color"):
        assert scheme[key] == neutral[key], key  # the same app, under another name
    assert scheme["id"] == "/" and scheme["display"] == "standalone" and scheme["scope"] == "/"
    assert scheme["background_color"] == "#1b1b1b"  # a dark splash screen at night
    for manifest in (scheme, neutral):
        for icon in manifest["icons"]:
            data = url_path(built_site.output, icon["src"]).read_bytes()
            width, height = _png_size(data)
            assert icon["sizes"] == f"{width}x{height}" and icon["type"] == "image/png"
        assert {i["purpose"] for i in manifest["icons"]} == {"any", "maskable"}
        assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    assert "Ugly" not in json.dumps(neutral) and "app-" not in json.dumps(neutral["icons"])


def test_each_language_names_the_app_in_itself(built_site):
    names = set()
    for language in LANGUAGES:
        for neutral in (False, True):
            path = url_path(built_site.output, manifest_url(language, neutral))
            names.add(json.loads(path.read_text("utf-8"))["name"])
    assert len(names) == 2 * len(LANGUAGES)


def test_every_page_names_the_app_and_applies_choices_before_it_is_drawn(built_site):
    for path in built_site.html_pages():
        document = parse(path.read_text(encoding="utf-8"))
        body = document.tags.index(document.find("body")[0])
        head_names = [(t.name, t.get("rel"), t.get("src")) for t in document.tags[:body]]
        (manifest,) = document.find("link", rel="manifest")
        language = next(o for o in LANGUAGES if o.tag == document.find("html")[0].get("lang"))
        assert manifest.get("href") == manifest_url(language)
        assert manifest.get("data-neutral-href") == manifest_url(language, neutral=True)
        (early,) = [t for t in document.find("script") if (t.get("src") or "").endswith("early.js")]
        # A classic script, neither deferred nor async: it runs before the body is drawn,
        # after the links it changes.
        assert early.get("type") is None and "defer" not in early.attrs
        assert "async" not in early.attrs and early.get("integrity")
        position = head_names.index(("script", None, early.get("src")))
        assert head_names.index(("link", "manifest", None)) < position
        scripts = [t.get("src") for t in document.find("script")]
        assert "/theme/js/dist/app.js" in scripts, path


def test_libsodium_is_preloaded_with_its_hash_only_where_it_is_imported(built_site):
    sodium = _sri((built_site.output / SODIUM.lstrip("/")).read_bytes())
    for path in built_site.html_pages():
        document = parse(path.read_text(encoding="utf-8"))
        preloads = document.find("link", rel="modulepreload")
        url = page_url(built_site.output, path)
        lazy = document.find("meta", name="lazy-module")
        if _seals_or_verifies(url):
            # The report form loads it after first paint, the member area when a bundle
            # is to be verified: each checked against this hash, never preloaded.
            assert [p for p in preloads if p.get("href") == SODIUM] == [], url
            (meta,) = lazy
            assert meta.get("content") == SODIUM and meta.get("data-integrity") == sodium
        else:
            assert preloads == lazy == [], url
        for tag in document.find("script"):
            text = url_path(built_site.output, tag.get("src")).read_text(encoding="utf-8")
            squeezed = text.replace(" ", "")
            if 'from"./sodium.js"' in squeezed or 'import("./sodium.js")' in squeezed:
                assert _seals_or_verifies(url), (url, tag.get("src"))


def test_the_quick_exit_empties_what_a_page_shows_of_a_report(built_site):
    report = parse(built_site.page("report/index.html"))
    assert "data-private" in report.by_id("report-copy").attrs
    members = parse(built_site.page("members/index.html"))
    for element_id in ("alert-list", "check-result"):
        assert "data-private" in members.by_id(element_id).attrs


def test_clearing_everything_is_offered_on_the_device_page_and_in_the_member_area(built_site):
    for page in ("device/index.html", "members/index.html"):
        document = parse(built_site.page(page))
        panel = document.by_id("device-clear")
        assert panel.get("data-session-api") == "/api/session"
        assert document.by_id("device-clear-yes").name == "button"
    footer_links = [t.get("href") for t in parse(built_site.page("index.html")).find("a")]
    assert "/device/" in footer_links
