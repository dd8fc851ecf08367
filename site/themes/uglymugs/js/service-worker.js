// The service worker: keeps the site's public pages on this device, so that emergency
// numbers, safety advice, the report form and the member area open without a connection.
//
// Not bundled: the build writes it to /sw.js under the offline list it made,
//   const OFFLINE = {version, default_lang, files: {url: "sha384-<first 22 characters>"},
//                    common: [url, …],  (what every page loads: styles, scripts, icons)
//                    pages: {url: {lang, libsodium, files: [url, …]}}};
// (uglymugs.website.offline). It keeps only files on that list, and only when their
// bytes match the hash the build recorded (its first 132 bits: enough to tell one
// build's bytes from another's, and half the list's weight on every first visit). Anything else, every /api/ request above
// all, goes to the network as if there were no worker, and is never stored: no answer
// with anyone's data, nothing anyone typed.
"use strict";

const PREFIX = "uglymugs-";
const CACHE = PREFIX + OFFLINE.version;
let forgotten = false; // "clear everything" was asked for: store nothing more

self.addEventListener("install", (event) => {
  event.waitUntil(carryOver().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") {
    forgotten = true;
  } else if (data.type === "keep") {
    event.waitUntil(keep(wanted(data)).catch(() => {}));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.search) return;
  const integrity = OFFLINE.files[url.pathname];
  if (!integrity) return; // not on the list: the network, untouched
  // A page from a newer build asks for newer bytes than this worker's: the network.
  if (request.integrity && !request.integrity.startsWith(integrity)) return;
  event.respondWith(kept(url.pathname, request));
});

// The page a visitor is on, and the light pages of their language; with `full` (the
// installed app), the pages that bring libsodium too.
function wanted({ page, lang, full }) {
  const pages = OFFLINE.pages;
  const language = Object.values(pages).some((p) => p.lang === lang) ? lang : OFFLINE.default_lang;
  const urls = new Set([...OFFLINE.common, ...(pages[page] ? pages[page].files : [])]);
  for (const entry of Object.values(pages)) {
    if (entry.lang === language && (full || !entry.libsodium)) {
      for (const url of entry.files) urls.add(url);
    }
  }
  return [...urls];
}

async function kept(url, request) {
  const hit = await caches.match(url, { cacheName: CACHE, ignoreVary: true });
  if (hit) return hit;
  try {
    return await store(url);
  } catch {
    return fetch(request);
  }
}

// Fetch a listed file, checked against its hash, and keep it.
async function store(url) {
  const response = await fetch(url, { cache: "no-cache", redirect: "error" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const digest = await crypto.subtle.digest("SHA-384", await response.clone().arrayBuffer());
  const integrity = "sha384-" + btoa(String.fromCharCode(...new Uint8Array(digest)));
  if (!integrity.startsWith(OFFLINE.files[url])) throw new Error(`${url}: not this build's`);
  if (!forgotten) {
    const cache = await caches.open(CACHE);
    await cache.put(url, response.clone());
  }
  return response;
}

async function keep(urls) {
  await Promise.all(
    urls.map(async (url) => {
      if (!(await caches.match(url, { cacheName: CACHE, ignoreVary: true }))) await store(url);
    }),
  );
}

// A new version keeps what the old one had, fetched again at the new build's bytes.
async function carryOver() {
  const had = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) had.add(new URL(request.url).pathname);
  }
  await keep([...had].filter((url) => url in OFFLINE.files));
}
