// Where the member area checks a signed alert bundle: in a Web Worker, so verifying and
// parsing a large bundle (25,000 alerts) never freezes the page; on the page itself
// only where a worker cannot start.
//
// The worker runs dist/sodium.js (libsodium and bundle-check.mjs), the very file the
// page would otherwise import: fetched with the SRI hash the page names for it (the
// lazy-module meta, see lazy-module.mjs) and started from those checked bytes as a
// blob: module worker (the member page's CSP allows `worker-src blob:`), so no byte
// runs that the hash did not cover. A file that fails its hash starts no worker, and
// no alert is shown from it: the fallback checks the same hash through fetchChecked.
import { fetchChecked } from "./lazy-module.mjs";

const SODIUM = "sodium.js";
let worker = null; // Promise of the Worker, or of null when none could start
let onPage = null; // Promise of sodium.js's exports on this page (the fallback)
let asked = 0;
const waiting = new Map(); // request id → resolve

// Start whichever will check bundles (a no-op once started): called when someone is
// logged in, or about to be, so libsodium compiles while the bundle downloads.
export function prepareVerifier() {
  worker ??= startWorker();
  return worker;
}

// {bundle, base64} when the request verifies; null when it does not, or when neither
// a worker nor the page could load libsodium (offline and not cached: tried again
// with the next bundle).
export async function verify(request) {
  const started = await prepareVerifier();
  if (started) {
    const answer = await ask(started, request);
    if (answer !== undefined) return answer;
  }
  return verifyOnPage(request);
}

// "worker" or "page": where the last check ran (the browser tests read it).
export let verifiedIn = null;

async function startWorker() {
  if (typeof Worker === "undefined" || typeof Blob === "undefined" || !URL.createObjectURL) {
    return null;
  }
  const meta = [...document.querySelectorAll('meta[name="lazy-module"]')].find((tag) =>
    tag.content.endsWith(`/${SODIUM}`),
  );
  if (!meta) return null;
  try {
    const response = await fetch(meta.content, { integrity: meta.dataset.integrity });
    if (!response.ok) throw new Error("not-loaded");
    const blob = new Blob([await response.arrayBuffer()], { type: "text/javascript" });
    const url = URL.createObjectURL(blob);
    const started = new Worker(url, { type: "module" });
    started.addEventListener("message", (event) => {
      const { id, result } = event.data || {};
      waiting.get(id)?.(result ?? null);
      waiting.delete(id);
    });
    // A worker that cannot run (CSP, no module workers): every pending check falls
    // back to the page, and so does every later one.
    started.addEventListener("error", () => {
      worker = Promise.resolve(null);
      for (const resolve of waiting.values()) resolve(undefined);
      waiting.clear();
      started.terminate();
      URL.revokeObjectURL(url);
    });
    return started;
  } catch {
    worker = null; // a failed download (offline) may be tried again
    return null;
  }
}

// The worker's answer, or undefined when the worker failed before answering.
function ask(started, request) {
  asked += 1;
  const id = asked;
  return new Promise((resolve) => {
    waiting.set(id, (result) => {
      if (result !== undefined) verifiedIn = "worker";
      resolve(result);
    });
    started.postMessage({ id, request });
  });
}

async function verifyOnPage(request) {
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
  const module = await onPage;
  if (!module) return null;
  verifiedIn = "page";
  try {
    return await module.checkBundle(module.default, request);
  } catch {
    return null;
  }
}
