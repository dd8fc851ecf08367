// What the site keeps in IndexedDB on this device, and nothing else:
// - "outbox": reports sealed while there was no connection (ciphertext only), and the
//   numbers of those since sent, until the person has seen them (outbox.mjs);
// - "saved": the member area's last alert bundle that verified, as its bytes and
//   signature, verified again before it is shown (member-area.mjs);
// - "seen": the sequence and generation time of the newest bundle verified here (no
//   alert), so an older one is never shown as current; kept after logging out, since a
//   server that could end the session could otherwise wipe it (saved-bundle.mjs).
// The database is created only when something is first stored, so a visit that stores
// nothing leaves nothing behind. "Clear everything" deletes it (device-settings.mjs).
export const DATABASE = "uglymugs";
export const OUTBOX = "outbox";
export const SAVED = "saved";
export const SEEN = "seen";
const VERSION = 2;

// Whether the database exists, without creating it.
export async function exists() {
  if (typeof indexedDB === "undefined") return false;
  if (!indexedDB.databases) return true; // cannot tell: opening it is harmless
  const found = await indexedDB.databases();
  return found.some((database) => database.name === DATABASE);
}

function open() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, VERSION);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: "id" });
      if (!db.objectStoreNames.contains(SAVED)) db.createObjectStore(SAVED);
      if (!db.objectStoreNames.contains(SEEN)) db.createObjectStore(SEEN);
    };
    opening.onsuccess = () => {
      const db = opening.result;
      db.onversionchange = () => db.close(); // never block "clear everything"
      resolve(db);
    };
    opening.onerror = () => reject(opening.error);
  });
}

// An IDBRequest as a promise.
export function request(pending) {
  return new Promise((resolve, reject) => {
    pending.onsuccess = () => resolve(pending.result);
    pending.onerror = () => reject(pending.error);
  });
}

// Run `work(store)` in one transaction on the store `name` (or `work({name: store})`
// on several, given a list of names); resolves with its result once the transaction
// has committed. The connection is closed straight after.
export async function transact(name, mode, work) {
  const db = await open();
  try {
    const transaction = db.transaction(name, mode);
    const stores = Array.isArray(name)
      ? Object.fromEntries(name.map((each) => [each, transaction.objectStore(each)]))
      : transaction.objectStore(name);
    const committed = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("aborted"));
    });
    let result;
    try {
      result = await work(stores);
    } catch (error) {
      transaction.abort();
      throw error;
    }
    await committed;
    return result;
  } finally {
    db.close();
  }
}

// Delete the database; resolves when it is gone.
export function deleteDatabase(name = DATABASE) {
  return new Promise((resolve, reject) => {
    const deleting = indexedDB.deleteDatabase(name);
    deleting.onsuccess = () => resolve();
    deleting.onerror = () => reject(deleting.error);
  });
}
