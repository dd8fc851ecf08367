"""The member pages as built: keys, forms that never post by themselves, labels, links."""

from __future__ import annotations

import base64
import json

from tests.website.html import parse
from uglymugs.website import member_forms

MEMBER_FORM_PAGES = {
    "members/join/index.html": ("join-form",),
    "members/set-password/index.html": ("password-form",),
    "members/index.html": (
        "login-form",
        "forgot-form",
        "check-form",
        "alert-filters",
        "preferences-form",
    ),
}


def test_the_member_area_carries_the_bundle_verify_key(built_site):
    app = parse(built_site.page("members/index.html")).by_id("members-app")
    assert app.get("data-bundle-key-id") == built_site.keys.bundle_key_id
    verify_key = base64.b64decode(app.get("data-bundle-verify-key"), validate=True)
    assert verify_key == built_site.keys.bundle_verify_key
    assert app.get("data-api") == "/api"
    labels = json.loads(app.get("data-labels"))
    assert labels["values"]["region"]["greater-manchester"] == "Greater Manchester"
    assert labels["values"]["risk"] == {
        "high": "High risk",
        "medium": "Medium risk",
        "low": "Low risk",
    }


def test_member_forms_never_post_by_themselves_and_label_every_input(built_site):
    for page, form_ids in MEMBER_FORM_PAGES.items():
        document = parse(built_site.page(page))
        for form_id in form_ids:
            form = document.by_id(form_id)
            assert "action" not in form.attrs and "method" not in form.attrs, (page, form_id)
        for tag in document.tags:
            if tag.name in ("input", "select", "textarea") and tag.get("type") != "hidden":
                assert document.find("label", for_=tag.get("id")), (page, tag.get("id"))
        for summary in document.find("div", class_="error-summary"):
            assert summary.get("role") == "alert", page


def test_the_join_form_offers_every_membership_type_and_prefer_not_to_say(built_site):
    document = parse(built_site.page("members/join/index.html"))
    for option in member_forms.MEMBERSHIP_TYPES:
        assert document.by_id(f"membership_type-{option.value}").get("name") == "membership_type"
    for name in ("work", "gender", "service_users", "areas"):
        assert document.by_id(f"{name}-prefer_not_to_say"), name
    assert document.by_id("areas-cleveland").get("name") == "areas"
    links = [t.get("href") for t in document.find("a")]
    assert "/members/terms/" in links


def test_the_join_page_links_to_the_form_and_the_member_area(built_site):
    links = [t.get("href") for t in parse(built_site.page("join/index.html")).find("a")]
    assert {"/members/join/", "/members/", "/members/terms/"} <= set(links)
