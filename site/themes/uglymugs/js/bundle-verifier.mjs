// Where the member area checks a signed alert bundle: in a Web Worker, so verifying and
// parsing a large bundle (25,000 alerts) never freezes the page; on the page itself
// only where a worker cannot start.
//
// The worker (sodium-worker.mjs) runs dist/sodium.js started from the bytes the page's
// SRI hash covers; a file that fails its hash starts no worker, and no alert is shown
// from it: the fallback checks the same hash through fetchChecked.
import { inWorkerOrOnPage, startSodiumWorker } from "./sodium-worker.mjs";

// Start whichever will check bundles (a no-op once started): called when someone is
// logged in, or about to be, so libsodium compiles while the bundle downloads.
export function prepareVerifier() {
  return startSodiumWorker();
}

// "worker" or "page": where the last check ran (the browser tests read it).
export let verifiedIn = null;

// {bundle, base64} when the request verifies; null when it does not, or when neither
// a worker nor the page could load libsodium (offline and not cached: tried again
// with the next bundle).
export async function verify(request) {
  const { answer, where } = await inWorkerOrOnPage("check", request, (module) =>
    module.checkBundle(module.default, request),
  );
  if (where) verifiedIn = where;
  return answer;
}
