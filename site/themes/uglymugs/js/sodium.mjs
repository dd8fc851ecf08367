// libsodium, vendored from npm, as a file of its own (dist/sodium.js).
//
// Only the pages that seal or verify something load it: the report form and the member
// area import "./sodium.js", which the build leaves as an import of this file's output
// (build.py marks it external), and each such page preloads it with its SRI hash. Every
// other page stays light, and the browser downloads libsodium once for both pages.
export { default } from "libsodium-wrappers";
