// Modules a page loads only when it needs them (libsodium on the report form), still
// checked against their SRI hashes.
//
// A dynamic import() carries no integrity of its own. The page names each such module
// in <meta name="lazy-module" content="URL" data-integrity="sha384-…"> (see
// _assets.html); fetchChecked adds a <link rel="modulepreload"> with that hash and
// waits for it, so the module is in the page's module map, checked, before the
// import() that follows uses it. A module whose hash does not match never runs.
const loads = new Map();

export function fetchChecked(name) {
  if (!loads.has(name)) loads.set(name, preload(name));
  return loads.get(name);
}

function preload(name) {
  const meta = [...document.querySelectorAll('meta[name="lazy-module"]')].find((tag) =>
    tag.content.endsWith(`/${name}`),
  );
  if (!meta) return Promise.reject(new Error(`not-on-this-page:${name}`)); // never shown
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = meta.content;
    link.integrity = meta.dataset.integrity;
    link.addEventListener("load", () => resolve());
    link.addEventListener("error", () => {
      loads.delete(name); // a failed fetch (offline, say) may be tried again
      reject(new Error(`not-loaded:${name}`)); // never shown: the form says it
    });
    document.head.append(link);
  });
}

// Call `load` once the page has loaded (first paint is done by then), or at the first
// sign that someone is using the form, whichever comes first. Not later, and not only
// when the browser is idle: someone who opens the form and then loses the connection
// must still be able to seal their report.
export function whenLoadedOrUsed(target, load) {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    load();
  };
  for (const type of ["pointerdown", "keydown", "focusin", "input"]) {
    target.addEventListener(type, start, { once: true, passive: true });
  }
  const soon = () => setTimeout(start, 0);
  if (document.readyState === "complete") soon();
  else window.addEventListener("load", soon, { once: true });
}
