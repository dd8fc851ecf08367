"""Pelican plugin: translations, Subresource Integrity and the forms for the theme.

Listed in ``site/pelicanconf.py`` as ``PLUGINS = [pelican_plugin]``. Everything the
templates need beyond Pelican's own context is added here as Jinja globals, so the
theme never computes a hash or hard-codes a form question.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from pelican import signals

from uglymugs import i18n
from uglymugs.reports import form
from uglymugs.website import member_forms, offline
from uglymugs.website.page_assets import module_imports


def sri(path: Path) -> str:
    """The ``integrity`` value (SHA-384) of the file at ``path``."""
    digest = hashlib.sha384(path.read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def _theme_asset(settings: dict):
    """``asset("css/site.css")`` → root-relative URL and integrity of a theme static file,
    and for a script, the URL and integrity of every module it imports (``preloads``)."""
    static = (Path(settings["THEME"]) / "static").resolve()
    prefix = "/" + settings["THEME_STATIC_DIR"].strip("/")

    def asset(relative: str) -> dict:
        path = static / relative
        if not path.is_file():
            raise FileNotFoundError(f"theme asset {path} is missing (run `uglymugs build`)")
        imports = module_imports(path) if path.suffix == ".js" else []
        preloads = [
            {"url": f"{prefix}/{p.relative_to(static).as_posix()}", "integrity": sri(p)}
            for p in imports
        ]
        return {"url": f"{prefix}/{relative}", "integrity": sri(path), "preloads": preloads}

    return asset


def initialise_environment(generator) -> None:
    """Install gettext and the site's globals into each generator's Jinja environment."""
    settings = generator.settings
    env = generator.env
    translations = i18n.translations(settings["DEFAULT_LANG"])
    env.install_gettext_translations(translations, newstyle=True)
    env.globals.update(
        asset=_theme_asset(settings),
        FORM_SECTIONS=(form.ABOUT, *form.FORM),
        REPORT_TYPES=form.REPORT_TYPES,
        REPORTERS=form.REPORTERS,
        REQUIRED_FOR=form.REQUIRED_FOR,
        MEMBERS=member_forms,
        REGIONS=member_forms.regions(),
        CATEGORIES=form.FIELDS["categories"].options,
        ALERT_LABELS=member_forms.alert_labels(translations.gettext),
    )


def register() -> None:
    signals.generator_init.connect(initialise_environment)
    offline.register()
