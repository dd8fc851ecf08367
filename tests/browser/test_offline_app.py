"""The installable app in Chromium: offline pages, the outbox, saved alerts, clearing it all.

The built site is served with the real security headers, and the service worker built
with it runs for real. Going offline is ``context.set_offline``; the fake APIs (routes)
check the same switch, because Playwright answers a route even while the context is
offline, and a real server would not be reachable.
"""

from __future__ import annotations

import base64
import json
import shutil

import pytest
from nacl.public import SealedBox

from tests.browser.device_state import outbox, records, storage, wait_for_worker, wait_until
from tests.browser.static_server import serve_static
from tests.browser.test_member_pages import FakeMemberApi, signed_bundle
from tests.website.conftest import PASSPHRASE, build_test_site
from uglymugs.crypto.keys import unlock_bundle_key, unlock_report_keys
from uglymugs.website.offline import read_offline_list

pytestmark = pytest.mark.browser

NUMBER = "UM-7K3F-92QH-X4PM"
TYPED = {
    "what_happened": "Canary-Offline-7731 he followed me to the bus station",
    "town_or_area": "Canary-Town-Hebden-Ford",
}
SODIUM = "/theme/js/dist/sodium.js"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("offline-app"))


class Network:
    """The context's connection, and /api/reports behind it: records every POST that
    reaches it and answers 201 with the report number."""

    def __init__(self, context) -> None:
        self.context = context
        self.up = True
        self.posts: list[dict] = []
        context.route("**/api/reports", self.reports)

    def set_online(self, up: bool) -> None:
        self.up = up
        self.context.set_offline(not up)

    def reports(self, route) -> None:
        if not self.up:
            route.abort("internetdisconnected")
            return
        self.posts.append(json.loads(route.request.post_data))
        body = json.dumps({"report_number": NUMBER})
        route.fulfill(status=201, content_type="application/json", body=body)


class OfflineMemberApi(FakeMemberApi):
    up = True

    def handle(self, route) -> None:
        if not self.up:
            route.abort("internetdisconnected")
        else:
            super().handle(route)


def _opened(built_site, record: dict) -> dict:
    keys = unlock_report_keys(built_site.settings.keys_dir, PASSPHRASE)
    sealed = base64.b64decode(record["ciphertext"], validate=True)
    return json.loads(SealedBox(keys[record["key_id"]]).decrypt(sealed))


def _light_files(built_site, lang: str = "en") -> set[str]:
    """What a first visit in ``lang`` keeps: its light pages, with what they load."""
    listing = read_offline_list(built_site.output)
    pages = listing["pages"].values()
    light = [page for page in pages if page["lang"] == lang and not page["libsodium"]]
    return {url for page in light for url in page["files"]} | set(listing["common"])


def _kept(page) -> set[str]:
    return set(storage(page)["cached"])


def _fill_report(page) -> None:
    for name, value in TYPED.items():
        page.fill(f"#{name}", value)
    page.check("#categories-stalking")


# --- Offline pages ----------------------------------------------------------------------


def test_a_first_visit_keeps_the_light_pages_and_never_downloads_libsodium(
    built_site, site_url, context
):
    page = context.new_page()
    page.goto(site_url + "/")
    wait_for_worker(page)
    light = _light_files(built_site)
    assert {"/", "/contacts/", "/safety/", "/device/", "/theme/css/site.css"} <= light
    kept = wait_until(lambda: _kept(page) >= light and _kept(page), what="the light pages")
    assert SODIUM not in kept and "/report/" not in kept
    assert all(not url.startswith("/api/") for url in kept)
    (name,) = storage(page)["caches"]
    assert name == "uglymugs-" + read_offline_list(built_site.output)["version"]


