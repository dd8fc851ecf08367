// libsodium off the page's thread: the member area verifies alert bundles
// (bundle-verifier.mjs) and the report form seals reports (report-sealer.mjs) in a
// Web Worker, so neither compiling libsodium nor running it freezes the page; on the
// page itself only where a worker cannot start.
//
// The worker runs dist/sodium.js (libsodium, bundle-check.mjs and report-seal.mjs),
// the very file the page would otherwise import: fetched with the SRI hash the page
// names for it (the lazy-module meta, see lazy-module.mjs) and started from those
// checked bytes as a blob: module worker (the libsodium pages' CSP allows
// `worker-src blob:`), so no byte runs that the hash did not cover. A file that fails
// its hash starts no worker: the fallback checks the same hash through fetchChecked.
import { fetchChecked } from "./lazy-module.mjs";

const SODIUM = "sodium.js";
let bytes = null; // Promise of sodium.js's checked bytes as a Blob
let worker = null; // Promise of the Worker, or of null when none could start
let onPage = null; // Promise of sodium.js's exports on this page (the fallback)
let asked = 0;
const waiting = new Map(); // request id → resolve

export function workersAvailable() {
  return typeof Worker !== "undefined" && typeof Blob !== "undefined" && Boolean(URL.createObjectURL);
}

// Download sodium.js, checked against its hash, without running it: a page opened
// online keeps the bytes and can start the worker later with no connection. Rejects
// when the download fails (offline): it is tried again at the next call.
export function fetchSodium() {
  bytes ??= download().catch((error) => {
    bytes = null;
    throw error;
  });
  return bytes;
}

async function download() {
  const meta = [...document.querySelectorAll('meta[name="lazy-module"]')].find((tag) =>
    tag.content.endsWith(`/${SODIUM}`),
  );
  if (!meta) throw new Error(`not-on-this-page:${SODIUM}`);
  const response = await fetch(meta.content, { integrity: meta.dataset.integrity });
  if (!response.ok) throw new Error(`not-loaded:${SODIUM}`);
  return new Blob([await response.arrayBuffer()], { type: "text/javascript" });
}

// Start the worker (a no-op once started), so libsodium compiles there before it is
// needed. Resolves with the Worker, or null where none can run.
export function startSodiumWorker() {
  worker ??= start();
  return worker;
}

async function start() {
  if (!workersAvailable()) return null;
  let url;
  try {
    url = URL.createObjectURL(await fetchSodium());
  } catch {
    worker = null; // a failed download (offline) may be tried again
    return null;
  }
  const started = new Worker(url, { type: "module" });
  started.addEventListener("message", (event) => {
    const { id, result } = event.data || {};
    waiting.get(id)?.(result ?? null);
    waiting.delete(id);
  });
  // A worker that cannot run (CSP, no module workers): every pending request falls
  // back to the page, and so does every later one.
  started.addEventListener("error", () => {
    worker = Promise.resolve(null);
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
    started.terminate();
    URL.revokeObjectURL(url);
  });
  return started;
}

// The worker's answer to `request` of `kind` (what sodium.mjs answers: "check",
// "seal", "ready"), null for anything it refused; undefined when there is no worker,
// or it failed before answering (then ask the page: onThisPage).
export async function inWorker(kind, request) {
  const started = await startSodiumWorker();
  if (!started) return undefined;
  asked += 1;
  const id = asked;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    started.postMessage({ id, kind, request });
  });
}

// {answer, where}: the worker's answer to `request` of `kind`, or else what
// `onPage(module)` gives with sodium.js's exports on this page (null if it throws);
// `where` is "worker" or "page", or null (answer null) when libsodium could not load.
export async function inWorkerOrOnPage(kind, request, onPage) {
  const answer = await inWorker(kind, request);
  if (answer !== undefined) return { answer, where: "worker" };
  const module = await onThisPage();
  if (!module) return { answer: null, where: null };
  try {
    return { answer: await onPage(module), where: "page" };
  } catch {
    return { answer: null, where: "page" };
  }
}

// sodium.js's exports run on this page, libsodium ready; null when it cannot load
// (offline and not fetched before: tried again at the next call).
export function onThisPage() {
  onPage ??= fetchChecked(SODIUM)
    .then(() => import("./sodium.js"))
    .then(async (module) => {
      await module.default.ready;
      return module;
    })
    .catch(() => {
      onPage = null;
      return null;
    });
  return onPage;
}
