"""What members read: subjects and SMS without graphic detail, corrections, withdrawals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.notify.scenario import GRAPHIC, NOW, SITE_URL, VERIFY_KEYS, alert, publish
from uglymugs.messaging.sms import sms_segments
from uglymugs.notify.composing import compose_email, compose_sms
from uglymugs.notify.publications import AlertChange, PublicationFeed

# Category labels that describe the violence: never on a lock screen.
GRAPHIC_WORDS = ("rape", "sexual", "violence", "robbery", "held", "phones")


@pytest.fixture
def changes(local_bundle_shelf) -> dict[str, AlertChange]:
    publish(local_bundle_shelf, [alert("2026-0008"), alert("2026-0009", risk="low")])
    publish(
        local_bundle_shelf,
        [
            alert(
                "2026-0008",
                status="corrected",
                correction="The car was blue, not black.",
                vehicle={"colour": "blue", "make": "Ford"},
            ),
            alert("2026-0009", status="withdrawn", withdrawn_reason="It was a mistake."),
        ],
        now=NOW + timedelta(hours=1),
    )
    first, second = PublicationFeed(local_bundle_shelf, VERIFY_KEYS).chain()
    found = {f"new {c.number}": c for c in first.changes}
    found |= {f"{c.kind} {c.number}": c for c in second.changes}
    return found


def test_a_new_alert_by_email_has_a_plain_subject_and_the_whole_alert(changes):
    email = compose_email(changes["new 2026-0008"], "Northumbria", SITE_URL)
    assert email.subject == "Ugly Mugs alert 2026-0008: Northumbria, high risk"
    assert not any(word in email.subject.lower() for word in GRAPHIC_WORDS)
    assert GRAPHIC in email.text and GRAPHIC in email.html
    assert "+447700900123" in email.text
    assert f"{SITE_URL}/members/#preferences-section" in email.text
    assert f'href="{SITE_URL}/members/#preferences-section"' in email.html


def test_the_html_email_escapes_what_staff_wrote(changes):
    change = changes["new 2026-0008"]
    hostile = AlertChange(
        change.kind,
        change.number,
        change.version,
        change.region,
        change.risk,
        {**change.record, "what_happened": "<script>alert(1)</script> & more"},
    )
    html = compose_email(hostile, "Northumbria", SITE_URL).html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_correction_says_what_changed(changes):
    email = compose_email(changes["corrected 2026-0008"], "Northumbria", SITE_URL)
    assert email.subject == "Correction to Ugly Mugs alert 2026-0008: Northumbria"
    assert "What changed: The car was blue, not black." in email.text
    assert "Parts that changed:" in email.text and "vehicle" in email.text
    sms = compose_sms(changes["corrected 2026-0008"], "Northumbria", SITE_URL, discreet=False)
    assert (
        sms
        == f"Ugly Mugs: alert 2026-0008 (Northumbria) is corrected. Read it: {SITE_URL}/members/"
    )


def test_a_withdrawal_is_short_and_carries_nothing_of_the_alert(changes):
    change = changes["withdrawn 2026-0009"]
    email = compose_email(change, "Northumbria", SITE_URL)
    assert email.subject == "Ugly Mugs alert 2026-0009 is withdrawn"
    assert "please disregard it" in email.text and "It was a mistake." in email.text
    assert GRAPHIC not in email.text and "+447700900123" not in email.text
    sms = compose_sms(change, "Northumbria", SITE_URL, discreet=False)
    assert sms == "Ugly Mugs: alert 2026-0009 (Northumbria) is withdrawn. Please disregard it."


def test_an_sms_names_number_region_risk_and_link_in_at_most_two_segments(changes):
    sms = compose_sms(changes["new 2026-0008"], "Northumbria", SITE_URL, discreet=False)
    assert sms == f"Ugly Mugs alert 2026-0008: high risk, Northumbria. Read it: {SITE_URL}/members/"
    assert sms_segments(sms) <= 2
    long_region = "A police force area with a very long name " * 8
    sms = compose_sms(changes["new 2026-0008"], long_region, SITE_URL, discreet=False)
    assert sms_segments(sms) <= 2 and "northumbria" in sms


def test_discreet_sms_says_only_that_there_is_an_alert(changes):
    assert (
        compose_sms(changes["new 2026-0008"], "Northumbria", SITE_URL, discreet=True)
        == "New safety alert — log in to read"
    )
    for key in ("corrected 2026-0008", "withdrawn 2026-0009"):
        assert (
            compose_sms(changes[key], "Northumbria", SITE_URL, discreet=True)
            == "Safety alert update — log in to read"
        )


def test_an_email_reads_like_an_alert_with_the_description_on_one_line(changes):
    email = compose_email(changes["corrected 2026-0008"], "Northumbria", SITE_URL)
    text = email.text
    assert "Description: Male; aged 40s\n" in text  # "heavy" is no build the form offers
    assert "Vehicle: blue Ford\n" in text
    order = ("What changed:", "What: Violence, Robbery", GRAPHIC, "Description:", "Phone:")
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions), positions
    assert "Male; aged 40s" in email.html and "offender" not in text.lower()


@pytest.mark.parametrize("language", ["en", "ro", "pt-br", "pl", "zh-hans"])
def test_an_email_names_place_kinds_and_contact_as_every_view_of_the_alert_does(
    local_bundle_shelf, language
):
    from uglymugs.alerts.reading import read
    from uglymugs.languages import BY_CODE
    from uglymugs.messaging.messages import translations_for

    publish(local_bundle_shelf, [alert("2026-0010", contact_method=["online_ad", "phone"])])
    [publication] = PublicationFeed(local_bundle_shelf, VERIFY_KEYS).chain()
    [change] = publication.changes
    gettext = translations_for(language).gettext
    names = {change.region: "Northumbria"}
    reading = read(change.record, gettext, region_names=names, language=BY_CODE[language].tag)
    assert reading.kinds and ", " in reading.contact and reading.where.endswith("Northumbria")
    text = compose_email(change, "Northumbria", SITE_URL, language).text
    assert f"{gettext('Where')}: {reading.where}\n" in text
    assert f"{gettext('What')}: {reading.kinds}\n" in text
    assert f"{gettext('Contact')}: {reading.contact}\n" in text
