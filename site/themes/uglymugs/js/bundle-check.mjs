// The check of a signed alert bundle, the same wherever it runs: in a Web Worker (so
// verifying 25,000 alerts never freezes the page; sodium.mjs answers there) or, where
// workers are unavailable, on the page itself (bundle-verifier.mjs chooses). Exactly as
// uglymugs.alerts.signing checks it: the key id is the page's, the SHA-256 of the
// bundle bytes is the one signed, and the signature over those bytes verifies with
// the bundle key built into the page. Anything else is refused (null).
const BUNDLE_FORMAT = "uglymugs.alerts/1";
const SIGNATURE_BYTES = 64;
const VERIFY_KEY_BYTES = 32;
const GENERATED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// {bundle, base64} when `bytes` (a Uint8Array, or the base64 the API or the saved copy
// holds) verify with `signature` under the page's key; else null. `base64` is the
// verified bytes as base64, what saved-bundle.mjs keeps.
export async function checkBundle(sodium, { bytes, base64, signature, keyId, verifyKey }) {
  const original = sodium.base64_variants.ORIGINAL;
  const data = bytes || sodium.from_base64(base64, original);
  const bundle = await verifiedBundle(sodium, data, signature, keyId, verifyKey);
  if (!bundle) return null;
  return { bundle, base64: base64 || sodium.to_base64(data, original) };
}

async function verifiedBundle(sodium, bytes, signature, keyId, verifyKeyText) {
  if (!keyId || !verifyKeyText) return null;
  if (
    !signature ||
    typeof signature !== "object" ||
    !["key_id", "signature", "signed"].every((name) => typeof signature[name] === "string")
  ) {
    return null;
  }
  if (signature.key_id !== keyId) return null;
  const original = sodium.base64_variants.ORIGINAL;
  const verifyKey = sodium.from_base64(verifyKeyText, original);
  if (verifyKey.length !== VERIFY_KEY_BYTES) return null;
  // SHA-256 comes from Web Crypto (libsodium-wrappers has no SHA-256 outside "sumo").
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  if (sodium.to_hex(digest) !== signature.signed) return null;
  const raw = sodium.from_base64(signature.signature, original);
  // Only the one canonical spelling: no changed padding bit can pass.
  if (raw.length !== SIGNATURE_BYTES || sodium.to_base64(raw, original) !== signature.signature) {
    return null;
  }
  if (!sodium.crypto_sign_verify_detached(raw, bytes, verifyKey)) return null;
  const bundle = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  const wellFormed =
    bundle &&
    bundle.format === BUNDLE_FORMAT &&
    Number.isSafeInteger(bundle.sequence) &&
    typeof bundle.generated_at === "string" &&
    GENERATED_AT.test(bundle.generated_at) &&
    Array.isArray(bundle.alerts) &&
    bundle.alerts.every((alert) => alert && typeof alert === "object" && !Array.isArray(alert));
  if (!wellFormed) return null;
  bundle.alerts = newestFirst(bundle.alerts);
  return bundle;
}

// The alerts newest first (by issue date, then number), the order the member area
// lists them in: sorted here, in the worker, so that the page can show the first
// screen of 25,000 alerts as soon as they arrive without sorting them itself. Plain
// (code unit) order, which for these ASCII keys is the same as localeCompare and many
// times faster.
export function newestFirst(alerts) {
  const keyOf = (alert) => `${String(alert.issued || "")} ${String(alert.number || "")}`;
  const keyed = alerts.map((alert) => [keyOf(alert), alert]);
  keyed.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
  return keyed.map(([, alert]) => alert);
}
