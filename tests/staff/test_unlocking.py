"""Unlocking, locking and the idle timeout: keys and report text only in memory."""

from tests.staff.conftest import PASSPHRASE, report
from uglymugs.reports.index import SealedIndex
from uglymugs.staff.unlocked import IDLE_SECONDS, RELOAD_SECONDS

SECRET = "canary-7f3a the words of the report"


def test_locked_pages_send_staff_to_unlock(console):
    response = console.client.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/unlock"


def test_a_wrong_passphrase_is_told_beside_the_field_and_unlocks_nothing(console):
    response = console.post("/unlock", {"passphrase": "not it"})
    assert response.status_code == 422
    assert 'aria-describedby="passphrase-problem"' in response.text
    assert console.services.keyholder.state is None
    assert console.post("/unlock", {"passphrase": ""}).status_code == 422


def test_unlocking_decrypts_every_report_once_and_shows_them(console):
    number = console.add(report(what_happened=SECRET, town_or_area="Middlesbrough"))
    assert console.unlock().headers["location"] == "/"
    queue = console.client.get("/queue")
    assert number in queue.text and "Cleveland" in queue.text
    assert console.client.get("/queue?search=canary-7f3a").text.count(number) >= 1
    assert number not in console.client.get("/queue?search=nothing-like-it").text


def test_lock_drops_the_keys_and_reports_and_clears_site_data(console):
    console.add(report(what_happened=SECRET))
    console.unlock()
    response = console.post("/lock")
    assert response.status_code == 303 and response.headers["location"] == "/unlock"
    assert response.headers["clear-site-data"] == '"cache", "storage"'
    assert response.headers["cache-control"] == "no-store"
    assert console.services.keyholder.state is None
    page = console.client.get("/queue", follow_redirects=True)
    assert SECRET not in page.text and "passphrase" in page.text


def test_fifteen_idle_minutes_lock_the_console(console):
    console.add(report(what_happened=SECRET))
    console.unlock()
    console.clock.now += IDLE_SECONDS - 1
    assert console.client.get("/queue").status_code == 200  # a request resets the timer
    console.clock.now += IDLE_SECONDS + 1
    response = console.client.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/unlock"
    assert console.services.keyholder.state is None


def test_nothing_the_console_holds_is_written_to_disk(console):
    console.add(report(what_happened=SECRET))
    before = {p: p.stat().st_mtime for p in console.data_dir.rglob("*") if p.is_file()}
    console.unlock()
    console.client.get("/queue")
    for path in console.data_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
            assert PASSPHRASE.encode() not in path.read_bytes(), path
    written = {p for p in console.data_dir.rglob("*") if p.is_file()} - set(before)
    index = console.data_dir / "index" / "vault.sealed"  # sealed with the case key
    assert all(p.name.startswith(("state.sqlite3", "seen-")) or p == index for p in written)


def test_reports_arriving_while_unlocked_reach_the_sealed_index(console):
    first = console.add(report(what_happened=SECRET, town_or_area="Middlesbrough"))
    console.unlock()
    keyholder = console.services.keyholder
    base = keyholder.index_path.stat().st_mtime_ns
    later = console.add(report(what_happened=SECRET), received_at="2026-11-24T10:00:00Z")
    console.clock.now += RELOAD_SECONDS + 1
    console.client.get("/queue")
    index = SealedIndex(keyholder.index_path, keyholder.state.casework.keys)
    assert index.links().numbers == {first, later}
    # Only the new report and its incident were sealed, in a segment beside the index.
    assert keyholder.index_path.stat().st_mtime_ns == base and index.segments == 1
    for path in (keyholder.index_path, index.segment_path(1)):
        data = path.read_bytes()
        assert b"Middlesbrough" not in data and SECRET.encode() not in data


