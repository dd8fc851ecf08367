// Where the report form seals a report: in a Web Worker running libsodium
// (sodium-worker.mjs), so that compiling and running it never freezes the form; on the
// page itself only where a worker cannot start. The sealing is the same either way
// (report-seal.mjs).
//
// libsodium is downloaded (checked against its hash) once the page has loaded, so a
// form opened online can seal offline: with workers, as bytes kept for starting the
// worker; without, into the page's module map (lazy-module.mjs). It is started at the
// first touch of the form, or when the browser is idle a few seconds later.
import { fetchChecked } from "./lazy-module.mjs";
import {
  fetchSodium,
  inWorker,
  inWorkerOrOnPage,
  onThisPage,
  startSodiumWorker,
  workersAvailable,
} from "./sodium-worker.mjs";

// "worker" or "page": where the last report was sealed (the tests and
// benchmarks/report_seal.py read it).
export let sealedIn = null;

// Resolves once libsodium is on this device, ready to be started with no connection.
export function fetchSealer() {
  return workersAvailable() ? fetchSodium() : fetchChecked("sodium.js");
}

// Start libsodium where it will seal: in the worker (its compile off the page's
// thread), or on the page when no worker can run.
export async function prepareSealer() {
  await startSodiumWorker();
  const ready = await inWorker("ready", null);
  if (ready === undefined) await onThisPage();
}

// {fingerprint, body} (body null when the plaintext's fingerprint is `unless`), or
// {noKey: true} when the page's key is not a key (see report-seal.mjs); null when
// libsodium could not be loaded at all (offline before it was ever fetched).
export async function seal(request) {
  const { answer, where } = await inWorkerOrOnPage("seal", request, (module) =>
    module.sealReport(module.default, request),
  );
  if (where) sealedIn = where;
  return answer;
}
