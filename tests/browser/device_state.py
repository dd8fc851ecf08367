"""What the site has stored in a browser, read the way a curious person with the phone
could: IndexedDB, Cache Storage, localStorage, sessionStorage, service workers.

Playwright's ``wait_for_function`` polls by evaluating strings, which the site's CSP
forbids, so :func:`wait_until` polls from Python with ``evaluate`` instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

STORAGE = """async () => {
  const databases = indexedDB.databases ? await indexedDB.databases() : [];
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) cached.push(new URL(request.url).pathname);
  }
  return {
    databases: databases.map((d) => d.name),
    caches: await caches.keys(),
    cached,
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  };
}"""

# Every record of one IndexedDB store (without creating the database).
STORE_RECORDS = """async ([storeName]) => {
  const databases = await indexedDB.databases();
  if (!databases.some((d) => d.name === "uglymugs")) return [];
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("uglymugs");
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  try {
    const store = db.transaction(storeName).objectStore(storeName);
    return await new Promise((resolve, reject) => {
      const all = store.getAll();
      all.onsuccess = () => resolve(all.result);
      all.onerror = () => reject(all.error);
    });
  } finally {
    db.close();
  }
}"""


def storage(page) -> dict[str, Any]:
    return page.evaluate(STORAGE)


def records(page, store: str) -> list[dict]:
    return page.evaluate(STORE_RECORDS, [store])


def outbox(page) -> list[dict]:
    return records(page, "outbox")


def wait_until(check: Callable[[], Any], timeout: float = 20.0, what: str = "condition"):
    """Call ``check`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def wait_for_worker(page) -> None:
    """Until a service worker controls the page."""
    wait_until(
        lambda: page.evaluate("navigator.serviceWorker.controller !== null"),
        what="a service worker to control the page",
    )