def test_bytes_the_build_did_not_write_are_never_kept(built_site, context, tmp_path):
    served = tmp_path / "site"
    shutil.copytree(built_site.output, served)
    safety = served / "safety" / "index.html"
    safety.write_text(safety.read_text(encoding="utf-8").replace("safe", "5afe"), "utf-8")
    with serve_static(served) as url:
        page = context.new_page()
        page.goto(url + "/")
        wait_for_worker(page)
        light = _light_files(built_site)
        wait_until(lambda: _kept(page) >= light - {"/safety/"}, what="the other light pages")
        page.goto(url + "/safety/")  # served from the network, as it is...
        assert "5afe" in page.content()
        page.wait_for_timeout(500)
        assert "/safety/" not in _kept(page)  # ...but never kept


def test_home_contacts_safety_and_the_report_form_open_offline(built_site, site_url, context):
    network = Network(context)
    page = context.new_page()
    page.goto(site_url + "/")
    wait_for_worker(page)
    page.goto(site_url + "/report/")
    wait_until(lambda: {"/report/", SODIUM} <= _kept(page), what="the report form kept")

    network.set_online(False)
    for path, heading in [
        ("/", "Ugly Mugs: report a dangerous client, warn others"),
        ("/contacts/", "Emergency and support contacts"),
        ("/safety/", None),
        ("/report/", "Report an incident"),
    ]:
        page.goto(site_url + path)
        if heading:
            assert page.inner_text("h1") == heading
    page.locator("form[data-sealing=ready]").wait_for(state="attached")  # libsodium, from the cache
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(site_url + "/join/")  # not kept: nothing but the listed pages


# --- The outbox -------------------------------------------------------------------------


def test_a_report_made_offline_is_kept_sealed_and_sent_exactly_once(built_site, site_url, context):
    network = Network(context)
    page = context.new_page()
    other_tab = context.new_page()
    page.goto(site_url + "/report/")
    other_tab.goto(site_url + "/contacts/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")

    network.set_online(False)
    _fill_report(page)
    page.click("#report-submit")
    page.locator("#report-queued").wait_for(state="visible")
    assert "sealed and saved on this device" in page.inner_text("#report-success-title")
    page.locator("#outbox-notice p").first.wait_for()
    assert "waiting for a connection to be sent: 1" in page.inner_text("#outbox-notice")

    (record,) = outbox(page)
    assert set(record) <= {"id", "key_id", "ciphertext", "state", "queued_at", "claimed_at"}
    assert record["state"] == "queued"
    assert record["key_id"] == built_site.keys.report_key_id
    everything_stored = json.dumps(storage(page)) + json.dumps(outbox(page))
    for value in TYPED.values():
        assert value not in everything_stored
        assert value.split()[0] not in everything_stored
    # It is the report, sealed: staff can open it.
    assert _opened(built_site, record)["answers"]["what_happened"] == TYPED["what_happened"]
    assert network.posts == []
    assert page.input_value("#what_happened") == ""  # the form keeps nothing either

    network.set_online(True)  # both tabs see the connection return at once
    page.locator("#report-number").wait_for(timeout=30_000)
    assert page.inner_text("#report-number") == NUMBER
    assert "has been sent" in page.inner_text("#report-success-title")
    wait_until(lambda: outbox(page) == [], what="the outbox to empty")
    wait_until(lambda: outbox(other_tab) == [], what="the other tab to see it")
    other_tab.reload()
    page.wait_for_timeout(500)
    assert network.posts == [
        {
            "key_id": record["key_id"],
            "ciphertext": record["ciphertext"],
            "idempotency_key": record["id"],
        }
    ]
    assert NUMBER in page.inner_text("#report-copy")


