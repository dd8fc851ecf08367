"""Translations: the English catalogue is complete and the templates really use gettext."""

from __future__ import annotations

import gettext

from babel.messages.pofile import read_po

from uglymugs import i18n
from uglymugs.reports import form


def _catalogue(lang: str):
    with i18n.catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_english_catalogue_has_every_extracted_message():
    extracted = {message.id for message in i18n.extract() if message.id}
    english = {message.id for message in _catalogue("en") if message.id and message.string}
    missing = extracted - english
    assert not missing, f"run `uglymugs i18n extract`; missing from en: {sorted(missing)[:5]}"


def test_extraction_finds_templates_settings_and_the_form():
    locations = {path for message in i18n.extract() for path, _line in message.locations}
    assert "src/uglymugs/reports/form.py" in locations
    assert "site/pelicanconf.py" in locations
    assert "site/themes/uglymugs/templates/report.html" in locations
    ids = {message.id for message in i18n.extract()}
    assert {field.label for section in form.FORM for field in section.fields} <= ids
    assert "Quick exit" in ids


def test_every_catalogue_compiles_and_translates(tmp_path):
    for lang in i18n.languages():
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        i18n.catalogue_path(lang, tmp_path).write_bytes(i18n.catalogue_path(lang).read_bytes())
    written = i18n.compile_catalogues(tmp_path)
    assert [path.parent.parent.name for path in written] == i18n.languages()
    translations = i18n.translations("en", tmp_path)
    assert isinstance(translations, gettext.GNUTranslations)
    assert translations.gettext("What happened") == "What happened"


def test_a_language_without_a_catalogue_falls_back_to_english(tmp_path):
    assert i18n.translations("xx", tmp_path).gettext("Quick exit") == "Quick exit"


def test_adding_a_language_is_adding_a_catalogue(tmp_path):
    template = i18n.extract()
    path = i18n.update_catalogue(template, "pl", tmp_path)
    assert path == tmp_path / "pl" / "LC_MESSAGES" / "messages.po"
    assert i18n.languages(tmp_path) == ["pl"]
    i18n.compile_catalogues(tmp_path)
    # Untranslated messages show in English until a translator fills them in.
    assert i18n.translations("pl", tmp_path).gettext("Quick exit") == "Quick exit"
