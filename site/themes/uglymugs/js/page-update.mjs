// Reload this page as the newest build, not the copy the service worker kept.
//
// A page is out of date when the scheme has moved on since it was built (a new report
// key above all). The worker serves kept pages first, so a bare reload could bring back
// the same old page: first ask the browser to look for a newer worker and give it a
// few seconds to take over (it claims every page as soon as it is installed), then reload.
const WAIT_FOR_NEW_WORKER_MS = 10_000;

export async function reloadNewest() {
  try {
    const registration =
      "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration() : null;
    if (registration) {
      await registration.update();
      const installing = registration.installing || registration.waiting;
      if (installing) await activated(installing);
    }
  } catch {
    // No worker, or no newer one: an ordinary reload.
  }
  location.reload();
}

function activated(worker) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, WAIT_FOR_NEW_WORKER_MS);
    const check = () => {
      if (worker.state === "activated" || worker.state === "redundant") {
        clearTimeout(timer);
        resolve();
      }
    };
    worker.addEventListener("statechange", check);
    check();
  });
}
