"""What a built page loads: its stylesheets, its scripts with every module they import,
and its icons and manifests.

One reading of the output, shared by the Pelican plugin (a ``modulepreload`` with its
SRI hash for every module a script imports), the offline list (what the service worker
keeps) and the size budgets (what a first visit costs).

>>> assets = page_assets(Path("output"), Path("output/report/index.html"))  # doctest: +SKIP
>>> assets.scripts  # doctest: +SKIP
('/theme/js/dist/quick-exit.js', ..., '/theme/js/dist/sodium.js', '/theme/js/dist/report-form.js')
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# esbuild writes a module's static imports first: `import o from"./sodium.js";`.
_IMPORT = re.compile(r'\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?"(\.{1,2}/[^"]+)"\s*;?')
# A dynamic import, anywhere in a module: `import("./sodium.js")` (see lazy-module.mjs).
_DYNAMIC_IMPORT = re.compile(r'\bimport\("(\.{1,2}/[^"]+)"\)')
# The <link rel> values that load something a page needs; never links to other pages.
_LOADED_LINKS = {"stylesheet", "modulepreload", "icon", "manifest", "apple-touch-icon"}


def module_imports(path: Path) -> list[Path]:
    """Every module the built ES module at ``path`` imports statically, depth first."""
    found: list[Path] = []

    def visit(module: Path) -> None:
        for imported in _imports(module)[0]:
            if imported not in found:
                found.append(imported)
                visit(imported)

    visit(path.resolve())
    return found


def lazy_imports(path: Path) -> list[Path]:
    """The modules the built ES module at ``path`` (or a module it imports) loads with
    ``import()``: fetched only when needed, but part of what the page may load."""
    found: list[Path] = []
    for module in (path.resolve(), *module_imports(path)):
        for imported in _imports(module)[1]:
            if imported not in found:
                found.append(imported)
    return found


def _imports(module: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The static and the dynamic imports of ``module``, searched for once per content:
    every page of a build asks about the same few modules (libsodium among them, 434 KB
    searched for ``import(`` once a page otherwise)."""
    data = module.read_bytes()
    key = (module, hashlib.sha256(data).digest())
    if key not in _SEEN_IMPORTS:
        if len(_SEEN_IMPORTS) >= _SEEN_LIMIT:
            _SEEN_IMPORTS.clear()
        _SEEN_IMPORTS[key] = _read_imports(module, data.decode("utf-8"))
    return _SEEN_IMPORTS[key]


_SEEN_IMPORTS: dict[tuple[Path, bytes], tuple[tuple[Path, ...], tuple[Path, ...]]] = {}
_SEEN_LIMIT = 256


def _read_imports(module: Path, text: str) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    static = []
    position = 0
    while match := _IMPORT.match(text, position):
        static.append((module.parent / match.group(1)).resolve())
        position = match.end()
    dynamic = [(module.parent / name).resolve() for name in _DYNAMIC_IMPORT.findall(text)]
    return tuple(static), tuple(dynamic)


@dataclass(frozen=True)
class PageAssets:
    """Root-relative URLs of what one page loads, in document order, each once."""

    page: str  # the page's own URL: "/", "/report/", "/404.html"
    lang: str
    stylesheets: tuple[str, ...]
    scripts: tuple[str, ...]  # <script src>, modulepreloads, what they import, and import()
    links: tuple[str, ...]  # icons and manifests, with any neutral alternative


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        elif tag == "script" and (src := attributes.get("src")):
            self.scripts.append(src)
        elif tag == "link" and (href := attributes.get("href")):
            rels = set((attributes.get("rel") or "").lower().split())
            if "stylesheet" in rels:
                self.stylesheets.append(href)
            elif "modulepreload" in rels:
                self.scripts.append(href)
            elif rels & _LOADED_LINKS:
                self.links.append(href)
                if neutral := attributes.get("data-neutral-href"):
                    self.links.append(neutral)


def page_url(output_dir: Path, html_file: Path) -> str:
    """The URL a page is served at: ``report/index.html`` → ``/report/``."""
    relative = html_file.relative_to(output_dir).as_posix()
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def url_path(output_dir: Path, url: str) -> Path:
    """The file in ``output_dir`` that serves the root-relative ``url``."""
    relative = url.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    return output_dir / relative


def page_assets(output_dir: Path, html_file: Path) -> PageAssets:
    """What the page in ``html_file`` loads (root-relative URLs within ``output_dir``)."""
    reader = _Reader()
    reader.feed(html_file.read_text(encoding="utf-8"))
    reader.close()
    scripts: list[str] = []
    for url in reader.scripts:
        module = url_path(output_dir, url)
        lazy = lazy_imports(module)
        imported = [
            "/" + path.relative_to(output_dir.resolve()).as_posix()
            for path in (
                *module_imports(module),
                *lazy,
                *(p for m in lazy for p in module_imports(m)),
            )
        ]
        for each in (url, *imported):
            if each not in scripts:
                scripts.append(each)
    return PageAssets(
        page=page_url(output_dir, html_file),
        lang=reader.lang,
        stylesheets=tuple(dict.fromkeys(reader.stylesheets)),
        scripts=tuple(scripts),
        links=tuple(dict.fromkeys(reader.links)),
    )
