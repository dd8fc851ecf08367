// Languages, on every page: remember the language a visitor picks in the switcher,
// and on a first visit to an English page, move once to the same page in the
// browser's language if the site has it.
//
// It can never trap anyone: it only ever moves from an English page, only when no
// language has been chosen on this device, and only after it has recorded the choice
// (so it happens once); if the browser keeps nothing (storage blocked), it never
// moves at all. Picking a language in the switcher always wins and is remembered.
// The choice is one word in this site's localStorage; nothing is sent anywhere.
import { preferred } from "./language-choice.mjs";

const KEY = "lang";

const links = [...document.querySelectorAll("#languages a[data-language]")];
const current = links.find((link) => link.getAttribute("aria-current") === "page");

function remembered() {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function remember(code) {
  try {
    window.localStorage.setItem(KEY, code);
    return window.localStorage.getItem(KEY) === code;
  } catch {
    return false;
  }
}

for (const link of links) {
  link.addEventListener("click", () => remember(link.dataset.language));
}

if (current && current.dataset.language === "en" && remembered() === null) {
  const codes = links.map((link) => link.dataset.language);
  const choice = preferred(navigator.languages || [navigator.language], codes);
  const target = links.find((link) => link.dataset.language === choice);
  if (choice && choice !== "en" && target && remember(choice)) {
    // Keep the fragment: the set-password link carries its token there.
    window.location.replace(target.href + window.location.hash);
  }
}
