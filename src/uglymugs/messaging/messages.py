"""The texts of the e-mails members get, from Jinja2 templates ready for gettext.

Each template under ``messaging/templates/`` renders to a ``Subject:`` line, a blank
line and the plain-text body. Strings are wrapped in ``{% trans %}`` so that Babel can
extract them; until a member can choose a language, they render in English.

>>> subject, text = render_message("application_received", username="DaveM")  # doctest: +SKIP
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from uglymugs.messaging.mailer import Mailer


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("uglymugs.messaging", "templates"),
        extensions=["jinja2.ext.i18n"],
        # Plain-text messages are not escaped; ``*.html.j2`` always is.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.install_gettext_translations(gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    return environment


def render_message(name: str, **context: Any) -> tuple[str, str]:
    """``(subject, text)`` of the message ``name``."""
    rendered = _environment().get_template(f"{name}.txt.j2").render(**context)
    head, _, body = rendered.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"template {name} must start with a Subject: line")
    return head.removeprefix("Subject: ").strip(), body.strip() + "\n"


def render_html(name: str, **context: Any) -> str:
    """The HTML alternative of message ``name`` (``<name>.html.j2``, autoescaped)."""
    return _environment().get_template(f"{name}.html.j2").render(**context)


def render_text(name: str, **context: Any) -> str:
    """A short text with no subject (an SMS), whitespace at both ends removed."""
    return _environment().get_template(f"{name}.txt.j2").render(**context).strip()


def send_message(mailer: Mailer, to: str, name: str, **context: Any) -> None:
    subject, text = render_message(name, **context)
    mailer.send(to, subject, text)