def test_a_report_waiting_is_sent_from_any_page_and_its_number_shown_there(
    built_site, site_url, context
):
    network = Network(context)
    page = context.new_page()
    page.goto(site_url + "/report/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    network.set_online(False)
    _fill_report(page)
    page.click("#report-submit")
    page.locator("#report-queued").wait_for(state="visible")
    page.close()  # the reporter closes the form before there is a connection

    network.set_online(True)
    later = context.new_page()
    later.goto(site_url + "/safety/")
    later.locator("#outbox-notice .report-number").wait_for(timeout=30_000)
    assert later.inner_text("#outbox-notice .report-number") == NUMBER
    assert len(network.posts) == 1
    (receipt,) = outbox(later)
    assert set(receipt) == {"id", "state", "number", "sent_at"}  # the ciphertext is gone
    later.click("#outbox-notice button")  # "I have written it down"
    wait_until(lambda: outbox(later) == [], what="the number to be forgotten")
    wait_until(lambda: later.inner_text("#outbox-notice") == "", what="the notice to go")


def test_quick_exit_clears_the_form_and_the_copy_but_keeps_the_sealed_report(site_url, context):
    network = Network(context)
    # The weather site answers 204, so the page stays and we can look at what is left.
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.goto(site_url + "/report/")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    network.set_online(False)
    _fill_report(page)
    page.click("#report-submit")
    page.locator("#report-queued").wait_for(state="visible")
    assert TYPED["what_happened"] in page.inner_text("#report-copy")  # for print or save

    page.click("#quick-exit")
    wait_until(lambda: page.inner_html("#report-copy") == "", what="the copy to be emptied")
    assert page.input_value("#what_happened") == ""
    assert TYPED["what_happened"] not in page.content()
    (record,) = outbox(page)
    assert record["state"] == "queued"


def test_quick_exit_clears_a_form_being_written(site_url, context):
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.goto(site_url + "/report/")
    _fill_report(page)
    page.click("#quick-exit")
    wait_until(lambda: page.input_value("#what_happened") == "", what="the form to reset")
    assert page.input_value("#town_or_area") == ""
    assert not page.is_checked("#categories-stalking")


# --- Saved alerts -----------------------------------------------------------------------


def test_the_last_verified_alerts_are_read_offline_and_verified_again(
    built_site, site_url, context
):
    bundle_key = unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)
    page = context.new_page()
    api = OfflineMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    page.goto(site_url + "/members/")
    page.locator("#alert-list article").first.wait_for()
    wait_for_worker(page)
    wait_until(lambda: "/members/" in _kept(page) and SODIUM in _kept(page), what="kept")
    (saved,) = wait_until(lambda: records(page, "saved"), what="the bundle to be saved")
    # Only the bundle as the server sent it (its bytes and signature) and its scope.
    assert set(saved) == {"parts"}
    [part] = saved["parts"]
    assert part["scope"] == "all" and set(part["answer"]) == {"bundle", "signature"}

    api.up = False
    context.set_offline(True)
    page.reload()
    page.locator("#alert-list article").first.wait_for()
    assert page.locator("#alert-list article").count() == 2
    assert "You are offline" in page.inner_text("#members-offline")
    assert "2026-11-23" in page.inner_text("#members-offline")
    assert page.locator("#check-section").is_hidden()
    assert page.locator("#preferences-section").is_hidden()

    # A changed byte on the device: the warning, and no alert.
    page.evaluate(
        """async () => {
          const db = await new Promise((ok) => {
            const r = indexedDB.open("uglymugs"); r.onsuccess = () => ok(r.result); });
          const store = db.transaction("saved", "readwrite").objectStore("saved");
          const saved = await new Promise((ok) => { const r = store.get("bundle");
            r.onsuccess = () => ok(r.result); });
          const kept = saved.parts[0].answer;
          const bytes = atob(kept.bundle);
          const at = bytes.indexOf("Maidstone");
          kept.bundle = btoa(bytes.slice(0, at) + "W" + bytes.slice(at + 1));
          await new Promise((ok) => { store.put(saved, "bundle").onsuccess = ok; });
          db.close();
        }"""
    )
    page.reload()
    page.locator("#alerts-warning").wait_for(state="visible")
    assert page.locator("#alert-list article").count() == 0

    # Logging out forgets the saved alerts.
    api.up = True
    context.set_offline(False)
    page.reload()
    page.locator("#member-section").wait_for(state="visible")
    page.click("#logout")
    page.locator("#login-form").wait_for(state="visible")
    wait_until(lambda: records(page, "saved") == [], what="the saved bundle to go")


