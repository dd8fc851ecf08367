"""Golden checks over the built site: the pages, quick exit, origins, CSP, SRI, keys."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.website.html import parse
from uglymugs.config import repository_root
from uglymugs.languages import BY_CODE, LANGUAGES, SOURCE, Language
from uglymugs.reports import form

GOLDEN = Path(__file__).parent / "golden"
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "data-api")


def test_the_built_pages_are_exactly_the_golden_list(built_site):
    expected = (GOLDEN / "pages.txt").read_text(encoding="utf-8").split()
    built = [str(p.relative_to(built_site.output)) for p in built_site.html_pages()]
    assert built == expected


def test_nothing_but_pages_theme_files_keys_and_the_worker_is_published(built_site):
    for path in built_site.output.rglob("*"):
        if path.is_file():
            relative = path.relative_to(built_site.output)
            assert (
                path.suffix == ".html"
                or relative.parts[0] == "theme"
                or str(relative) in ("keys.json", "sw.js")
            ), relative


def test_every_page_starts_with_the_quick_exit(built_site, site_settings):
    for path in built_site.html_pages():
        document = parse(path.read_text(encoding="utf-8"))
        body = document.tags.index(document.find("body")[0])
        first = document.tags[body + 1]
        assert first.name == "a" and first.get("id") == "quick-exit", path
        assert first.get("class") == "quick-exit"
        assert first.get("href") == site_settings["QUICK_EXIT_URL"]
        assert first.get("rel") == "noreferrer"
        scripts = [s.get("src") for s in document.find("script")]
        assert "/theme/js/dist/quick-exit.js" in scripts, path


def language_of(built_site, path: Path) -> Language:
    """The language a built page is in, by its prefix (none for English)."""
    first = path.relative_to(built_site.output).parts[0]
    return BY_CODE.get(first, SOURCE) if first != SOURCE.code else SOURCE


def test_every_page_has_lang_skip_link_and_main_landmark(built_site):
    for path in built_site.html_pages():
        document = parse(path.read_text(encoding="utf-8"))
        assert document.find("html")[0].get("lang") == language_of(built_site, path).tag, path
        assert document.find("a", class_="skip-link", href="#main"), path
        assert document.find("main", id="main"), path
        assert document.find("h1"), path
        assert document.find("meta", name="viewport"), path


def _is_same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _support_projects(site_settings):
    from uglymugs.support import check_directory

    result = check_directory([Path(site_settings["SUPPORT_DIRECTORY"])])
    assert result.ok, result.problems
    return result.projects


def test_no_page_refers_to_another_origin(built_site, site_settings):
    quick_exit = site_settings["QUICK_EXIT_URL"]
    # Links (never loads) to a local support project's own site or e-mail address.
    support = {project.website for project in _support_projects(site_settings)}
    support |= {f"mailto:{project.email}" for project in _support_projects(site_settings)}
    for path in built_site.html_pages():
        for tag in parse(path.read_text(encoding="utf-8")).tags:
            for name in URL_ATTRIBUTES:
                value = tag.get(name)
                if value is None or _is_same_origin(value):
                    continue
                if tag.name == "link" and tag.get("rel") == "alternate":
                    # The site's own address, for search engines (tests/website/test_search.py)
                    assert value.startswith(built_site.settings.site_url + "/"), path
                    continue
                if tag.name == "a" and name == "href":
                    allowed = value.startswith("tel:") or (
                        value == quick_exit and tag.get("id") == "quick-exit"
                    )
                    allowed = allowed or value in support
                    assert allowed, f"{path}: <a href={value!r}>"
                else:
                    pytest.fail(f"{path}: <{tag.name} {name}={value!r}> is not same-origin")


def test_stylesheets_and_scripts_load_nothing_from_elsewhere(built_site):
    for path in built_site.output.rglob("*.css"):
        css = path.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            assert _is_same_origin(url), f"{path}: url({url})"
        for url in re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\");\s]+)", css):
            assert _is_same_origin(url), f"{path}: @import {url}"
    for path in built_site.output.rglob("*.js"):
        script = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", script), path


def test_no_inline_script_style_or_event_handler(built_site):
    for path in built_site.html_pages():
        html = path.read_text(encoding="utf-8")
        document = parse(html)
        assert not document.find("style"), path
        for tag in document.tags:
            assert "style" not in tag.attrs, f"{path}: style= on <{tag.name}>"
            handlers = [name for name in tag.attrs if name.startswith("on")]
            assert not handlers, f"{path}: {handlers} on <{tag.name}>"
            for name in URL_ATTRIBUTES:
                assert not (tag.get(name) or "").lower().startswith("javascript:"), path
        for script in document.find("script"):
            assert script.get("src") and not "".join(script.text).strip(), path


def _sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def test_every_script_and_stylesheet_has_a_correct_integrity_hash(built_site):
    checked = set()
    for path in built_site.html_pages():
        document = parse(path.read_text(encoding="utf-8"))
        linked = [(t, t.get("src")) for t in document.find("script")]
        linked += [
            (t, t.get("href")) for t in document.find("link") if t.get("rel") == "stylesheet"
        ]
        for tag, url in linked:
            target = built_site.output / url.lstrip("/")
            assert target.is_file(), f"{path}: {url} is not in the output"
            assert tag.get("integrity") == _sri(target), f"{path}: {url}"
            checked.add(url)
    assert {
        "/theme/css/site.css",
        "/theme/css/print.css",
        "/theme/js/dist/quick-exit.js",
        "/theme/js/dist/report-form.js",
        "/theme/js/dist/print-page.js",
    } <= checked


def test_keys_json_has_the_public_keys(built_site):
    document = json.loads((built_site.output / "keys.json").read_text(encoding="utf-8"))
    assert document == built_site.keys.as_document()
    assert set(document) == {"report", "bundle"}
    assert set(document["report"]) == {"key_id", "public_key"}
    assert set(document["bundle"]) == {"key_id", "verify_key"}
    assert base64.b64decode(document["report"]["public_key"], validate=True) == (
        built_site.keys.report_public_key
    )
    assert len(base64.b64decode(document["bundle"]["verify_key"], validate=True)) == 32


def test_the_report_page_carries_the_report_key_and_never_posts_by_itself(built_site):
    document = parse(built_site.page("report/index.html"))
    report_form = document.by_id("report-form")
    assert report_form.get("data-key-id") == built_site.keys.report_key_id
    assert base64.b64decode(report_form.get("data-public-key")) == built_site.keys.report_public_key
    assert report_form.get("data-api") == "/api/reports"
    # Without the script, the browser must not submit plaintext anywhere.
    assert "action" not in report_form.attrs and "method" not in report_form.attrs
    submit = document.by_id("report-submit")
    assert submit.get("type") == "submit" and "disabled" in submit.attrs
    assert report_form.get("autocomplete") == "off"
    for element_id in ("report-number-label", "report-error", "report-success"):
        document.by_id(element_id)
    assert not [t for t in document.tags if t.get("id") == "report-number"]  # added on success
    assert document.by_id("report-error").get("role") == "alert"


def test_the_report_page_asks_every_question_by_its_field_name(built_site):
    document = parse(built_site.page("report/index.html"))
    names = {t.get("name") for t in document.tags if t.name in ("input", "textarea")}
    assert names == {"report_type", "follows", "reporter", *form.FIELDS}
    for field in form.FIELDS.values():
        if field.kind in (form.CHOICE, form.CHOICES):
            assert document.by_id(field.name).name == "fieldset"
            for option in field.options:
                box = document.by_id(f"{field.name}-{option.value}")
                assert box.get("name") == field.name and box.get("value") == option.value
                assert document.find("label", for_=f"{field.name}-{option.value}")
        else:
            assert document.by_id(field.name).get("name") == field.name
            assert document.find("label", for_=field.name), field.name
        (wrapper,) = [t for t in document.tags if t.get("data-field") == field.name]
        assert wrapper.get("data-shown-for") == " ".join(field.shown_for)


def test_the_blank_form_has_every_question(built_site):
    text = parse(built_site.page("blank-form/index.html")).text
    for section in (form.ABOUT, *form.FORM):
        assert section.legend in text
        for field in section.fields:
            assert field.label in text, field.name
            for option in field.options:
                assert option.label in text, (field.name, option.value)


def test_the_force_area_is_asked_in_the_persons_language(built_site):
    """The area names are translated like every other choice, on screen and on paper."""
    for page in ("pl/report/index.html", "pl/blank-form/index.html"):
        text = parse(built_site.page(page)).text
        assert "Północna Walia (North Wales)" in text and "Nie wiem" in text
    text = parse(built_site.page("zh-hans/report/index.html")).text
    assert "默西赛德（Merseyside）" in text


def _contacts_table() -> list[tuple[str, str, str]]:
    shared = repository_root().parent / "shared" / "contacts.md"
    source = shared if shared.exists() else GOLDEN / "contacts.md"
    rows = []
    for line in source.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("who", "---"):
            rows.append(tuple(cells))
    assert len(rows) >= 5, source
    return rows


def _table_rows(document) -> list[tuple[str, ...]]:
    rows = []
    for row in document.find("tr")[1:]:
        start = document.tags.index(row)
        cells = [t for t in document.tags[start + 1 :] if t.depth == row.depth + 1]
        cells = [t for t in cells if t.name in ("th", "td")][:3]
        rows.append(tuple(" ".join("".join(c.text).split()) for c in cells))
    return rows


def test_the_contacts_page_shows_exactly_the_checked_numbers(built_site):
    document = parse(built_site.page("contacts/index.html"))
    assert _table_rows(document) == _contacts_table()
    assert "once we have confirmed" in document.text  # Scotland, Wales, NI: to be confirmed


@pytest.mark.parametrize("language", LANGUAGES[1:], ids=lambda language: language.code)
def test_every_language_shows_the_same_numbers_and_dials_them(built_site, language):
    english = parse(built_site.page("contacts/index.html"))
    document = parse(built_site.page(language.path("/contacts/index.html").lstrip("/")))
    rows = _table_rows(document)
    assert len(rows) == len(_contacts_table())
    for (_who, number, _when), (_, english_number, _) in zip(
        rows, _table_rows(english), strict=True
    ):
        assert _digits(number) == _digits(english_number), (language.code, number)
    tel = [t.get("href") for t in document.find("a", class_="tel")]
    assert tel == [t.get("href") for t in english.find("a", class_="tel")]


def _digits(text: str) -> set[str]:
    """Every run of three or more digits (spaces inside a number allowed)."""
    runs = re.findall(r"\d(?:[\d ]*\d)?", text)
    return {run.replace(" ", "") for run in runs if len(run.replace(" ", "")) >= 3}


def test_no_other_phone_like_number_appears_anywhere(built_site, site_settings):
    allowed = set()
    for _who, number, _when in _contacts_table():
        allowed |= _digits(number)
    # The support directory's numbers: `uglymugs support check` lets a fictional example
    # (all that ships, tests/support) use only Ofcom's drama numbers.
    for project in _support_projects(site_settings):
        allowed |= _digits(project.phone or "") | {project.tel, (project.tel or "")[1:]}
    for path in built_site.html_pages():
        document = parse(path.read_text(encoding="utf-8"))
        found = _digits(document.text)
        found |= {
            t.get("href")[4:]
            for t in document.find("a")
            if (t.get("href") or "").startswith("tel:")
        }
        assert found <= allowed, f"{path}: {found - allowed}"


def test_blank_scheme_settings_show_as_not_yet_set(built_site, site_settings):
    blanks = [
        name for name in ("SCHEME_PHONE", "SCHEME_EMAIL", "SCHEME_HOURS") if not site_settings[name]
    ]
    document = parse(built_site.page("contacts/index.html"))
    markers = document.find("span", class_="not-set")
    assert len(markers) == len(blanks)
    for marker in markers:
        assert "Not yet set" in "".join(marker.text)
