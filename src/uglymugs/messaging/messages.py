"""The texts of the e-mails members get, from Jinja2 templates ready for gettext.

Each template under ``messaging/templates/`` renders to a ``Subject:`` line, a blank
line and the plain-text body. Strings are wrapped in ``{% trans %}`` so that Babel can
extract them; each renders in the language it is given (a member's own language,
:mod:`uglymugs.languages` codes; English by default).

>>> subject, text = render_message("application_received", username="DaveM")  # doctest: +SKIP
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from uglymugs.messaging.mailer import Mailer


@cache
def _environment(language: str = "en") -> Environment:
    """One environment per language, its gettext catalogue installed."""
    environment = Environment(
        loader=PackageLoader("uglymugs.messaging", "templates"),
        extensions=["jinja2.ext.i18n"],
        # Plain-text messages are not escaped; ``*.html.j2`` always is.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.install_gettext_translations(translations_for(language), newstyle=True)  # type: ignore[attr-defined]
    return environment


@cache
def translations_for(language: str) -> gettext.NullTranslations:
    """The gettext catalogue of a site language code (``pt-br``); English for any other."""
    from uglymugs.i18n import translations
    from uglymugs.languages import BY_CODE, SOURCE_CODE

    if language == SOURCE_CODE or language not in BY_CODE:
        return gettext.NullTranslations()
    return translations(BY_CODE[language].locale)


def render_message(name: str, language: str = "en", **context: Any) -> tuple[str, str]:
    """``(subject, text)`` of the message ``name``, in ``language``."""
    rendered = _environment(language).get_template(f"{name}.txt.j2").render(**context)
    head, _, body = rendered.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"template {name} must start with a Subject: line")
    return head.removeprefix("Subject: ").strip(), body.strip() + "\n"


def render_html(name: str, language: str = "en", **context: Any) -> str:
    """The HTML alternative of message ``name`` (``<name>.html.j2``, autoescaped)."""
    return _environment(language).get_template(f"{name}.html.j2").render(**context)


def render_text(name: str, language: str = "en", **context: Any) -> str:
    """A short text with no subject (an SMS), whitespace at both ends removed."""
    return _environment(language).get_template(f"{name}.txt.j2").render(**context).strip()


def send_message(mailer: Mailer, to: str, name: str, language: str = "en", **context: Any) -> None:
    subject, text = render_message(name, language, **context)
    mailer.send(to, subject, text)
