// libsodium, vendored from npm, as a file of its own (dist/sodium.js), with what uses
// it: the alert bundle check (bundle-check.mjs) and the report's sealing
// (report-seal.mjs).
//
// Only the pages that seal or verify something load it: the report form and the member
// area import "./sodium.js", which the build leaves as an import of this file's output
// (build.py marks it external), and each such page preloads it with its SRI hash. Every
// other page stays light, and the browser downloads libsodium once for both pages.
// The member area and the report form also start this same file, fetched with its SRI
// hash, as a Web Worker (sodium-worker.mjs): there it answers off the page's thread.
import sodium from "libsodium-wrappers";
import { checkBundle } from "./bundle-check.mjs";
import { sealReport } from "./report-seal.mjs";

export default sodium;
export { checkBundle, sealReport };

// What the worker answers, by the request's kind; "ready" only waits for libsodium.
const ANSWERS = { check: checkBundle, seal: sealReport, ready: () => true };

// Run as a worker: answer each {id, kind, request} with {id, result}, result null for
// anything refused or broken.
if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.addEventListener("message", async (event) => {
    const { id, kind, request } = event.data || {};
    let result = null;
    try {
      await sodium.ready;
      result = await ANSWERS[kind](sodium, request);
    } catch {
      result = null;
    }
    self.postMessage({ id, result });
  });
}
