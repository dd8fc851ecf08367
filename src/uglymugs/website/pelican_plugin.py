"""Pelican plugin: languages, Subresource Integrity and the forms for the theme.

Listed in ``site/pelicanconf.py`` as ``PLUGINS = [pelican_plugin]``. Everything the
templates need beyond Pelican's own context is added here as Jinja globals, so the
theme never computes a hash or hard-codes a form question.

Languages (:mod:`uglymugs.languages`): a page's translation is a Markdown file with the
same ``Slug`` and ``Lang: <code>``. Each translation gets the English page's template
and address under the language's prefix (``/ro/members/join/``), so a translation only
says what differs: its words. Just before Pelican writes a page, the Jinja
environment is switched to the page's language: ``_()`` and ``{% trans %}`` use its
catalogue, ``LANG`` is its :class:`~uglymugs.languages.Language` and
``localised("/report/")`` is the same page in it.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from functools import cache
from pathlib import Path

from pelican import signals

from uglymugs import i18n, support
from uglymugs.languages import BY_CODE, LANGUAGES, SOURCE, Language
from uglymugs.reports import form
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES
from uglymugs.website import member_forms, offline
from uglymugs.website.api_messages import api_messages
from uglymugs.website.page_assets import lazy_imports, module_imports

# Under "pelican", so that `uglymugs build` fails on these errors as on Pelican's own.
log = logging.getLogger("pelican.plugins.uglymugs")


def sri(path: Path) -> str:
    """The ``integrity`` value (SHA-384) of the file at ``path``."""
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def _theme_asset(settings: dict):
    """``asset("css/site.css")`` → root-relative URL and integrity of a theme static file,
    and for a script, the URL and integrity of every module it imports (``preloads``)
    and of every module it loads later with ``import()`` (``lazy``)."""
    static = (Path(settings["THEME"]) / "static").resolve()
    prefix = "/" + settings["THEME_STATIC_DIR"].strip("/")

    def asset(relative: str) -> dict:
        path = static / relative
        if not path.is_file():
            raise FileNotFoundError(f"theme asset {path} is missing (run `uglymugs build`)")
        script = path.suffix == ".js"

        def described(paths: list[Path]) -> list[dict]:
            return [
                {"url": f"{prefix}/{p.relative_to(static).as_posix()}", "integrity": sri(p)}
                for p in paths
            ]

        return {
            "url": f"{prefix}/{relative}",
            "integrity": sri(path),
            "preloads": described(module_imports(path) if script else []),
            "lazy": described(lazy_imports(path) if script else []),
        }

    return asset


@cache
def _translations(locale: str):
    return i18n.translations(locale)


def versions(page) -> list[dict]:
    """The page in every language, in the switcher's order: language, URL, current.

    A language without a translation of this page gets the English page, so a link
    in the switcher never leads nowhere (``tests/website`` insists on translations).
    """
    by_code = {item.lang: item for item in (page, *page.translations)}
    english = by_code.get(SOURCE.code, page)
    return [
        {
            "language": language,
            "url": "/" + by_code.get(language.code, english).url,
            "current": language.code == page.lang,
            "translated": language.code in by_code,
        }
        for language in LANGUAGES
    ]


class PageLanguage:
    """The language of the page being written, read by ``_()`` and ``localised()``.

    Jinja keeps a template imported without context (our macro files) as a module
    whose globals were looked up once, so swapping ``gettext`` per page would leave
    macros in the first page's language. These callables are installed once and look
    the language up on every call instead. Macros must use only these two; ``LANG``,
    ``ALERT_LABELS`` and ``API_ERRORS`` are for the page templates themselves.
    """

    def __init__(self, language: Language = SOURCE) -> None:
        self.language = language

    def gettext(self, message: str) -> str:
        return _translations(self.language.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _translations(self.language.locale).ngettext(singular, plural, n)

    def localised(self, english_path: str) -> str:
        return self.language.path(english_path)


def use_language(env, language: Language) -> None:
    """Make ``env`` render in ``language``: its catalogue and the globals that depend on it."""
    current = env.globals["PAGE_LANGUAGE"]
    current.language = language
    gettext = _translations(language.locale).gettext
    env.globals.update(
        LANG=language,
        ALERT_LABELS=member_forms.alert_labels(gettext),
        API_ERRORS=api_messages(gettext),
    )


def initialise_environment(generator) -> None:
    """Install gettext and the site's globals into each generator's Jinja environment."""
    settings = generator.settings
    env = generator.env
    current = PageLanguage()
    env.install_gettext_callables(current.gettext, current.ngettext, newstyle=True)
    env.globals.update(
        PAGE_LANGUAGE=current,
        localised=current.localised,
        asset=_theme_asset(settings),
        LANGUAGES=LANGUAGES,
        versions=versions,
        FORM_SECTIONS=(form.ABOUT, *form.FORM),
        FORM_STEPS=form.steps_with_sections(),
        PARTIAL_FIELDS=form.PARTIAL_FIELDS,
        REPORT_TYPES=form.REPORT_TYPES,
        REPORTERS=form.REPORTERS,
        REQUIRED_FOR=form.REQUIRED_FOR,
        MEMBERS=member_forms,
        REGIONS=member_forms.regions(),
        CATEGORIES=form.FIELDS["categories"].options,
        manifest_url=offline.manifest_url,
        FORCE_AREA_NAMES=FORCE_AREA_NAMES,
        SUPPORT=support_directory(settings),
        SUPPORT_SERVICES=support.SERVICES,
        SUPPORT_DAYS=support.DAYS,
        SUPPORT_LANGUAGES=support.LANGUAGE_NAMES,
    )
    use_language(env, BY_CODE[settings["DEFAULT_LANG"]])


def support_directory(settings: dict) -> list[support.SupportProject]:
    """The local support projects for the contacts page; a problem fails the build,
    as ``uglymugs support check`` would name it."""
    result = support.check_directory([Path(settings["SUPPORT_DIRECTORY"])])
    for problem in result.problems:
        log.error("support directory: %s", problem)
    return result.projects


def place_translations(generator) -> None:
    """Give every translation its English page's template and address, under its prefix."""
    for page in (*generator.pages, *generator.hidden_pages):
        for translation in page.translations:
            language = BY_CODE.get(translation.lang)
            if language is None or language is SOURCE:
                log.error(
                    "%s: Lang: %s is not one of the site's languages (%s)",
                    translation.source_path,
                    translation.lang,
                    ", ".join(code for code in BY_CODE if code != SOURCE.code),
                )
                continue
            translation.template = page.template
            if hasattr(page, "moved_to"):  # a moved page sends each language on
                translation.moved_to = page.moved_to
            translation.override_url = language.path("/" + page.url).lstrip("/")
            translation.override_save_as = f"{language.code}/{page.save_as}"
    for page in (*generator.pages, *generator.hidden_pages):
        if page.lang != SOURCE.code:
            log.error(
                "%s: a translation with no English page (Slug: %s)", page.source_path, page.slug
            )


def render_in_page_language(generator, content) -> None:
    """Switch the templates to the language of the page about to be written."""
    use_language(generator.env, BY_CODE.get(content.lang, SOURCE))


def register() -> None:
    signals.generator_init.connect(initialise_environment)
    signals.page_generator_finalized.connect(place_translations)
    signals.page_generator_write_page.connect(render_in_page_language)
    offline.register()
