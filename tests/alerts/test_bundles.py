"""Bundles: which alerts go in, in what order, and the same input gives the same bytes."""

import base64
import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.alerts.bundle_records import record, some_records
from uglymugs.alerts.bundles import (
    BUNDLE_FORMAT,
    AlertRecord,
    BundleError,
    build_bundles,
    content_digest,
)
from uglymugs.alerts.canonical import is_canonical

NOW = datetime(2026, 11, 23, 10, 30, 15, 999, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def build(records, **overrides):
    arguments = {"sequence": 7, "generated_at": NOW, "today": TODAY} | overrides
    return build_bundles(records, **arguments)


def load(files, name):
    return json.loads(files[name])


def pages(stem):
    """A bundle's printable page in each of the site's languages."""
    return [f"{stem}.html", *(f"{stem}.{code}.html" for code in ("pl", "pt-br", "ro", "zh-hans"))]


def test_one_bundle_and_page_for_all_and_each_region_with_a_current_alert():
    files = build(some_records())
    stems = ("alerts-all", "alerts-region-merseyside", "alerts-region-west-yorkshire")
    assert sorted(files) == sorted(
        [*(f"{stem}.json" for stem in stems), *(page for stem in stems for page in pages(stem))]
    )
    bundle = load(files, "alerts-all.json")
    assert bundle["format"] == BUNDLE_FORMAT
    assert bundle["scope"] == "all"
    assert bundle["sequence"] == 7
    assert bundle["generated_at"] == "2026-11-23T10:30:15Z"
    assert [alert["number"] for alert in bundle["alerts"]] == [
        "2026-0001",
        "2026-0002",
        "2026-0003",
    ]
    regional = load(files, "alerts-region-west-yorkshire.json")
    assert regional["scope"] == "region:west-yorkshire"
    assert [alert["number"] for alert in regional["alerts"]] == ["2026-0001", "2026-0002"]


def test_bundles_are_canonical_json():
    for name, data in build(some_records()).items():
        if name.endswith(".json"):
            assert is_canonical(data), name


def test_withdrawn_alerts_are_in_no_bundle():
    files = build(some_records())
    assert all(b"2026-0004" not in data for data in files.values())


def test_expired_alerts_leave_the_day_after_they_expire():
    records = [
        record("2026-0001", expires=TODAY),
        record("2026-0002", expires=TODAY - timedelta(days=1)),
        record("2026-0003", expires=TODAY + timedelta(days=30)),
    ]
    numbers = [alert["number"] for alert in load(build(records), "alerts-all.json")["alerts"]]
    assert numbers == ["2026-0001", "2026-0003"]
    tomorrow = build(records, today=TODAY + timedelta(days=1))
    assert [a["number"] for a in load(tomorrow, "alerts-all.json")["alerts"]] == ["2026-0003"]


def test_expiry_defaults_to_the_utc_date_of_generated_at():
    records = [record("2026-0001", expires=TODAY - timedelta(days=1))]
    files = build_bundles(records, sequence=1, generated_at=NOW)
    assert load(files, "alerts-all.json")["alerts"] == []


def test_no_current_alerts_still_gives_an_empty_all_bundle():
    files = build([record("2026-0004", status="withdrawn")])
    assert sorted(files) == sorted(["alerts-all.json", *pages("alerts-all")])
    assert load(files, "alerts-all.json")["alerts"] == []
    assert b"No current alerts." in files["alerts-all.html"]


def test_same_input_gives_byte_identical_bundles():
    first = build(some_records())
    shuffled = list(reversed(some_records()))
    # the same records with their fields in another order
    shuffled = [
        AlertRecord(
            r.number, r.status, r.region, r.expires, r.digest, dict(reversed(r.data.items()))
        )
        for r in shuffled
    ]
    second = build(shuffled)
    assert first == second


def test_timestamps_are_utc_to_the_second_whatever_the_zone():
    elsewhere = NOW.astimezone(timezone(timedelta(hours=-5)))
    assert build(some_records()) == build(some_records(), generated_at=elsewhere)
    with pytest.raises(BundleError, match="timezone-aware"):
        build(some_records(), generated_at=NOW.replace(tzinfo=None))


def test_every_alert_carries_number_status_region_and_expires():
    bare = AlertRecord("2026-0009", "corrected", "kent", date(2027, 1, 1), "d", {"text": "x"})
    (alert,) = load(build([bare]), "alerts-all.json")["alerts"]
    assert alert == {
        "number": "2026-0009",
        "status": "corrected",
        "region": "kent",
        "expires": "2027-01-01",
        "text": "x",
    }


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([record("2026-0001"), record("2026-0001")], "appears twice"),
        ([record("2026-0001", region="../etc")], "unsafe"),
        ([record("2026-0001", region="Kent")], "unsafe"),
        ([record("2026-0001", status="draft")], "unknown status"),
        (
            [AlertRecord("2026-0001", "published", "kent", None, "d", {"number": "2026-0002"})],
            "names number",
        ),
    ],
)
def test_records_that_cannot_be_bundled_are_refused(records, message):
    with pytest.raises(BundleError, match=message):
        build(records)


def test_floats_in_a_record_are_refused():
    with pytest.raises(ValueError, match="float"):
        build([record("2026-0001", height_m=1.8)])


@pytest.mark.parametrize("sequence", [0, -1, True, "1"])
def test_sequence_must_be_a_positive_integer(sequence):
    with pytest.raises(BundleError, match="sequence"):
        build(some_records(), sequence=sequence)


