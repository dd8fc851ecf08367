"""The printable page of a bundle: plain HTML a project can print or paste into a newsletter.

These pages are downloaded (from the member area, or attached to a newsletter), not
served under the site's Content-Security-Policy, so each is self-contained: one
``<style>`` block, no script, no image, no link, nothing fetched from anywhere. The
page's own ``<meta>`` CSP allows only that style block (by its hash), so even a
browser opening the file from disk loads nothing else.

Every value is text typed by staff; all of it is escaped (Jinja2 autoescaping), and
free text is split into paragraphs on blank lines rather than rendered as Markdown,
so nothing in an alert can become markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from uglymugs.alerts.model import Identifiers, Incident, Offender, Vehicle

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE = "printable.html.j2"
STYLESHEET = "printable.css"
# Fields shown first, in this order, when a record has them; the rest follow sorted.
_LEADING_FIELDS = (
    "title",
    "summary",
    "issued",
    "incident",
    "date",
    "time",
    "region",
    "area",
    "categories",
    "risk",
    "contact_method",
    "what_happened",
    "offender",
    "vehicle",
    "identifiers",
)
# Inside a field (offender, vehicle, identifiers…): the order the alert model declares,
# which is the order of the report form.
_NESTED_ORDER = (
    *Incident.model_fields,
    *Offender.model_fields,
    *Vehicle.model_fields,
    *Identifiers.model_fields,
)
_RANK = {key: index for index, key in enumerate(_NESTED_ORDER)}
_HEADING_FIELDS = frozenset({"number", "status"})
_TRAILING_FIELDS = ("expires",)


def render_printable(
    *,
    scope_title: str,
    sections: list[Any],
    sequence: int,
    generated_at: str,
) -> bytes:
    """The page for one bundle, UTF-8; ``sections`` come from :func:`render_section`."""
    from markupsafe import Markup

    template, style, style_hash = _template()
    html = template.render(
        scope_title=scope_title,
        count=len(sections),
        sections=Markup("").join(sections),  # escapes anything that is not already Markup
        sequence=sequence,
        generated_at=generated_at,
        style=style,
        style_hash=style_hash,
    )
    return html.encode("utf-8")


def render_section(entry: Mapping[str, Any], region_names: Mapping[str, str]) -> Any:
    """One alert's ``<section>``, every value escaped; rendered once per publish.

    Built in Python rather than a template loop: a bundle of 10,000 alerts renders it
    20,000 times otherwise (once on the all-regions page, once on the region's).
    """
    from markupsafe import Markup, escape

    status = entry.get("status")
    badge = f'<span class="status">{escape(status)}</span>' if status != "published" else ""
    parts = [f'<section class="alert">\n<h2>{escape(entry["number"])}{badge}</h2>\n<dl>\n']
    for label, paragraphs in _fields(entry, region_names):
        text = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        parts.append(f"<dt>{escape(label)}</dt>\n<dd>{text}</dd>\n")
    parts.append("</dl>\n</section>\n")
    return Markup("".join(parts))  # noqa: S704 - every value above went through escape()


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


def _fields(entry: Mapping[str, Any], region_names: Mapping[str, str]) -> list[tuple[str, list]]:
    keys = [key for key in _LEADING_FIELDS if key in entry]
    keys += sorted(
        key
        for key in entry
        if key not in _LEADING_FIELDS and key not in _HEADING_FIELDS and key not in _TRAILING_FIELDS
    )
    keys += [key for key in _TRAILING_FIELDS if key in entry]
    fields = []
    for key in keys:
        value = entry[key]
        if key == "region" and isinstance(value, str):
            value = region_names.get(value, value)
        paragraphs = _paragraphs(value)
        if paragraphs:
            fields.append((_label(key), paragraphs))
    return fields


@cache
def _label(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").strip().capitalize()


def _paragraphs(value: Any) -> list[str]:
    """A value as lines of plain text (escaped later by the template)."""
    if value is None or value == "" or value == [] or value == {}:
        return []
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    if isinstance(value, str):
        return [part.strip() for part in value.replace("\r\n", "\n").split("\n\n") if part.strip()]
    if isinstance(value, Mapping):
        return [f"{_label(key)}: {_inline(item)}" for key, item in _ordered(value) if _inline(item)]
    if isinstance(value, (list, tuple)):
        if all(not isinstance(item, (Mapping, list, tuple)) for item in value):
            return [", ".join(_inline(item) for item in value)]
        return [_inline(item) for item in value if _inline(item)]
    return [str(value)]


def _ordered(value: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Known keys in form order, then the rest sorted: never the input's own order,
    so the same record always renders the same bytes."""
    return sorted(value.items(), key=lambda item: (_RANK.get(item[0], len(_RANK)), item[0]))


def _inline(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        lines = ((_label(key), _inline(item)) for key, item in _ordered(value))
        return "; ".join(f"{label}: {text}" for label, text in lines if text)
    if isinstance(value, (list, tuple)):
        return ", ".join(text for text in map(_inline, value) if text)
    return " ".join(str(value).split())
