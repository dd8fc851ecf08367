"""Server-rendered pages: Jinja2 templates translated with the site's catalogues.

The console speaks the staff member's language: the one their browser asks for
(``Accept-Language``) among the site's five, else English. Autoescaping is on, so
everything a report says is shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from uglymugs import i18n
from uglymugs.languages import LANGUAGES, SOURCE, Language
from uglymugs.reports import form

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_FORM_BYTES = 256 * 1024


@cache
def environment(locale: str) -> Environment:
    env: Any = Environment(  # Any: the i18n extension adds install_gettext_callables
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = i18n.translations(locale)
    env.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)
    env.globals.update(
        FORM=form,
        FORM_SECTIONS=(form.ABOUT, *form.FORM),
        urlencode=urlencode,
    )
    env.filters["translated"] = lambda line: translated(line, translations.gettext)
    return env


def translated(line: str, gettext: Callable[[str], str]) -> str:
    """A line composed in Python (a consent's reason, a refusal) in ``gettext``'s
    language: ``{{ consent.reason | translated }}`` in a template."""
    return line.translated(gettext) if isinstance(line, i18n.TranslatableLine) else gettext(line)


def language_of(request: Request) -> Language:
    """The first of the browser's languages the site speaks, else English."""
    wanted = request.headers.get("accept-language", "")
    for part in wanted.split(","):
        tag = part.split(";")[0].strip().lower()
        for language in LANGUAGES:
            if tag and (tag == language.tag.lower() or tag.split("-")[0] == language.code):
                return language
    return SOURCE


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    env = environment(language.locale)
    html = env.get_template(template).render(
        lang=language.tag, request=request, path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status_code)


def gettext_for(request: Request):
    """The request's ``gettext``, for messages composed in Python."""
    return i18n.translations(language_of(request).locale).gettext


async def form_data(request: Request) -> dict[str, list[str]]:
    """The posted form (``application/x-www-form-urlencoded``), every value a list."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def first(data: dict[str, list[str]], name: str) -> str:
    return (data.get(name) or [""])[0].strip()
