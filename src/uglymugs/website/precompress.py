"""gzip and brotli copies of the built site, made once at build time for ``uglymugs dev``.

CloudFront compresses text files between 1,000 bytes and 10 MB for browsers that ask
(``Accept-Encoding``), brotli first. ``uglymugs dev`` does the same from these copies,
so a phone on a slow network (and Lighthouse) sees what a deployment sends: libsodium
is 434 KB as a file and about a third of that compressed. The copies live beside the
site (``site.compressed/``), never in it: the site is what gets published, and
CloudFront makes its own.

>>> precompress(Path(".uglymugs/site"))  # doctest: +SKIP
PosixPath('.uglymugs/site.compressed')
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import brotli

# What CloudFront compresses (its list of types, by the extensions the site uses).
COMPRESSIBLE = frozenset({".html", ".js", ".mjs", ".css", ".json", ".svg", ".webmanifest", ".txt"})
MIN_BYTES = 1_000
MAX_BYTES = 10_000_000
# Content codings, best first, with the file suffix each copy has.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def compressed_dir(site_dir: Path) -> Path:
    """Where the compressed copies of ``site_dir`` are: ``site`` → ``site.compressed``."""
    return site_dir.with_name(site_dir.name + ".compressed")


def precompress(site_dir: Path) -> Path:
    """Write ``.br`` and ``.gz`` copies of each compressible file; returns their directory."""
    target = compressed_dir(site_dir)
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(site_dir.rglob("*")):
        if not _compressible(path):
            continue
        data = path.read_bytes()
        copy = target / path.relative_to(site_dir)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.with_name(copy.name + ".br").write_bytes(brotli.compress(data, quality=11))
        copy.with_name(copy.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
    return target


def _compressible(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix in COMPRESSIBLE
        and MIN_BYTES <= path.stat().st_size <= MAX_BYTES
    )
