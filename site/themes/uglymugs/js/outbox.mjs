// Reports sealed without a connection wait here until they can be sent, then are sent
// exactly once.
//
// A record holds only what the report form would have posted: the key id, the
// ciphertext and the idempotency key (the record's id). Never a word of the report.
//   queued → sending → sent {number}   (the ciphertext is deleted; the number is kept
//                                       until the person has seen it)
//                    → rejected        (the server can never take it; ciphertext deleted)
//                    → queued          (no connection, or the server is busy: later,
//                                       never before the server's Retry-After)
//                    → held            (`unknown_key`: the server does not take the key
//                                       it was sealed to; kept as it is, and the person
//                                       is asked to reload; each page load tries it again)
// A report is only ever sealed by the report form, to the key built into that page, and
// is never sealed again here: not to a key the API names, nor to any other.
// Only one sender at a time across every tab: a Web Lock, and inside it a claim (a
// queued → sending transition in one IndexedDB transaction), so two tabs, or a
// reconnect racing a page load, cannot post the same report twice. Should a tab close
// after posting but before recording the answer, the next sender posts the same
// ciphertext with the same idempotency key, and the server answers with the same number.
import { OUTBOX, exists, request, transact } from "./device-store.mjs";

const LOCK = "uglymugs-outbox";
// Without Web Locks, a claim this old was left by a tab that closed while sending.
const STALE_CLAIM_MS = 60_000;
// A request unanswered for this long is treated as no connection (a weak signal can
// hang rather than fail). Sending again is safe: same ciphertext, same idempotency key.
const REQUEST_TIMEOUT_MS = 30_000;
// A Retry-After longer than this is taken as this: a wrong header must not silence
// the queue for ever.
const LONGEST_RETRY_AFTER_MS = 3_600_000;

// The wait a 503 or 429 asks for (Retry-After: seconds, or an HTTP date), in ms; 0 if none.
export function retryAfterMs(response, now = Date.now()) {
  const value = (response.headers && response.headers.get("Retry-After")) || "";
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), LONGEST_RETRY_AFTER_MS) : 0;
}

// Resolves once `time` (ms since the epoch) has come.
export function waitUntil(time) {
  const ms = time - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export function giveUpAfter(ms = REQUEST_TIMEOUT_MS) {
  return typeof AbortSignal !== "undefined" && AbortSignal.timeout
    ? AbortSignal.timeout(ms)
    : undefined;
}

export async function queue({ id, keyId, ciphertext }) {
  const record = {
    id,
    key_id: keyId,
    ciphertext,
    state: "queued",
    queued_at: new Date().toISOString(),
  };
  await transact(OUTBOX, "readwrite", (store) => request(store.put(record)));
}

export async function entries() {
  if (!(await exists())) return [];
  return transact(OUTBOX, "readonly", (store) => request(store.getAll()));
}

export async function forget(ids) {
  if (!ids.length || !(await exists())) return;
  await transact(OUTBOX, "readwrite", async (store) => {
    for (const id of ids) await request(store.delete(id));
  });
}

export const isWaiting = (entry) => entry.state === "queued" || entry.state === "sending";
export const isHeld = (entry) => entry.state === "held";

// Held reports go back in the queue: called once when a page loads, so that after a
// reload they are tried again (the API may take the key again), but not on every retry.
export async function retryHeld() {
  if (!(await exists())) return;
  await transact(OUTBOX, "readwrite", async (store) => {
    for (const record of await request(store.getAll())) {
      if (isHeld(record)) await request(store.put({ ...record, state: "queued", held_at: null }));
    }
  });
}

// Send what is waiting, one report at a time; resolves with [{id, state, number}] for
// each report settled now (sent, rejected or held).
export async function flush(api) {
  if (!(await exists())) return [];
  if (navigator.locks) return navigator.locks.request(LOCK, () => sendWaiting(api, true));
  return sendWaiting(api, false);
}

async function sendWaiting(api, locked) {
  const settled = [];
  for (const { id, not_before: notBefore = 0 } of (await entries()).filter(isWaiting)) {
    if (notBefore > Date.now()) break; // the server asked us to wait (Retry-After)
    const record = await claim(id, locked);
    if (!record) continue;
    let response;
    try {
      response = await post(api, record);
    } catch {
      await release(id); // no connection: try again later
      break;
    }
    if (response.status === 201) {
      let number;
      try {
        number = (await response.json()).report_number;
      } catch {
        number = null;
      }
      if (typeof number !== "string") {
        await release(id); // resending gets the same number
        break;
      }
      const receipt = { id, state: "sent", number, sent_at: new Date().toISOString() };
      await settle(receipt);
      settled.push(receipt);
    } else if (response.status >= 500 || response.status === 408 || response.status === 429) {
      await release(id, Date.now() + retryAfterMs(response));
      break;
    } else if (await refusedKey(response)) {
      await hold(id);
      settled.push({ id, state: "held" });
    } else {
      const receipt = { id, state: "rejected", at: new Date().toISOString() };
      await settle(receipt);
      settled.push(receipt);
    }
  }
  return settled;
}

// queued → sending, in one transaction; null if another sender has it.
function claim(id, locked) {
  return transact(OUTBOX, "readwrite", async (store) => {
    const record = await request(store.get(id));
    if (!record) return null;
    const abandoned =
      record.state === "sending" && (locked || Date.now() - record.claimed_at > STALE_CLAIM_MS);
    if (record.state !== "queued" && !abandoned) return null;
    await request(store.put({ ...record, state: "sending", claimed_at: Date.now() }));
    return record;
  });
}

// Whether the server refused the key the report was sealed to (`unknown_key`).
async function refusedKey(response) {
  if (response.status !== 422) return false;
  try {
    const document = await response.json();
    return Boolean(document && document.error && document.error.code === "unknown_key");
  } catch {
    return false;
  }
}

// sending → held: the ciphertext stays exactly as it was sealed.
function hold(id) {
  return transact(OUTBOX, "readwrite", async (store) => {
    const record = await request(store.get(id));
    if (record && record.state === "sending") {
      await request(store.put({ ...record, state: "held", claimed_at: null, held_at: Date.now() }));
    }
  });
}

function release(id, notBefore = 0) {
  return transact(OUTBOX, "readwrite", async (store) => {
    const record = await request(store.get(id));
    if (record && record.state === "sending") {
      const waiting = { ...record, state: "queued", claimed_at: null };
      if (notBefore > Date.now()) waiting.not_before = notBefore;
      else delete waiting.not_before;
      await request(store.put(waiting));
    }
  });
}

// Replace the record (and with it the ciphertext) by what became of it.
function settle(receipt) {
  return transact(OUTBOX, "readwrite", (store) => request(store.put(receipt)));
}

function post(api, record) {
  return fetch(api, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      key_id: record.key_id,
      ciphertext: record.ciphertext,
      idempotency_key: record.id,
    }),
    credentials: "omit", // never a member's session cookie with a report
    cache: "no-store",
    redirect: "error",
    referrerPolicy: "no-referrer",
    signal: giveUpAfter(), // never hold the lock, and so every other tab, for ever
  });
}
