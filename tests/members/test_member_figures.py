"""Members for funders: approved members per area and type, small numbers hidden."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.members.factories import a_member
from uglymugs.members.figures import MEMBER_TYPES, member_figures


def members(count, start=0, **changes):
    changes = {"status": "approved", **changes}
    return [
        a_member(f"member{n}", f"m{n}@example.org", **changes) for n in range(start, start + count)
    ]


def test_members_by_area_and_type_with_small_numbers_hidden():
    everyone = [
        *members(8, monitoring={"areas": "cleveland"}),
        *members(6, 10, monitoring={"areas": "durham"}),
        *members(2, 20, membership_type="project", monitoring={"areas": "cleveland durham"}),
        *members(5, 30, membership_type="site", monitoring={"areas": "prefer_not_to_say"}),
        *members(3, 40, status="pending", monitoring={"areas": "cleveland"}),
    ]
    table = member_figures(everyone, suppressed_below=5)
    rows = {row["force_area"]: row for row in table["members"]}
    assert set(rows) == {"cleveland", "durham", "unknown"}
    assert rows["cleveland"]["individual"] == 8 and rows["durham"]["individual"] == 6
    assert rows["cleveland"]["project"] is None and rows["durham"]["project"] is None
    assert rows["unknown"]["site"] == 5
    assert table["member_totals"] == {"individual": 14, "project": None, "site": 5}


areas = st.sampled_from(("cleveland", "durham", "cleveland durham", "prefer_not_to_say", ""))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MEMBER_TYPES), areas), max_size=50))
def test_no_visible_small_count(answers):
    everyone = [
        a_member(
            f"member{n}",
            f"m{n}@example.org",
            status="approved",
            membership_type=kind,
            monitoring={"areas": area} if area else {},
        )
        for n, (kind, area) in enumerate(answers)
    ]
    table = member_figures(everyone, suppressed_below=5)
    shown = [
        row[kind] for row in [*table["members"], table["member_totals"]] for kind in MEMBER_TYPES
    ]
    assert not [value for value in shown if value is not None and 0 < value < 5]
    for kind in MEMBER_TYPES:
        total = sum(1 for answer in answers if answer[0] == kind)
        assert table["member_totals"][kind] in (total if total == 0 or total >= 5 else None, None)
