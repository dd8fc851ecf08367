"""Which police force area a town is in, from a small data table.

Reports say where it happened in the person's own words ("Linthorpe Road,
Middlesbrough"); alerts and figures need a police force area id. When a report
gives no force area, :func:`force_area_for_town` looks for a known town or city in
the words (``uglymugs/data/places.yaml``, the main towns of each force area) and
answers only when every town it finds is in one force area. It is a suggestion:
staff confirm the region of every alert.

>>> force_area_for_town("Linthorpe Road, Middlesbrough")
'cleveland'
>>> force_area_for_town("between Leeds and Manchester") is None
True
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import yaml

PLACES_RESOURCE = "places.yaml"
FORCE_AREAS_RESOURCE = "police_force_areas.yaml"
_LONGEST_NAME = 4  # words in the longest place name looked for
_NOT_WORD = re.compile(r"[^\w]+")
# libyaml's parser when PyYAML has it: the tables are read on the first suggestion,
# which ``reports list`` makes whenever an incident changes.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PlaceDataError(Exception):
    """The places table names a force area that is not in the force areas file."""


def normalise_place(text: str) -> str:
    """Lower case, apostrophes dropped, anything else not a letter or digit a space."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold().replace("'", "").replace("’", "")).split())


def force_area_for_town(text: str) -> str | None:
    """The force area id of the towns named in ``text``, or None when it names none or
    towns in more than one force area."""
    words = normalise_place(text).split()
    table = places()
    used = [False] * len(words)
    found = set()
    for size in range(_LONGEST_NAME, 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            area = table.get(" ".join(words[start : start + size]))
            if area:
                found.add(area)
                used[start : start + size] = [True] * size
    return found.pop() if len(found) == 1 else None


@cache
def places() -> dict[str, str]:
    """Every known place name (normalised) → its force area id."""
    data = files("uglymugs").joinpath("data")
    table = yaml.load(data.joinpath(PLACES_RESOURCE).read_text(encoding="utf-8"), _LOADER)  # noqa: S506 - a safe loader
    areas = force_area_ids()
    names: dict[str, str] = {}
    for area, towns in table.items():
        if area not in areas:
            raise PlaceDataError(f"{PLACES_RESOURCE}: {area!r} is not a police force area id")
        for town in towns:
            names[normalise_place(str(town))] = area
    return names


def known_force_area(value: object) -> str | None:
    """``value`` when it is a police force area id, else None (``not_sure``, typos)."""
    if not isinstance(value, str):
        return None
    return value if value in force_area_ids() else None


@cache
def force_area_ids() -> frozenset[str]:
    """Every police force area id (the file :mod:`uglymugs.alerts.regions` reads)."""
    text = files("uglymugs").joinpath("data", FORCE_AREAS_RESOURCE).read_text(encoding="utf-8")
    return frozenset(entry["id"] for entry in yaml.load(text, _LOADER))  # noqa: S506 - a safe loader
