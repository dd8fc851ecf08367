// /device/ and the member area: this device's theme and app name, and "clear everything".
// Every message comes from the page's data-* attributes, never from this file.
import {
  chooseNeutral,
  chooseTheme,
  clearEverything,
  isNeutral,
  themeChoice,
} from "./device-settings.mjs";
import { entries, isWaiting } from "./outbox.mjs";

const settings = document.getElementById("device-settings");
if (settings) setUpSettings(settings);
const clearPanel = document.getElementById("device-clear");
if (clearPanel) setUpClear(clearPanel);

function setUpSettings(form) {
  const status = document.getElementById("device-settings-status");
  const neutral = document.getElementById("app-name-neutral");
  const themeBox = (value) => document.getElementById(`theme-${value}`);
  const show = () => {
    themeBox(themeChoice()).checked = true;
    neutral.checked = isNeutral();
  };
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    if (event.target.name === "theme") chooseTheme(event.target.value);
    else if (event.target === neutral) chooseNeutral(neutral.checked);
    status.textContent = form.dataset.msgSaved;
  });
  window.addEventListener("device-cleared", show);
  show();
  form.hidden = false;
}

function setUpClear(panel) {
  const byId = (id) => document.getElementById(id);
  const msg = (name) => panel.getAttribute(`data-msg-${name}`) || "";
  const start = byId("device-clear-start");
  const confirm = byId("device-clear-confirm");
  const waitingNote = byId("device-clear-waiting");
  const status = byId("device-clear-status");

  const close = () => {
    confirm.hidden = true;
    start.setAttribute("aria-expanded", "false");
  };

  start.addEventListener("click", async () => {
    status.textContent = "";
    let waiting = 0;
    try {
      waiting = (await entries()).filter(isWaiting).length;
    } catch {
      waiting = 0;
    }
    waitingNote.textContent = waiting ? msg("waiting").replace("{count}", waiting) : "";
    waitingNote.hidden = !waiting;
    confirm.hidden = false;
    start.setAttribute("aria-expanded", "true");
    byId("device-clear-question").focus();
  });

  byId("device-clear-no").addEventListener("click", () => {
    close();
    start.focus();
  });

  byId("device-clear-yes").addEventListener("click", async () => {
    close();
    status.textContent = msg("clearing");
    try {
      await clearEverything(panel.dataset.sessionApi);
      status.textContent = msg("cleared");
    } catch {
      status.textContent = msg("failed");
    }
    window.dispatchEvent(new Event("device-cleared"));
    start.focus();
  });

  panel.hidden = false;
}