def test_content_digest_ignores_sequence_and_time_but_not_content():
    records = some_records()
    digest = content_digest(records, today=TODAY)
    assert digest == content_digest(list(reversed(records)), today=TODAY)
    changed = [*records[:-1], record("2026-0004", status="published")]
    assert content_digest(changed, today=TODAY) != digest
    assert content_digest(records, today=TODAY, region_names={"merseyside": "M"}) != digest
    # a withdrawn alert's record is in no bundle: changing it changes nothing published
    edited = [*records[:-1], record("2026-0004", status="withdrawn", text="other")]
    assert content_digest(edited, today=TODAY) == digest


# The printable pages.

HOSTILE = "<script>alert(\"x\")</script><img src=https://evil.example/t.gif onerror=x> & 'q'"


def test_printable_page_escapes_every_alert_field():
    hostile = record(
        "2026-0001",
        text=HOSTILE + "\n\nSecond paragraph <b>bold</b>",
        area="<u>area</u>",
        correction="<i>fixed</i>",
        incident={"date": "2026-11-20", "time": "<s>late</s>"},
        categories=["<em>odd</em>"],
        offender={"<i>sex</i>": "<u>male</u>", "hair": "<q>dark</q>", "sex": "<kbd>x"},
        vehicle={"make": "<marquee>Ford</marquee>", "colour": "<blink>red"},
        identifiers={"usernames": ["<tt>user"]},
        translations={"pl": {"what_happened": "<var>pl</var>", "area": "<abbr>pl"}},
        **{"<h1>field": "<h1>value"},
    )
    files = build([hostile])
    for name in ("alerts-all.html", "alerts-all.pl.html"):
        page = files[name].decode()
        tags = ("<script", "<img", "<b>", "<i>", "<u>", "<marquee", "<blink", "<h1>field")
        for tag in (*tags, "<s>", "<em>", "<q>", "<kbd>", "<tt>", "<var>", "<abbr>"):
            assert tag not in page, (name, tag)
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "&amp; &#39;q&#39;" in page
    english = files["alerts-all.html"].decode()
    assert '<p lang="en">Second paragraph &lt;b&gt;bold&lt;/b&gt;</p>' in english
    for shown in ("&lt;u&gt;area", "&lt;i&gt;fixed", "&lt;q&gt;dark", "&lt;blink&gt;red"):
        assert shown in english
    assert "&lt;var&gt;pl&lt;/var&gt;" in files["alerts-all.pl.html"].decode()


def test_printable_page_is_self_contained_with_no_script_and_no_external_resource():
    page = build(some_records(), region_names={"merseyside": "Merseyside"})[
        "alerts-all.html"
    ].decode()
    assert "<script" not in page
    assert not re.search(r"\b(src|href|action|srcset)=", page)
    assert "url(" not in page and "@import" not in page and "//" not in page.split("<body>")[0]
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    expected = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert csp == f"default-src 'none'; style-src 'sha256-{expected}'"


def test_printable_page_shows_region_names_and_marks_corrections():
    files = build(some_records(), region_names={"west-yorkshire": "West Yorkshire"})
    page = files["alerts-region-west-yorkshire.html"].decode()
    assert "<title>Ugly Mugs alerts: West Yorkshire</title>" in page
    assert page.count('<section class="alert') == 2


def test_the_format_document_names_every_format_and_file():
    from uglymugs.alerts.changes import CHANGES_FORMAT
    from uglymugs.alerts.manifest import MANIFEST_FORMAT
    from uglymugs.alerts.publish import KEEP_SEQUENCES, VERSIONS_NAME
    from uglymugs.config import repository_root

    document = (repository_root() / "docs" / "bundles.md").read_text(encoding="utf-8")
    for name in (BUNDLE_FORMAT, MANIFEST_FORMAT, CHANGES_FORMAT, VERSIONS_NAME, "manifest.json"):
        assert name in document
    assert KEEP_SEQUENCES == 3 and "the two before it stay on the shelf" in document


def test_region_bundles_carry_corrections_and_lose_withdrawn_alerts():
    # A member who chose regions reads only their regions' bundles (member-area.mjs):
    # each must say what the bundle of every alert says about its alerts, no less.
    records = [
        record("2026-0001", region="kent", status="corrected", correction="Time was 22:00."),
        record("2026-0002", region="kent", status="withdrawn"),
        record("2026-0003", region="merseyside", status="withdrawn"),
    ]
    files = build(records)
    everything = {alert["number"]: alert for alert in load(files, "alerts-all.json")["alerts"]}
    kent = load(files, "alerts-region-kent.json")
    assert kent["sequence"] == 7 and kent["generated_at"] == "2026-11-23T10:30:15Z"
    assert kent["alerts"] == [everything["2026-0001"]]
    assert kent["alerts"][0]["correction"] == "Time was 22:00."
    # A region whose last alert was withdrawn has no alert in its bundle.
    assert "alerts-region-merseyside.json" not in files  # no region named: none at all
    named = build(records, region_names={"kent": "Kent", "merseyside": "Merseyside"})
    merseyside = load(named, "alerts-region-merseyside.json")
    assert merseyside["alerts"] == [] and merseyside["scope"] == "region:merseyside"
    assert merseyside["sequence"] == 7
    assert load(named, "alerts-region-kent.json") == kent


def test_every_named_region_without_alerts_gets_an_empty_bundle_and_no_page():
    # So a member whose regions are quiet gets a signed "none" (200), not a 404.
    files = build([record("2026-0001", region="kent")], region_names={"kent": "K", "dorset": "D"})
    assert load(files, "alerts-region-dorset.json")["alerts"] == []
    assert not any(
        name.startswith("alerts-region-dorset.") and name.endswith(".html") for name in files
    )
    assert all(name in files for name in pages("alerts-region-kent"))
    with pytest.raises(BundleError):
        build([], region_names={"../etc": "nowhere"})
