"""The installable app: its manifests and icons, and the service worker with its list.

At the end of a build (Pelican's ``finalized`` signal) this writes into the output:

- ``/theme/app.webmanifest`` (the scheme's name and mark) and
  ``/theme/app-neutral.webmanifest`` ("Notes", a plain notepad), with the same ``id``,
  so a person can choose what the installed app is called on their home screen; and
  the same two in every other language (``/theme/app.ro.webmanifest``), named in it;
- ``/theme/icons/*.png``, drawn by :mod:`uglymugs.website.icons`;
- ``/sw.js``: the service worker, headed by the offline list built here.

The offline list names every page whose slug is in the ``OFFLINE_PAGES`` setting, in
every language, and everything each page loads, each with its SHA-384 hash (the first
132 bits of it): the service worker stores a file only if its bytes match, so it never
keeps anything the build did not write, and never an API answer. It keeps the page a
visitor opens and the light pages of their language; the pages that load libsodium
(the report form, the member area) once they have been opened, or at once in the
installed app, so that a first visit to the home page never downloads libsodium. The
list's hash names the cache (``uglymugs-<version>``), so every build that changes a
byte gets a new cache. The worker is minified by esbuild, like the page scripts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from pathlib import Path

from uglymugs import i18n
from uglymugs.config import repository_root
from uglymugs.languages import LANGUAGES, SOURCE, Language
from uglymugs.website import icons
from uglymugs.website.page_assets import page_assets, url_path

SERVICE_WORKER = "sw.js"
SERVICE_WORKER_SOURCE = Path("js") / "service-worker.js"  # in the theme, not bundled
SODIUM = "/theme/js/dist/sodium.js"
MANIFEST = "theme/app.webmanifest"
NEUTRAL_MANIFEST = "theme/app-neutral.webmanifest"
ICON_SIZES = (192, 512)
_PAGES_KEY = "_UGLYMUGS_PAGE_URLS"  # {url: slug}, gathered while Pelican runs

# Dark, so that opening the installed app at night does not light up a face.
SPLASH_BACKGROUND = "#1b1b1b"


# The worker checks a file's SHA-384 by its first 22 base64 characters (132 bits): enough
# to tell one build's bytes from another's, and the list, on every first visit, halves.
HASH_PREFIX = len("sha384-") + 22


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _gather_pages(generators) -> None:
    """Remember each page's URL and slug, translations included."""
    for generator in generators:
        if type(generator).__name__ != "PagesGenerator":
            continue
        urls = generator.settings.setdefault(_PAGES_KEY, {})
        for name in ("pages", "translations", "hidden_pages", "hidden_translations"):
            for page in getattr(generator, name, []):
                urls["/" + page.url] = page.slug


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def manifest_url(language: Language, neutral: bool = False) -> str:
    """The manifest a page in ``language`` links: English keeps the first names.

    >>> manifest_url(LANGUAGES[2], neutral=True)
    '/theme/app-neutral.pt-br.webmanifest'
    """
    path = NEUTRAL_MANIFEST if neutral else MANIFEST
    if language is not SOURCE:
        path = path.replace(".webmanifest", f".{language.code}.webmanifest")
    return "/" + path


def write_app_files(output_dir: Path, settings: dict) -> None:
    """The icons, and in every language the two manifests, named in that language."""
    for name, icon in (("app", icons.SCHEME_ICON), ("neutral", icons.NEUTRAL_ICON)):
        for size in ICON_SIZES:
            _write(output_dir / f"theme/icons/{name}-{size}.png", icons.draw(icon, size))
    for language in LANGUAGES:
        for neutral in (False, True):
            document = _manifest(settings, language, neutral)
            data = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            _write(url_path(output_dir, manifest_url(language, neutral)), data.encode("utf-8"))


