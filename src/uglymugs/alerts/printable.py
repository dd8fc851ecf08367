"""The printable page of a bundle: plain HTML a project can print or paste into a newsletter.

These pages are downloaded (from the member area, or attached to a newsletter), not
served under the site's Content-Security-Policy, so each is self-contained: one
``<style>`` block, no script, no image, no link, nothing fetched from anywhere. The
page's own ``<meta>`` CSP allows only that style block (by its hash), so even a
browser opening the file from disk loads nothing else.

Each bundle has a page in every language of the site (:func:`page_name`): an alert
reads as :mod:`uglymugs.alerts.reading` says (correction first; when, where and risk;
what happened; the description as one line), every label and coded value translated,
and the alert's own translation shown, with its English original, where it has one.

Every value is text typed by staff; all of it is escaped, and free text is split into
paragraphs on blank lines rather than rendered as Markdown, so nothing in an alert can
become markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from uglymugs.alerts.reading import LABELS, Reading, read
from uglymugs.i18n import N_, translations
from uglymugs.languages import LANGUAGES, SOURCE_CODE, Language

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE = "printable.html.j2"
# Where the sections go in the rendered page: escaped text can hold no "<!--".
SECTIONS_MARKER = "<!--uglymugs:sections-->"
STYLESHEET = "printable.css"
# The page's own words; an alert's labels and values come from uglymugs.alerts.reading.
PAGE_WORDS = {
    "title": N_("Ugly Mugs alerts: {scope}"),
    "issued": N_("Current alerts: {count} · published {date} · sequence {sequence}"),
    "none": N_("No current alerts."),
    "footer": N_(
        "For members of the scheme and the projects that support them. "
        "Please do not pass it on beyond them."
    ),
    "all": N_("All regions"),
}


def page_name(stem: str, language: Language) -> str:
    """``alerts-all.html`` in English, ``alerts-all.pl.html`` in Polish, and so on."""
    return f"{stem}.html" if language.code == SOURCE_CODE else f"{stem}.{language.code}.html"


def printable_languages() -> tuple[Language, ...]:
    """Every language of the site gets its own printable page of every bundle."""
    return LANGUAGES


def render_printable(
    *,
    scope_title: str | None,
    sections: Sequence[bytes],
    sequence: int,
    generated_at: str,
    language: Language = LANGUAGES[0],
) -> bytes:
    """The page for one bundle in ``language``, UTF-8; ``sections`` come from
    :func:`render_section` in the same language; ``scope_title`` None is all regions.

    The template is rendered around a marker and the sections' bytes joined into its
    place: the all-regions page and a region's share each alert's encoded section,
    where joining them as text escaped, copied and encoded every section again.
    """
    from markupsafe import Markup

    gettext = _gettext(language.locale)
    words = {key: gettext(message) for key, message in PAGE_WORDS.items()}
    scope = scope_title if scope_title is not None else words["all"]
    template, style, style_hash = _template()
    html = template.render(
        lang=language.tag,
        title=words["title"].replace("{scope}", scope),
        issued=words["issued"]
        .replace("{count}", str(len(sections)))
        .replace("{date}", generated_at)
        .replace("{sequence}", str(sequence)),
        no_alerts=words["none"],
        footer=words["footer"],
        count=len(sections),
        sections=Markup(SECTIONS_MARKER),  # noqa: S704 - our own constant
        style=style,
        style_hash=style_hash,
    )
    if not sections:
        return html.encode("utf-8")
    head, marker, tail = html.partition(SECTIONS_MARKER)
    if not marker:
        raise ValueError(f"{TEMPLATE} has no place for the alerts")
    return b"".join([head.encode("utf-8"), *sections, tail.encode("utf-8")])


def render_section(
    entry: Mapping[str, Any],
    region_names: Mapping[str, str],
    language: Language = LANGUAGES[0],
) -> bytes:
    """One alert's ``<section>`` in ``language``, every value escaped, UTF-8; rendered
    once per publish and language.

    Built in Python rather than a template loop: a bundle of 10,000 alerts renders it
    20,000 times otherwise (once on the all-regions page, once on the region's).
    """
    reading = read(
        entry, _gettext(language.locale), region_names=region_names, language=language.tag
    )
    return _section(reading, _gettext(language.locale)).encode("utf-8")


def _section(reading: Reading, gettext: Any) -> str:
    """The section's HTML: correction first, then when, where and risk; what happened;
    the description, vehicle and identifiers; issue and expiry dates last."""
    parts = [f'<section class="alert risk-{_escape(reading.risk_class)}">\n']
    if reading.correction:
        label = _escape(gettext(LABELS["correction"]))
        parts.append(
            f'<p class="correction"><strong>{label}:</strong> {_escape(reading.correction)}</p>\n'
        )
    risk = f' <span class="risk">{_escape(reading.risk)}</span>' if reading.risk else ""
    parts.append(f"<h2>{_escape(reading.title)}{risk}</h2>\n")
    when = [f"<strong>{_escape(reading.when)}</strong>"] if reading.when else []
    place = " · ".join([*when, *([_escape(reading.where)] if reading.where else [])])
    if place:
        parts.append(f'<p class="when">{place}</p>\n')
    kinds = [f"<strong>{_escape(reading.kinds)}</strong>"] if reading.kinds else []
    if reading.contact:
        kinds.append(f"{_escape(gettext(LABELS['contact_method']))}: {_escape(reading.contact)}")
    if kinds:
        parts.append(f'<p class="kind">{" · ".join(kinds)}</p>\n')
    lang = _escape(reading.what_happened_lang)
    parts.extend(f'<p lang="{lang}">{_escape(text)}</p>\n' for text in reading.what_happened)
    if reading.original:
        label = _escape(gettext(LABELS["original"]))
        text = " ".join(_escape(paragraph) for paragraph in reading.original)
        parts.append(
            f'<p class="original"><strong>{label}:</strong> <span lang="en">{text}</span></p>\n'
        )
    facts = [
        (gettext(LABELS["offender"]), reading.description),
        (gettext(LABELS["vehicle"]), reading.vehicle),
        *reading.identifiers,
    ]
    for label, text in facts:
        if text:
            parts.append(_labelled("fact", label, text))
    if reading.meta:
        parts.append(f'<p class="meta">{_escape(reading.meta)}</p>\n')
    parts.append("</section>\n")
    return "".join(parts)


def _labelled(kind: str, label: str, text: str, lang: str | None = None) -> str:
    """``<p class=kind><strong>Label:</strong> text</p>``, both escaped."""
    value = f'<span lang="{_escape(lang)}">{_escape(text)}</span>' if lang else _escape(text)
    return f'<p class="{kind}"><strong>{_escape(label)}:</strong> {value}</p>\n'


def _escape(value: Any) -> str:
    """``value`` as HTML text, exactly as :func:`markupsafe.escape` writes it (``&#39;``,
    ``&#34;``): a section's dozen values each cost a :class:`~markupsafe.Markup`
    otherwise, half the time of 50,000 sections (10,000 alerts, five languages)."""
    return (
        str(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def template_digest() -> str:
    """SHA-256 over the template and stylesheet: a new look means new pages."""
    digest = hashlib.sha256()
    for name in (TEMPLATE, STYLESHEET):
        digest.update((TEMPLATES / name).read_bytes())
    return digest.hexdigest()


@cache
def _template() -> tuple[Any, Any, str]:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    css = (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")
    style_hash = "sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    # The stylesheet is ours, not alert text: it goes in unescaped, and its hash is the CSP.
    return environment.get_template(TEMPLATE), Markup(css), style_hash  # noqa: S704


@cache
def _gettext(locale: str) -> Any:
    """The catalogue's ``gettext`` for ``locale`` (English: the msgids themselves)."""
    return translations(locale).gettext
