"""The regions: every UK territorial police force area, from the packaged data file."""

from collections import Counter

import pytest

from uglymugs.alerts.regions import RegionDataError, load_regions


def test_there_are_the_43_forces_of_england_and_wales_and_one_each_for_scotland_and_ni():
    regions = load_regions()
    assert len(regions) == 45
    assert Counter(region.nation for region in regions.values()) == {
        "England": 39,
        "Wales": 4,
        "Scotland": 1,
        "Northern Ireland": 1,
    }


def test_well_known_ids_are_there():
    regions = load_regions()
    for region_id in ("greater-manchester", "metropolitan", "city-of-london", "dyfed-powys"):
        assert region_id in regions
    assert regions["scotland"].nation == "Scotland"
    assert regions["northern-ireland"].nation == "Northern Ireland"


def test_the_data_file_is_in_the_package():
    from importlib.resources import files

    assert files("uglymugs").joinpath("data", "police_force_areas.yaml").is_file()


def test_a_malformed_file_is_refused(tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text(
        "- {id: kent, name: Kent, nation: England}\n- {id: kent, name: K, nation: England}\n"
    )
    with pytest.raises(RegionDataError, match="repeated"):
        load_regions(path)
    path.write_text("- {id: kent, name: Kent, nation: Atlantis}\n")
    with pytest.raises(RegionDataError, match="unknown nation"):
        load_regions(path)