def test_the_index_the_console_writes_holds_the_incidents_a_full_write_works_out(console, tmp_path):
    first = console.add(report(town_or_area="Middlesbrough", categories=["threats"]))
    console.unlock()
    later = report(follows=first, town_or_area="Leeds", consent_alert="yes")
    console.add(later, received_at="2026-11-24T10:00:00Z")
    console.add(report(town_or_area="Cardiff"), received_at="2026-11-25T10:00:00Z")
    console.clock.now += RELOAD_SECONDS + 1
    console.client.get("/queue")
    keyholder = console.services.keyholder
    keys = keyholder.state.casework.keys
    written = SealedIndex(keyholder.index_path, keys).read("incidents")
    full = SealedIndex(tmp_path / "full.sealed", keys)
    full.write(keyholder.state.reports.values())  # the index groups every report itself
    assert written is not None and len(written["incidents"]) == 2
    assert written == full.read("incidents")


def test_the_timer_locks_an_idle_console_without_waiting_for_a_request(console):
    console.unlock()
    console.services.keyholder.expire()
    assert console.services.keyholder.state is not None
    console.clock.now += IDLE_SECONDS + 1
    console.services.keyholder.expire()
    assert console.services.keyholder.state is None


def test_stopping_the_console_locks_it(tmp_path, key_files):
    from tests.staff.conftest import make_console

    made = make_console(tmp_path, key_files)
    with made.client as client:
        client.get(f"/launch?token={made.tickets.launch_token}")
        made.unlock()
        assert made.services.keyholder.state is not None
    assert made.services.keyholder.state is None


def test_reports_arriving_while_unlocked_are_decrypted_on_a_later_page(console):
    from uglymugs.staff.unlocked import RELOAD_SECONDS

    console.unlock()
    number = console.add(report(what_happened="arrived later"))
    console.clock.now += RELOAD_SECONDS + 1
    assert number in console.client.get("/queue").text
    assert "list" in [entry.action for entry in console.services.audit_log.entries()]


def test_unlocking_and_locking_by_hand_or_when_idle_are_audited(console):
    console.add(report(what_happened=SECRET))
    console.unlock()
    console.post("/lock")
    console.unlock()
    console.clock.now += IDLE_SECONDS + 1
    console.services.keyholder.expire()
    console.services.keyholder.lock("again")  # already locked: nothing to record
    entries = [(e.who, e.action, e.detail) for e in console.services.audit_log.entries()]
    assert entries == [
        ("Sam", "unlock", "1 reports decrypted"),
        ("Sam", "lock", "by hand"),
        ("Sam", "unlock", "1 reports decrypted"),
        ("Sam", "lock", "idle"),
    ]
    assert all(SECRET not in str(entry) for entry in entries)


def test_what_was_opened_is_remembered_across_lock_and_restart_sealed(tmp_path, key_files):
    from tests.staff.conftest import make_console
    from uglymugs.staff.seen import seen_path

    first = make_console(tmp_path, key_files)
    first.client.get(f"/launch?token={first.tickets.launch_token}")
    opened = first.add(report(what_happened=SECRET))
    other = first.add(report(what_happened="another"))
    first.unlock()
    assert first.client.get("/queue").text.count("New since you last looked") == 2
    first.client.get(f"/incidents/{opened}")
    first.post("/lock")
    first.unlock()
    assert first.client.get("/queue").text.count("New since you last looked") == 1

    again = make_console(tmp_path, key_files)  # the console restarted, same staff member
    again.client.get(f"/launch?token={again.tickets.launch_token}")
    again.unlock()
    rows = again.client.get("/queue").text.split("<tr>")
    flagged = {
        number for number in (opened, other) for row in rows if number in row and "New since" in row
    }
    assert flagged == {other}

    alex = make_console(tmp_path, key_files, "Alex")  # another person: their own record
    alex.client.get(f"/launch?token={alex.tickets.launch_token}")
    alex.unlock()
    assert alex.client.get("/queue").text.count("New since you last looked") == 2

    stored = seen_path(first.data_dir, "Sam").read_bytes()
    assert opened.encode() not in stored and b"Sam" not in stored and SECRET.encode() not in stored
    assert seen_path(first.data_dir, "Sam").stat().st_mode & 0o077 == 0
