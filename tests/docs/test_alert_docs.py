"""docs/alerts.md stays true: every field, every problem code and every region is documented."""

import re
from pathlib import Path

from pydantic import BaseModel

from uglymugs.alerts.check import DEFAULT_TEXT_LIMIT, ERROR_CODES, LIST_LIMIT, TEXT_LIMITS
from uglymugs.alerts.model import STAFF_ONLY_FIELDS, WARNING_CODES, Alert
from uglymugs.alerts.regions import load_regions

ALERT_DOC = Path(__file__).resolve().parents[2] / "docs" / "alerts.md"


def section(title: str) -> str:
    text = ALERT_DOC.read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def first_cells(title: str) -> list[list[str]]:
    rows = re.findall(r"^\| `([^`]+)` \|(.*)\|$", section(title), re.MULTILINE)
    return [[name, *(cell.strip() for cell in rest.split("|"))] for name, rest in rows]


def model_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        names.add(prefix + name)
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= model_fields(annotation, f"{prefix}{name}.")
        args = getattr(annotation, "__args__", ())
        if len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel):
            names |= model_fields(args[1], f"{prefix}{name}.<lang>.")
    return names


def test_every_field_of_the_model_is_documented_and_nothing_else():
    documented = {row[0] for row in first_cells("Fields")}
    assert documented == model_fields(Alert)
    assert "translations.<lang>.what_happened" in documented
    assert "offender.glasses" in documented


def test_the_doc_says_which_fields_members_never_receive():
    never = {row[0] for row in first_cells("Fields") if row[-1] == "**never**"}
    assert never == set(STAFF_ONLY_FIELDS)


def test_every_problem_code_is_documented_with_its_kind():
    documented = {row[0]: row[1] for row in first_cells("Problems")}
    expected = {code: "error" for code in ERROR_CODES} | {code: "warning" for code in WARNING_CODES}
    assert documented == expected


def test_the_region_table_is_the_data_file():
    documented = [tuple(row) for row in first_cells("Regions")]
    assert documented == [(r.id, r.name, r.nation) for r in load_regions().values()]


def test_the_limits_table_is_the_checks_and_names_documented_fields():
    documented = {row[0]: int(row[1].replace(",", "")) for row in first_cells("Limits")}
    assert documented == TEXT_LIMITS
    assert set(documented) <= model_fields(Alert)
    prose = " ".join(section("Limits").split())
    assert f"at most {DEFAULT_TEXT_LIMIT} characters" in prose
    assert f"every list at most {LIST_LIMIT} entries" in prose
