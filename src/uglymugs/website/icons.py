"""The installed app's icons, drawn at build time: the scheme's own, and a neutral one.

Each icon is a few flat shapes drawn row by row into a palette PNG (standard library
only, no image package). The neutral icon, a plain notepad, goes with the neutral
manifest ("Notes"), for someone who does not want the scheme's name and mark on their
home screen. Every shape keeps inside the middle 80% so the icons are also "maskable".

>>> png = draw(SCHEME_ICON, 192)
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A shape gives, for a row at height y (0–1, top down), the x intervals (0–1) it covers.
Shape = Callable[[float], list[tuple[float, float]]]


@dataclass(frozen=True)
class Icon:
    """A background colour and shapes painted over it in order, each in its colour."""

    background: str
    shapes: Sequence[tuple[str, Shape]]


def rounded_rect(left: float, top: float, right: float, bottom: float, radius: float) -> Shape:
    def spans(y: float) -> list[tuple[float, float]]:
        if not top <= y <= bottom:
            return []
        dy = max(top + radius - y, y - (bottom - radius), 0.0)
        inset = radius - math.sqrt(max(radius * radius - dy * dy, 0.0))
        return [(left + inset, right - inset)]

    return spans


def half_ring(cx: float, cy: float, outer: float, inner: float) -> Shape:
    """The right half of a ring: a mug's handle."""

    def spans(y: float) -> list[tuple[float, float]]:
        dy = abs(y - cy)
        if dy > outer:
            return []
        far = cx + math.sqrt(outer * outer - dy * dy)
        near = cx + (math.sqrt(inner * inner - dy * dy) if dy < inner else 0.0)
        return [(near, far)]

    return spans


INK = "#ffffff"
SCHEME_ICON = Icon(
    background="#5b1a8c",
    shapes=(
        (INK, rounded_rect(0.27, 0.30, 0.63, 0.72, 0.06)),
        (INK, half_ring(0.61, 0.47, 0.14, 0.075)),
    ),
)
NEUTRAL_ICON = Icon(
    background="#e8e4da",
    shapes=(
        ("#ffffff", rounded_rect(0.27, 0.20, 0.73, 0.80, 0.03)),
        *(("#9a968c", rounded_rect(0.34, y, 0.66, y + 0.022, 0.0)) for y in (0.34, 0.45, 0.56)),
        ("#9a968c", rounded_rect(0.34, 0.67, 0.54, 0.692, 0.0)),
    ),
)


def _rgb(colour: str) -> bytes:
    return bytes.fromhex(colour.lstrip("#"))


def draw(icon: Icon, size: int) -> bytes:
    """The icon as a ``size`` × ``size`` PNG."""
    colours = list(dict.fromkeys([icon.background, *(c for c, _ in icon.shapes)]))
    rows = []
    for row in range(size):
        pixels = bytearray(size)  # index 0: the background
        y = (row + 0.5) / size
        for colour, shape in icon.shapes:
            index = colours.index(colour)
            for left, right in shape(y):
                start, end = max(round(left * size), 0), min(round(right * size), size)
                if end > start:
                    pixels[start:end] = bytes([index]) * (end - start)
        rows.append(b"\x00" + bytes(pixels))  # filter type 0 for each row
    return _png(size, b"".join(_rgb(c) for c in colours), b"".join(rows))


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png(size: int, palette: bytes, raw_rows: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", size, size, 8, 3, 0, 0, 0)  # 8-bit palette
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"PLTE", palette)
        + _chunk(b"IDAT", zlib.compress(raw_rows, 9))
        + _chunk(b"IEND", b"")
    )