def test_a_session_the_server_has_ended_forgets_the_saved_alerts(built_site, site_url, context):
    bundle_key = unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)
    page = context.new_page()
    api = OfflineMemberApi(page, bundle=signed_bundle(built_site, bundle_key))
    page.goto(site_url + "/members/")
    wait_until(lambda: records(page, "saved"), what="the bundle to be saved")
    api.logged_in = False  # suspended, or the session expired
    page.reload()
    page.locator("#login-form").wait_for(state="visible")
    wait_until(lambda: records(page, "saved") == [], what="the saved bundle to go")


# --- Clear everything -------------------------------------------------------------------


def test_clear_everything_warns_of_unsent_reports_then_leaves_nothing(
    built_site, site_url, context
):
    network = Network(context)
    page = context.new_page()
    page.goto(site_url + "/report/")
    wait_for_worker(page)
    wait_until(lambda: "/device/" in _kept(page), what="the device page kept")
    page.locator("form[data-sealing=ready]").wait_for(state="attached")
    network.set_online(False)
    _fill_report(page)
    page.click("#report-submit")
    page.locator("#report-queued").wait_for(state="visible")

    page.goto(site_url + "/device/")  # offline: the kept copy
    page.check("#theme-dark")
    page.check("#app-name-neutral")
    page.evaluate("sessionStorage.setItem('probe', '1')")
    before = storage(page)
    assert before["databases"] == ["uglymugs"] and before["caches"] and before["workers"] == 1
    assert before["local"] == {"uglymugs-theme": "dark", "uglymugs-neutral": "1"}

    page.click("#device-clear-start")
    page.locator("#device-clear-confirm").wait_for(state="visible")
    assert "have not been sent yet: 1" in page.inner_text("#device-clear-waiting")
    assert storage(page)["databases"] == ["uglymugs"]  # nothing happens before "yes"
    page.click("#device-clear-yes")
    page.locator("#device-clear-status").filter(has_text="Done").wait_for()

    after = storage(page)
    assert after == {
        "databases": [],
        "caches": [],
        "cached": [],
        "local": {},
        "session": {},
        "workers": 0,
    }
    assert page.get_attribute("html", "data-theme") is None
    assert page.get_attribute("link[rel=manifest]", "href") == "/theme/app.webmanifest"
    network.set_online(True)  # the connection back: nothing is stored again on this page
    page.wait_for_timeout(1000)
    assert storage(page)["databases"] == [] and storage(page)["caches"] == []
    assert network.posts == []


class HeldBundleApi(OfflineMemberApi):
    """Holds the alert bundle's answer until the test lets it go."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held: list = []

    def handle(self, route) -> None:
        if route.request.url.split("?")[0].endswith("/api/alerts/bundle"):
            self.held.append(route)
            return
        super().handle(route)


def test_logging_out_while_the_alerts_arrive_keeps_and_shows_nothing(built_site, site_url, context):
    """A member logs out while the bundle is still on its way: when it arrives it is
    neither saved on the device nor shown (the page went back to the login form)."""
    bundle_key = unlock_bundle_key(built_site.settings.keys_dir, PASSPHRASE)
    page = context.new_page()
    api = HeldBundleApi(page, bundle=signed_bundle(built_site, bundle_key))
    page.goto(site_url + "/members/")
    # (page.evaluate lets Playwright deliver the request to the route handler)
    wait_until(lambda: page.evaluate("true") and api.held, what="the bundle to be asked for")
    page.click("#logout")
    page.locator("#login-form").wait_for(state="visible")
    api.held.pop().fulfill(status=200, content_type="application/json", body=json.dumps(api.bundle))
    # Verifying and keeping take well under this on the test machine (the offline
    # test above keeps the same bundle); a page that kept it would have by now.
    page.wait_for_timeout(3000)
    assert records(page, "saved") == []
    assert page.locator("#alert-list article").count() == 0
    assert page.locator("#member-section").is_hidden()
