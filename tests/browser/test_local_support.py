"""The contacts page's local support projects (issue 18 item 7) in Chromium: narrowed to
the person's police force area, a choice kept on the device only, and still there with
no connection, from the service worker's copy; axe-core clean in both themes."""

from __future__ import annotations

import pytest

from tests.browser.device_state import storage, wait_for_worker, wait_until
from tests.browser.test_accessibility import AXE, _axe_problems
from tests.website.conftest import build_test_site

pytestmark = pytest.mark.browser

CANAL = "EXAMPLE ONLY - Canal Street Outreach (fictional)"  # Greater Manchester, Lancashire
NIGHT_BUS = "EXAMPLE ONLY - Night Bus Project (fictional)"  # London


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("local-support"))


def _shown(page) -> list[str]:
    return page.locator(".support-project:visible h3").all_inner_texts()


def test_the_chosen_areas_projects_show_offline(built_site, site_url, context):
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(site_url + "/")
    wait_for_worker(page)
    wait_until(lambda: "/contacts/" in storage(page)["cached"], what="the contacts page kept")

    page.goto(site_url + "/contacts/")
    assert CANAL in _shown(page) and NIGHT_BUS in _shown(page)  # every area at first
    page.select_option("#support-area", "lancashire")
    assert _shown(page) == [CANAL]
    assert page.evaluate("localStorage.getItem('uglymugs-support-area')") == "lancashire"
    assert not any("lancashire" in url for url in requests)  # the choice is never sent

    context.set_offline(True)
    page.goto(site_url + "/contacts/")
    assert page.input_value("#support-area") == "lancashire"
    assert _shown(page) == [CANAL]
    assert page.get_by_text("07700 900101").is_visible()
    page.select_option("#support-area", "metropolitan")
    assert _shown(page) == [NIGHT_BUS]
    page.select_option("#support-area", "kent")  # nothing listed there yet
    assert _shown(page) == []
    assert page.locator("#support-none").is_visible()
    page.select_option("#support-area", "")
    assert len(_shown(page)) >= 4 and not page.locator("#support-none").is_visible()


def test_in_another_language_the_directory_is_translated_offline(site_url, context):
    page = context.new_page()
    page.goto(site_url + "/pl/contacts/")
    wait_for_worker(page)
    wait_until(lambda: "/pl/contacts/" in storage(page)["cached"], what="the Polish page kept")
    context.set_offline(True)
    page.goto(site_url + "/pl/contacts/")
    page.select_option("#support-area", "greater-manchester")
    assert _shown(page) == [CANAL]
    text = page.locator(".support-project:visible").inner_text()
    assert "Godziny otwarcia" in text and "Poniedziałek" in text and "Zdrowie seksualne" in text
    label = page.locator("#support-area option:checked").inner_text()
    assert label.startswith("Wielki Manchester")


def test_the_directory_passes_axe_in_both_themes(site_url, page):
    page.route("**/__axe.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.goto(site_url + "/contacts/")
    page.select_option("#support-area", "kent")  # the "nothing here yet" notice showing
    page.add_script_tag(url="/__axe.js")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert _axe_problems(page) == [], scheme
    page.select_option("#support-area", "west-yorkshire")
    assert _axe_problems(page) == []
