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

// Call `load` once the page has loaded (first paint is done by then). Not later, and
// not only when the browser is idle: someone who opens the form and then loses the
// connection must still be able to seal their report, so the download (fetchChecked)
// starts here, while the page is surely online.
export function afterLoad(load) {
  const soon = () => setTimeout(load, 0);
  if (document.readyState === "complete") soon();
  else window.addEventListener("load", soon, { once: true });
}

// How long after load a module already fetched waits before it is run when the page is
// idle. Running libsodium (compiling its WebAssembly) is one long task of a few hundred
// milliseconds on a slow phone; run during the page's first seconds it delays the first
// tap. It needs no connection (the bytes are in the page's module map since
// fetchChecked), so it can wait for the form to be used or for an idle moment.
const RUN_WHEN_IDLE_AFTER_MS = 5000;

// Call `run` at the first sign that someone is using the form, or when the browser is
// idle some seconds after load, whichever comes first.
export function whenUsedOrIdle(target, run) {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    run();
  };
  for (const type of ["pointerdown", "keydown", "focusin", "input"]) {
    target.addEventListener(type, start, { once: true, passive: true });
  }
  const idle = () =>
    "requestIdleCallback" in window ? requestIdleCallback(start, { timeout: 2000 }) : start();
  afterLoad(() => setTimeout(idle, RUN_WHEN_IDLE_AFTER_MS));
}
