// libsodium, vendored from npm, as a file of its own (dist/sodium.js), with the alert
// bundle check that uses it (bundle-check.mjs).
//
// Only the pages that seal or verify something load it: the report form and the member
// area import "./sodium.js", which the build leaves as an import of this file's output
// (build.py marks it external), and each such page preloads it with its SRI hash. Every
// other page stays light, and the browser downloads libsodium once for both pages.
// The member area also starts this same file, fetched with its SRI hash, as a Web
// Worker (bundle-verifier.mjs): there it answers bundle checks off the page's thread.
import sodium from "libsodium-wrappers";
import { serveChecks } from "./bundle-check.mjs";

export default sodium;
export { checkBundle } from "./bundle-check.mjs";

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  serveChecks(sodium);
}
