// On every page: the service worker (the site offline), the theme button, and the
// reports sealed without a connection: sent when one returns, their numbers shown.
//
// Kept small: this runs on the first page anyone opens. Every message comes from the
// page's data-* attributes (translated there), never from this file.
import { chooseTheme, isDark } from "./device-settings.mjs";
import { entries, flush, forget, isHeld, isWaiting, retryHeld } from "./outbox.mjs";
import { reloadNewest } from "./page-update.mjs";

const FIRST_RETRY_MS = 15_000;
const LAST_RETRY_MS = 300_000;

registerServiceWorker();
setUpThemeButton();
const notice = document.getElementById("outbox-notice");
if (notice) setUpOutbox(notice);

// After the page has loaded, so the worker never competes with it on a slow line.
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const start = async () => {
    try {
      await navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" });
      const registration = await navigator.serviceWorker.ready;
      // Keep this page and the light pages in its language; in the installed app, the
      // report form and member area too (they bring libsodium).
      registration.active.postMessage({
        type: "keep",
        page: location.pathname,
        lang: document.documentElement.lang,
        full: matchMedia("(display-mode: standalone)").matches,
      });
    } catch {
      // No offline copy (a private window may refuse one): the site works as before.
    }
  };
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
}

function setUpThemeButton() {
  const button = document.getElementById("theme-toggle");
  if (!button) return;
  const label = () => {
    button.textContent = button.getAttribute(isDark() ? "data-msg-light" : "data-msg-dark");
  };
  button.addEventListener("click", () => chooseTheme(isDark() ? "light" : "dark"));
  window.addEventListener("theme-changed", label);
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", label);
  label();
  button.hidden = false;
}

function setUpOutbox(notice) {
  const api = notice.dataset.api;
  const msg = (name) => notice.getAttribute(`data-msg-${name}`) || "";
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("uglymugs-outbox") : null;
  let sending = null;
  let again = false;
  let retryDelay = FIRST_RETRY_MS;
  let retryTimer = null;
  let rendering = Promise.resolve();

  const changed = () => {
    if (channel) channel.postMessage("changed");
    return render();
  };

  function paragraph(text, className = "") {
    const element = document.createElement("p");
    element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  function button(text, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button";
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  // Offer each sent report's number to the page first (the report form shows it in
  // place); show the rest here until the person says they have it.
  async function draw() {
    let all;
    try {
      all = await entries();
    } catch {
      all = [];
    }
    const shownByPage = [];
    for (const entry of all.filter((e) => e.state === "sent")) {
      const detail = { id: entry.id, number: entry.number, shown: false };
      window.dispatchEvent(new CustomEvent("outbox-sent", { detail }));
      if (detail.shown) shownByPage.push(entry.id);
    }
    if (shownByPage.length) {
      await forget(shownByPage).catch(() => {});
      if (channel) channel.postMessage("changed");
    }
    const parts = [];
    const waiting = all.filter(isWaiting).length;
    if (waiting) parts.push(paragraph(msg("waiting").replace("{count}", waiting)));
    for (const entry of all.filter((e) => e.state === "sent" && !shownByPage.includes(e.id))) {
      const box = document.createElement("div");
      box.className = "outbox-sent";
      box.append(
        paragraph(msg("sent")),
        paragraph(entry.number, "report-number"),
        paragraph(msg("keep-number")),
        button(msg("done"), () => forget([entry.id]).then(changed)),
      );
      parts.push(box);
    }
    const rejected = all.filter((e) => e.state === "rejected").map((e) => e.id);
    if (rejected.length) {
      const box = document.createElement("div");
      box.className = "outbox-rejected";
      box.append(
        paragraph(msg("rejected")),
        button(msg("understood"), () => forget(rejected).then(changed)),
      );
      parts.push(box);
    }
    // Refused for its key: this copy of the site is out of date. Kept, never resealed.
    const held = all.filter(isHeld).map((e) => e.id);
    if (held.length) {
      const box = document.createElement("div");
      box.className = "outbox-held";
      box.append(
        paragraph(msg("held")),
        button(msg("reload"), reloadNewest),
        button(msg("discard"), () => forget(held).then(changed)),
      );
      parts.push(box);
    }
    notice.replaceChildren(...parts);
    return waiting;
  }

  function render() {
    rendering = rendering.then(draw, draw);
    return rendering;
  }

  async function sendOnce() {
    clearTimeout(retryTimer);
    let settled = [];
    try {
      settled = await flush(api);
    } catch {
      settled = [];
    }
    if (settled.length && channel) channel.postMessage("changed");
    const waiting = await render();
    if (waiting) {
      retryTimer = setTimeout(send, retryDelay);
      retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
    } else {
      retryDelay = FIRST_RETRY_MS;
    }
  }

  // One run at a time in this page; a call during a run makes one more run after it.
  function send() {
    if (sending) {
      again = true;
      return sending;
    }
    sending = sendOnce().finally(() => {
      sending = null;
      if (again) {
        again = false;
        send();
      }
    });
    return sending;
  }

  window.addEventListener("online", () => {
    retryDelay = FIRST_RETRY_MS;
    send();
  });
  window.addEventListener("outbox-queued", () => send());
  if (channel) channel.onmessage = () => render();
  retryHeld()
    .catch(() => {})
    .finally(send);
}
