// Choices kept on this device (never sent anywhere), and clearing everything.
//
// The theme ("light" | "dark"; none: follow the device) and the neutral app name are
// kept in localStorage. /theme/js/device-early.js applies both before the page is drawn,
// so a dark page never flashes light; this module applies a change at once.
import { DATABASE, deleteDatabase } from "./device-store.mjs";

const THEME = "uglymugs-theme";
const NEUTRAL = "uglymugs-neutral";
const root = document.documentElement;

function stored(name) {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

function store(name, value) {
  try {
    if (value == null) localStorage.removeItem(name);
    else localStorage.setItem(name, value);
  } catch {
    // Storage refused (a private window may do that): the choice lasts for this page.
  }
}

// "light", "dark" or "auto".
export function themeChoice() {
  const theme = stored(THEME);
  return theme === "light" || theme === "dark" ? theme : "auto";
}

export function isDark() {
  const theme = root.dataset.theme;
  return theme ? theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
}

export function chooseTheme(choice) {
  const explicit = choice === "light" || choice === "dark";
  store(THEME, explicit ? choice : null);
  if (explicit) root.dataset.theme = choice;
  else delete root.dataset.theme;
  window.dispatchEvent(new Event("theme-changed"));
}

export function isNeutral() {
  return stored(NEUTRAL) === "1";
}

// The manifest, icons and app title the page names, as the scheme's or the neutral ones.
export function chooseNeutral(neutral) {
  store(NEUTRAL, neutral ? "1" : null);
  applyNeutral(neutral);
}

function applyNeutral(neutral) {
  for (const element of document.querySelectorAll("[data-neutral-href]")) {
    element.href = neutral ? element.dataset.neutralHref : element.dataset.appHref;
  }
  for (const element of document.querySelectorAll("[data-neutral-content]")) {
    element.content = neutral ? element.dataset.neutralContent : element.dataset.appContent;
  }
  // The page's title and header name, as /theme/js/device-early.js sets them.
  const name = document.querySelector("[data-neutral-content]");
  if (!root.dataset.appTitle) root.dataset.appTitle = document.title;
  document.title = neutral && name ? name.dataset.neutralContent : root.dataset.appTitle;
  root.toggleAttribute("data-neutral", neutral);
}

// Everything this site stored on this device: the session cookie (through the member
// API, as only the server can clear it), service workers, Cache Storage, IndexedDB,
// localStorage and sessionStorage. Nothing typed is kept anywhere else.
export async function clearEverything(sessionApi) {
  if (sessionApi) {
    try {
      await fetch(sessionApi, {
        method: "DELETE",
        credentials: "same-origin",
        cache: "no-store",
        redirect: "error",
        referrerPolicy: "no-referrer",
      });
    } catch {
      // Offline: the session ends by itself within 30 minutes.
    }
  }
  if ("serviceWorker" in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      // Stop it storing anything it is fetching now, then remove it.
      for (const worker of [registration.active, registration.waiting, registration.installing]) {
        if (worker) worker.postMessage({ type: "forget" });
      }
      await registration.unregister();
    }
  }
  await deleteCaches();
  const databases = indexedDB.databases ? await indexedDB.databases() : [];
  const names = new Set(databases.map((database) => database.name));
  names.add(DATABASE);
  for (const name of names) await deleteDatabase(name);
  for (const storage of [localStorage, sessionStorage]) {
    try {
      storage.clear();
    } catch {
      // Nothing can have been stored there either.
    }
  }
  delete root.dataset.theme;
  applyNeutral(false);
  // A worker's last fetch may still have been writing: check once more.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await deleteCaches();
}

async function deleteCaches() {
  if (typeof caches === "undefined") return;
  for (const name of await caches.keys()) await caches.delete(name);
}
