// Sealing a report, the same wherever it runs: in a Web Worker (so libsodium never
// compiles or runs on the report form's thread) or, where workers are unavailable, on
// the page itself (report-sealer.mjs chooses). The plaintext is sealed
// (crypto_box_seal) to the report key built into the page, and only to it; what comes
// back is the body to send and the plaintext's fingerprint (BLAKE2b), so the form can
// resend the same ciphertext while the answers are unchanged without keeping them.
const KEY_BYTES = 32;
const IDEMPOTENCY_KEY_BYTES = 32;

// {fingerprint, body}: the body ({key_id, ciphertext, idempotency_key} as JSON) is null
// when the plaintext's fingerprint is `unless` (nothing changed: send the same body
// again). {noKey: true} when the page's key is missing or not a key.
export function sealReport(sodium, { plaintext, keyId, publicKey, unless }) {
  const original = sodium.base64_variants.ORIGINAL;
  let key = null;
  try {
    key = keyId && publicKey ? sodium.from_base64(publicKey, original) : null;
  } catch {
    key = null;
  }
  if (!key || key.length !== KEY_BYTES) return { noKey: true };
  const message = sodium.from_string(plaintext);
  const fingerprint = sodium.to_hex(sodium.crypto_generichash(32, message));
  if (fingerprint === unless) return { fingerprint, body: null };
  const ciphertext = sodium.crypto_box_seal(message, key);
  const idempotencyKey = sodium.randombytes_buf(IDEMPOTENCY_KEY_BYTES);
  const body = JSON.stringify({
    key_id: keyId,
    ciphertext: sodium.to_base64(ciphertext, original),
    idempotency_key: sodium.to_base64(idempotencyKey, sodium.base64_variants.URLSAFE_NO_PADDING),
  });
  return { fingerprint, body };
}
