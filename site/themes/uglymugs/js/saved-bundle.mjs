// The member area's last alert bundle that verified, kept on this device so alerts can
// be read with no signal. Kept exactly as the server sent it (the bundle's bytes in
// base64 and its signature), nothing else from the member API, and verified again
// with the page's bundle key every time before it is shown. Logging out, a session
// the server has ended, and "clear everything" delete it.
import { SAVED, exists, request, transact } from "./device-store.mjs";

const KEY = "bundle";

export function keepBundle({ bundle, signature }) {
  return transact(SAVED, "readwrite", (store) => request(store.put({ bundle, signature }, KEY)));
}

export async function keptBundle() {
  if (!(await exists())) return null;
  return (await transact(SAVED, "readonly", (store) => request(store.get(KEY)))) || null;
}

export async function forgetBundle() {
  if (!(await exists())) return;
  await transact(SAVED, "readwrite", (store) => request(store.delete(KEY)));
}
