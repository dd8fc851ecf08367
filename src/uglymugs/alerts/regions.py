"""Regions: the UK's territorial police force areas, read from a data file.

Alerts are filed under the police force area where it happened, and members choose
the regions they hear about. The list lives in ``uglymugs/data/police_force_areas.yaml``
(data, not code): each area has a stable ``id`` (what alerts store), a ``name`` and
the ``nation`` it is in.

>>> load_regions()["greater-manchester"].name
'Greater Manchester'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

REGIONS_RESOURCE = "police_force_areas.yaml"
NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
_ID = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


class RegionDataError(Exception):
    """The regions data file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Region:
    """One police force area: ``id`` as alerts store it, ``name`` as people read it."""

    id: str
    name: str
    nation: str


def load_regions(path: Path | None = None) -> dict[str, Region]:
    """Every region by id, in the file's order; the packaged file unless ``path`` is given."""
    if path is None:
        return dict(_packaged_regions())
    return _parse(path.read_text(encoding="utf-8"), str(path))


@cache
def _packaged_regions() -> dict[str, Region]:
    resource = files("uglymugs").joinpath("data", REGIONS_RESOURCE)
    return _parse(resource.read_text(encoding="utf-8"), REGIONS_RESOURCE)


def _parse(text: str, source: str) -> dict[str, Region]:
    entries = yaml.safe_load(text)
    if not isinstance(entries, list):
        raise RegionDataError(f"{source}: expected a list of regions")
    regions: dict[str, Region] = {}
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"id", "name", "nation"}:
            raise RegionDataError(f"{source}: each region has exactly id, name and nation")
        region = Region(str(entry["id"]), str(entry["name"]), str(entry["nation"]))
        if not _ID.match(region.id) or region.id in regions:
            raise RegionDataError(f"{source}: region id {region.id!r} is malformed or repeated")
        if region.nation not in NATIONS:
            raise RegionDataError(f"{source}: {region.id} has unknown nation {region.nation!r}")
        regions[region.id] = region
    return regions