def _manifest(settings: dict, language: Language, neutral: bool) -> dict:
    """One manifest: the same app (``id``) under the scheme's name or "Notes"."""
    translate = i18n.translations(language.locale).gettext
    if neutral:
        name = short_name = translate(i18n.N_("Notes"))
        icon, theme_colour = "neutral", "#3a3935"
    else:
        short_name = settings["SITENAME"]
        name = translate(i18n.N_("%(scheme)s: reports and alerts")) % {"scheme": short_name}
        icon, theme_colour = "app", icons.SCHEME_ICON.background
    return {
        "id": "/",
        "start_url": language.path("/"),
        "scope": "/",
        "display": "standalone",
        "lang": language.tag,
        "dir": "ltr",
        "background_color": SPLASH_BACKGROUND,
        "name": name,
        "short_name": short_name,
        "theme_color": theme_colour,
        "icons": [
            {
                "src": f"/theme/icons/{icon}-{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for purpose in ("any", "maskable")
            for size in ICON_SIZES
        ],
    }


def offline_list(output_dir: Path, page_urls: dict[str, str], offline_slugs) -> dict:
    """What the service worker may keep: every file with its hash; ``common``, what
    every offline page loads; and for each page its language, whether it loads
    libsodium, and the files it needs besides the common ones (the page first)."""
    files: dict[str, str] = {}
    needs: dict[str, list[str]] = {}
    pages: dict[str, dict] = {}
    for url, slug in sorted(page_urls.items()):
        page = url_path(output_dir, url)
        if slug not in offline_slugs or not page.is_file():
            continue
        assets = page_assets(output_dir, page)
        needed = [url, *assets.stylesheets, *assets.scripts, *assets.links]
        for link in assets.links:
            if link.endswith(".webmanifest"):
                manifest = json.loads(url_path(output_dir, link).read_text(encoding="utf-8"))
                needed += [icon["src"] for icon in manifest.get("icons", [])]
        needs[url] = list(dict.fromkeys(needed))
        for each in needs[url]:
            files.setdefault(each, sri(url_path(output_dir, each).read_bytes())[:HASH_PREFIX])
        pages[url] = {"lang": assets.lang, "libsodium": SODIUM in assets.scripts}
    common = [f for f in files if all(f in needed for needed in needs.values())]
    for url, needed in needs.items():
        pages[url]["files"] = [f for f in needed if f not in common]
    return {"files": files, "common": common, "pages": pages}


def write_service_worker(output_dir: Path, settings: dict, listing: dict) -> Path:
    """``/sw.js``: the offline list and its version, then the theme's service worker.

    The version hashes the list and the worker's source, so any change to either makes
    a new worker with a new cache.
    """
    source = _minified(Path(settings["THEME"]) / SERVICE_WORKER_SOURCE)
    listing = {**listing, "default_lang": settings["DEFAULT_LANG"]}
    listing["version"] = hashlib.sha256(
        (json.dumps(listing, sort_keys=True) + source).encode()
    ).hexdigest()[:16]
    header = (
        "// Written by the build (uglymugs.website.offline): what this worker may keep.\n"
        f"const OFFLINE = {json.dumps(listing, sort_keys=True, separators=(',', ':'))};\n"
    )
    path = output_dir / SERVICE_WORKER
    _write(path, (header + source).encode("utf-8"))
    return path


def _minified(script: Path) -> str:
    esbuild = repository_root() / "node_modules" / ".bin" / "esbuild"
    command = [str(esbuild), str(script), "--minify", "--log-level=warning"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"esbuild failed on {script.name}: {result.stderr.strip()}")
    return result.stdout


def read_offline_list(output_dir: Path) -> dict:
    """The list at the head of a built ``/sw.js`` (for tests and the size report)."""
    text = (output_dir / SERVICE_WORKER).read_text(encoding="utf-8")
    start = text.index("const OFFLINE = ") + len("const OFFLINE = ")
    return json.JSONDecoder().raw_decode(text, start)[0]


def _finalized(pelican) -> None:
    settings = pelican.settings
    output_dir = Path(pelican.output_path)
    write_app_files(output_dir, settings)
    listing = offline_list(output_dir, settings.get(_PAGES_KEY, {}), settings["OFFLINE_PAGES"])
    write_service_worker(output_dir, settings, listing)


def register() -> None:
    # Imported here, not above: importing Pelican makes every logger created afterwards
    # drop repeated messages (pelican.log), and tests read this module's list.
    from pelican import signals

    signals.all_generators_finalized.connect(_gather_pages)
    signals.finalized.connect(_finalized)
