"""The form vocabulary agrees with docs/report-format.md and is internally consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uglymugs.alerts.regions import load_regions
from uglymugs.reports import form
from uglymugs.reports.force_area_names import FORCE_AREA_NAMES

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-format.md"


def documented_fields() -> dict[str, str]:
    """Field name → the 'shown for' column, from the doc's table."""
    fields = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            fields[name] = cells[2]
    return fields


def test_names_are_unique():
    every = (form.ABOUT, *form.FORM)
    names = [field.name for section in every for field in section.fields]
    assert len(names) == len(set(names))
    sections = [section.name for section in every]
    assert len(sections) == len(set(sections))


def test_every_documented_field_exists_and_every_field_is_documented():
    documented = documented_fields()
    assert len(documented) > 30
    assert set(documented) == set(form.FIELDS)


def test_shown_for_matches_the_doc():
    for name, shown_for in documented_fields().items():
        roles = tuple(re.findall(r"`([a-z]+)`", shown_for))
        expected = form.REPORTERS_ALL if shown_for == "all" else roles
        assert form.FIELDS[name].shown_for == expected, name


def test_documented_choices_match():
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([a-z_]+)` \| choices?: ([a-z_, ]+) \|", line)
        if match:
            values = [value.strip() for value in match.group(2).split(",")]
            assert [o.value for o in form.FIELDS[match.group(1)].options] == values


def test_fields_are_well_formed():
    roles = {option.value for option in form.REPORTERS}
    for section in form.FORM:
        assert section.legend.strip() and section.fields
        for field in section.fields:
            assert re.fullmatch(r"[a-z][a-z_]*", field.name)
            assert field.label.strip()
            assert field.kind in form.KINDS
            assert set(field.shown_for) <= roles
            if field.kind in (form.CHOICE, form.CHOICES):
                values = [option.value for option in field.options]
                assert values and len(values) == len(set(values)), field.name
                assert all(option.label.strip() for option in field.options)
            else:
                assert field.options == ()


def test_the_about_section_sets_up_the_report_envelope():
    assert [field.name for field in form.ABOUT.fields] == ["report_type", "follows", "reporter"]
    assert form.ABOUT.fields[0].options == form.REPORT_TYPES
    assert form.ABOUT.fields[2].options == form.REPORTERS
    assert not set(form.FIELDS) & {"report_type", "follows", "reporter"}


def test_report_types_and_reporters():
    assert [o.value for o in form.REPORT_TYPES] == ["full", "partial", "follow_up"]
    assert [o.value for o in form.REPORTERS] == list(form.REPORTERS_ALL)
    assert set(form.REQUIRED_FOR) == {"full", "partial", "follow_up"}
    assert form.report_type_label("partial").startswith("Partial")
    assert form.reporter_label("nobody") == "nobody"


def test_labels_and_fallbacks():
    assert form.field_label("what_happened") == "What happened"
    with pytest.raises(KeyError):
        form.field_label("no_such_field")
    assert form.option_label("categories", "non_payment") == "Refused to pay"
    assert form.option_label("categories", "renamed_since") == "renamed_since"
    assert form.option_label("no_such_field", "x") == "x"


def test_a_site_is_asked_the_same_agreement_question_as_a_project():
    assert form.FIELDS["victim_agreed"].shown_for == ("project", "site")


def test_force_area_offers_every_police_force_area_then_not_sure():
    areas = load_regions()
    values = [option.value for option in form.FIELDS["force_area"].options]
    assert values == [*areas, "not_sure"]
    assert {area: region.name for area, region in areas.items()} == FORCE_AREA_NAMES


def test_force_area_comes_right_after_the_town():
    names = [field.name for section in form.FORM for field in section.fields]
    assert names.index("force_area") == names.index("town_or_area") + 1
    assert "force_area" in DOC.read_text(encoding="utf-8")
