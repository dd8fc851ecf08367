"""gzip and brotli copies of the built site, made at build time for ``uglymugs dev``.

CloudFront compresses text files between 1,000 bytes and 10 MB for browsers that ask
(``Accept-Encoding``), brotli first. ``uglymugs dev`` does the same from these copies,
so a phone on a slow network (and Lighthouse) sees what a deployment sends: libsodium
is 434 KB as a file and about a third of that compressed. The copies live beside the
site (``site.compressed/``), never in it: the site is what gets published, and
CloudFront makes its own.

Every build (and so every ``publish``) rewrites the whole site, but most files come
out byte for byte as before: a copy is kept while the SHA-256 of its source is the one
it was made from (:data:`SOURCES_NAME`), and only new or changed files are compressed.
Brotli's quality 11 takes a second on libsodium alone and a tenth of one on a 50 KB
page for 1.5% less than quality 10; it is kept for files of :data:`BEST_QUALITY_BYTES`
and more, where it saves kilobytes.

>>> precompress(Path(".uglymugs/site"))  # doctest: +SKIP
PosixPath('.uglymugs/site.compressed')
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import shutil
from pathlib import Path

import brotli

# What CloudFront compresses (its list of types, by the extensions the site uses).
COMPRESSIBLE = frozenset({".html", ".js", ".mjs", ".css", ".json", ".svg", ".webmanifest", ".txt"})
MIN_BYTES = 1_000
MAX_BYTES = 10_000_000
# Content codings, best first, with the file suffix each copy has.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
BEST_QUALITY_BYTES = 100_000  # libsodium: quality 11 saves 4 KB over 10 there
BEST_QUALITY, QUALITY = 11, 10
# {path relative to the site: SHA-256 of the bytes its copies were made from}.
SOURCES_NAME = ".sources.json"


def compressed_dir(site_dir: Path) -> Path:
    """Where the compressed copies of ``site_dir`` are: ``site`` → ``site.compressed``."""
    return site_dir.with_name(site_dir.name + ".compressed")


def compressed_copy(path: Path, suffix: str) -> Path:
    """The copy of ``path`` with an encoding's ``suffix`` (one of :data:`ENCODINGS`).

    >>> compressed_copy(Path("site.compressed/app.js"), ".br")
    PosixPath('site.compressed/app.js.br')
    """
    return path.with_name(path.name + suffix)


def precompress(site_dir: Path) -> Path:
    """Write ``.br`` and ``.gz`` copies of each compressible file; returns their directory.

    Copies of files whose bytes did not change since the last build are kept; copies of
    files no longer in the site are removed.
    """
    target = compressed_dir(site_dir)
    previous = _previous_sources(target)
    sources: dict[str, str] = {}
    for path in sorted(site_dir.rglob("*")):
        if not _compressible(path):
            continue
        data = path.read_bytes()
        relative = path.relative_to(site_dir).as_posix()
        sources[relative] = hashlib.sha256(data).hexdigest()
        copy = target / relative
        if previous.get(relative) == sources[relative] and _copies_exist(copy):
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        quality = BEST_QUALITY if len(data) >= BEST_QUALITY_BYTES else QUALITY
        compressed_copy(copy, ".br").write_bytes(brotli.compress(data, quality=quality))
        compressed_copy(copy, ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
    _remove_stale(target, sources)
    (target / SOURCES_NAME).write_text(json.dumps(sources, sort_keys=True), encoding="utf-8")
    return target


def _previous_sources(target: Path) -> dict[str, str]:
    """What the copies in ``target`` were made from, forgotten before anything changes
    (an interrupted build then leaves no record, and the next one compresses afresh)."""
    index = target / SOURCES_NAME
    try:
        sources = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        sources = None
    if not isinstance(sources, dict):
        if target.exists():
            shutil.rmtree(target)
        return {}
    index.unlink()
    return {str(key): str(value) for key, value in sources.items()}


def _copies_exist(copy: Path) -> bool:
    return all(compressed_copy(copy, suffix).is_file() for _, suffix in ENCODINGS)


def _remove_stale(target: Path, sources: dict[str, str]) -> None:
    """Remove copies (and emptied directories) of files the site no longer has."""
    if not target.is_dir():
        return
    wanted = {name + suffix for name in sources for _, suffix in ENCODINGS}
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_dir():
            with contextlib.suppress(OSError):
                path.rmdir()  # only when empty
        elif relative not in wanted:
            path.unlink()


def _compressible(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix in COMPRESSIBLE
        and MIN_BYTES <= path.stat().st_size <= MAX_BYTES
    )
