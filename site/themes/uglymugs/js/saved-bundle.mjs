// The member area's last alert bundles that verified, kept on this device so alerts can
// be read with no signal: every alert's bundle, or the bundles of the member's regions
// ({parts: [{scope, answer}]}). Kept exactly as the server sent them (each bundle's
// bytes in base64 and its signature), nothing else from the member API, and verified again
// with the page's bundle key every time before it is shown. Logging out, a session
// the server has ended, and "clear everything" delete it.
//
// Beside it, the newest publish verified on this device: {sequence, generated_at}.
// A signed bundle can be served again after a newer one (a rollback, bringing back a
// withdrawn alert), so anything older than this mark is refused, and the saved copy is
// only ever replaced by one at least as new. The mark holds no alert; only "clear
// everything" deletes it (not logging out: a server that could end the session must
// not be able to reset it).
import { SAVED, SEEN, exists, request, transact } from "./device-store.mjs";

const KEY = "bundle";

// Whether `candidate` goes back on either count: a lower sequence or an earlier time
// (generated_at is always YYYY-MM-DDTHH:MM:SSZ, so strings compare as times).
export function isOlder(candidate, seen) {
  return Boolean(
    seen &&
      (candidate.sequence < seen.sequence || candidate.generated_at < seen.generated_at),
  );
}

// The newer of two marks (either may be null).
export function newer(a, b) {
  if (!a) return b;
  if (!b) return a;
  return isOlder(a, b) ? b : a;
}

// Keep the bundle and its mark, in one transaction, unless something newer was seen
// meanwhile (another tab); resolves with whether it was kept.
export function keepBundle(saved, mark) {
  return transact([SAVED, SEEN], "readwrite", async (stores) => {
    const seen = await request(stores[SEEN].get(KEY));
    if (isOlder(mark, seen)) return false;
    await request(stores[SAVED].put(saved, KEY));
    await request(stores[SEEN].put(newer(mark, seen), KEY));
    return true;
  });
}

export async function keptBundle() {
  if (!(await exists())) return null;
  return (await transact(SAVED, "readonly", (store) => request(store.get(KEY)))) || null;
}

// The newest {sequence, generated_at} verified on this device, or null.
export async function seenMark() {
  if (!(await exists())) return null;
  return (await transact(SEEN, "readonly", (store) => request(store.get(KEY)))) || null;
}

export async function forgetBundle() {
  if (!(await exists())) return;
  await transact(SAVED, "readwrite", (store) => request(store.delete(KEY)));
}
