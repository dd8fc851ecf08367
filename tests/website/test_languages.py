"""Every page in every language: the same pages under each prefix, links that stay in
the page's language, a switcher to the same page in the others, complete catalogues."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.website.html import parse
from uglymugs import i18n
from uglymugs.config import repository_root
from uglymugs.languages import BY_CODE, LANGUAGES, SOURCE
from uglymugs.reports import form
from uglymugs.web.errors import ErrorCode
from uglymugs.web.security_headers import headers_for_path
from uglymugs.website.api_messages import API_MESSAGES

OTHERS = LANGUAGES[1:]
CONTENT = repository_root() / "site" / "content" / "pages"


def _english_pages(built_site) -> list[str]:
    """Root-relative paths of the English pages ("/report/index.html")."""
    prefixes = {language.code for language in OTHERS}
    return [
        "/" + str(path.relative_to(built_site.output))
        for path in built_site.html_pages()
        if path.relative_to(built_site.output).parts[0] not in prefixes
    ]


def _url(path: str) -> str:
    return path.removesuffix("index.html")


def test_the_languages_are_the_catalogues():
    assert {language.locale for language in LANGUAGES} == set(i18n.languages())
    assert len({language.code for language in LANGUAGES}) == len(LANGUAGES)
    assert SOURCE is LANGUAGES[0] and SOURCE.prefix == ""


def test_every_page_is_in_every_language_at_the_same_address_under_its_prefix(built_site):
    english = _english_pages(built_site)
    built = {"/" + str(p.relative_to(built_site.output)) for p in built_site.html_pages()}
    assert len(english) >= 13
    for language in OTHERS:
        expected = {language.path(path) for path in english}
        assert expected <= built, sorted(expected - built)
    assert len(built) == len(english) * len(LANGUAGES)


def test_every_page_source_has_a_translation_file_in_every_language():
    english = sorted(p.name for p in CONTENT.glob("*.md"))
    for language in OTHERS:
        translated = sorted(p.name for p in (CONTENT / language.code).glob("*.md"))
        assert translated == english, language.code
        for path in (CONTENT / language.code).glob("*.md"):
            head = path.read_text(encoding="utf-8").partition("\n\n")[0]
            assert f"Lang: {language.code}" in head.splitlines(), path
            # The plugin gives a translation its English page's template and address.
            assert not re.search(r"^(Template|URL|Save_as):", head, re.M), path


def _pages_in(built_site, language):
    for path in _english_pages(built_site):
        yield path, language.path(path)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_the_switcher_links_the_same_page_in_every_language(built_site, language):
    for english, here in _pages_in(built_site, language):
        document = parse(built_site.page(here.lstrip("/")))
        nav = document.by_id("languages")
        assert nav.name == "nav" and nav.get("aria-label"), here
        links = [
            t
            for t in document.tags[document.tags.index(nav) :]
            if t.name == "a" and t.get("data-language")
        ]
        assert [t.get("data-language") for t in links] == [lang.code for lang in LANGUAGES]
        for link, other in zip(links, LANGUAGES, strict=True):
            assert link.get("href") == _url(other.path(english)), (here, other.code)
            assert link.get("lang") == other.tag and link.get("hreflang") == other.tag
            assert "".join(link.text).strip() == other.name  # named in itself, no flag
            assert (link.get("aria-current") == "page") == (other is language), here
        alternates = {
            t.get("hreflang"): t.get("href")
            for t in document.find("link")
            if t.get("rel") == "alternate"
        }
        if alternates:  # absolute, with x-default (tests/website/test_search.py)
            origin = built_site.settings.site_url
            expected = {o.tag: origin + _url(o.path(english)) for o in LANGUAGES}
            assert alternates == {**expected, "x-default": origin + _url(english)}, here


@pytest.mark.parametrize("language", OTHERS, ids=lambda language: language.code)
def test_links_between_pages_stay_in_the_page_language(built_site, language):
    prefix = language.prefix + "/"
    for _english, here in _pages_in(built_site, language):
        document = parse(built_site.page(here.lstrip("/")))
        for tag in document.find("a"):
            href = tag.get("href") or ""
            if not href.startswith("/") or tag.get("data-language"):
                continue
            assert href.startswith(prefix), f"{here}: <a href={href!r}> leaves {language.name}"


@pytest.mark.parametrize("language", OTHERS, ids=lambda language: language.code)
def test_the_report_form_is_in_the_page_language(built_site, language):
    translations = i18n.translations(language.locale)
    document = parse(built_site.page(language.path("/report/index.html").lstrip("/")))
    for field in form.FIELDS.values():
        assert translations.gettext(field.label) in document.text, (language.code, field.label)
    assert translations.gettext("Send report") in document.text
    assert "Send report" not in document.text
    labels = json.loads(document.by_id("report-form").get("data-errors"))
    assert labels == {key: translations.gettext(message) for key, message in API_MESSAGES.items()}


def test_the_member_area_labels_alerts_in_its_language(built_site):
    app = parse(built_site.page("pl/members/index.html")).by_id("members-app")
    labels = json.loads(app.get("data-labels"))
    assert labels["values"]["risk"]["high"] == "Wysokie ryzyko"
    assert labels["fields"]["what_happened"] == "Co się stało"
    assert app.get("data-msg-original-show") == "Pokaż angielski oryginał"


def test_pages_that_encrypt_or_verify_may_use_webassembly_in_every_language():
    for language in LANGUAGES:
        for path in ("/report/", "/members/", "/members/index.html"):
            csp = headers_for_path(language.path(path))["Content-Security-Policy"]
            assert "'wasm-unsafe-eval'" in csp, language.path(path)
        for path in ("/", "/contacts/", "/members/join/"):
            csp = headers_for_path(language.path(path))["Content-Security-Policy"]
            assert "wasm" not in csp, language.path(path)


def test_api_messages_name_real_error_codes():
    codes = {code.value for code in ErrorCode}
    for key in API_MESSAGES:
        assert key.split(":")[0] in codes, key


# --- Catalogues ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def template():
    return i18n.extract()


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.locale)
def test_every_catalogue_translates_every_message_and_nothing_stale(template, language):
    found = i18n.problems(template, language.locale)
    assert not found, f"{len(found)} problems; run `make i18n` and translate:\n" + "\n".join(
        map(str, found[:20])
    )


def test_the_template_is_what_extraction_finds_now(template):
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot").open("rb") as handle:
        committed = {message.id for message in read_po(handle) if message.id}
    assert committed == {message.id for message in template if message.id}, "run `make i18n`"


def test_the_catalogue_check_catches_missing_fuzzy_stale_and_changed_numbers(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = Catalog()
    for msgid in ("Quick exit", "Call 999 now.", "Hello %(username)s,", "Old", "Fuzzy"):
        template.add(msgid)
    catalog = Catalog(locale="pl")
    catalog.add("Call 999 now.", "Zadzwoń pod 998.")
    catalog.add("Hello %(username)s,", "Dzień dobry,")
    catalog.add("Fuzzy", "Rozmyte", flags=["fuzzy"])
    catalog.add("Gone", "Nieaktualne")
    catalog.add("Old", "")
    path = i18n.catalogue_path("pl", tmp_path)
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    template.delete("Gone")
    found = {(p.kind, p.msgid) for p in i18n.problems(template, "pl", tmp_path)}
    assert found == {
        ("missing", "Quick exit"),
        ("digits", "Call 999 now."),
        ("placeholders", "Hello %(username)s,"),
        ("fuzzy", "Fuzzy"),
        ("stale", "Gone"),
        ("untranslated", "Old"),
    }


def test_extracting_twice_changes_nothing(tmp_path):
    template = i18n.extract()
    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    locale_dir = tmp_path / "locale"
    i18n.write_template(template, locale_dir)
    for language in LANGUAGES:
        i18n.update_catalogue(template, language.locale, locale_dir)
    first = {p: p.read_bytes() for p in locale_dir.rglob("*.po*")}
    i18n.write_template(i18n.extract(), locale_dir)
    for language in LANGUAGES:
        i18n.update_catalogue(template, language.locale, locale_dir)
    assert {p: p.read_bytes() for p in locale_dir.rglob("*.po*")} == first
    # And the committed catalogues are already what extraction writes.
    for path, data in first.items():
        committed = i18n.LOCALE_DIR / path.relative_to(locale_dir)
        assert i18n._DATE_LINES.sub(b"", data) == i18n._DATE_LINES.sub(
            b"", committed.read_bytes()
        ), f"{committed}: run `make i18n`"


def test_the_e_mails_are_extracted():
    locations = {path for message in i18n.extract() for path, _line in message.locations}
    templates = Path("src/uglymugs/messaging/templates")
    for path in (repository_root() / templates).glob("*.j2"):
        assert str(templates / path.name) in locations, path.name


# --- The browser's language, chosen in the browser ----------------------------------


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_language_is_matched_as_people_expect():
    module = repository_root() / "site/themes/uglymugs/js/language-choice.mjs"
    codes = [language.code for language in LANGUAGES]
    cases = [
        ["ro-RO", "en-GB"],
        ["ro"],
        ["en-GB", "ro"],
        ["pt-BR"],
        ["pt-PT", "en"],
        ["pl-PL"],
        ["zh-CN"],
        ["zh"],
        ["zh-Hans-CN"],
        ["zh-TW", "pl"],
        ["zh-Hant"],
        ["de-DE", "fr"],
        [],
        ["de", "pl"],
    ]
    script = (
        f"import {{ preferred }} from {json.dumps(str(module))};"
        f"console.log(JSON.stringify({json.dumps(cases)}.map((c) => preferred(c, "
        f"{json.dumps(codes)}))));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [
        "ro",
        "ro",
        "en",
        "pt-br",
        "pt-br",
        "pl",
        "zh-hans",
        "zh-hans",
        "zh-hans",
        "pl",
        None,
        None,
        None,
        "pl",
    ]
    assert BY_CODE["zh-hans"].tag == "zh-Hans"


# Class lists: the only string literals in the scripts with words and spaces in them.
CLASS_LISTS = {
    "button alert-original-toggle screen-only",
    "alert-card risk-${valueClass(alert.risk)}",
}


def test_scripts_hold_no_words_of_their_own():
    """Every message a script shows comes translated from the page (data-msg-*)."""
    found = []
    for path in sorted((repository_root() / "site/themes/uglymugs/js").glob("*.mjs")):
        source = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        code = "\n".join(line.split("//")[0] for line in source.splitlines())
        for match in re.finditer(r"""(["'`])((?:\\.|(?!\1).)*)\1""", code):
            text = match.group(2)
            if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text) and text not in CLASS_LISTS:
                found.append(f"{path.name}: {match.group(0)}")
    assert found == []
