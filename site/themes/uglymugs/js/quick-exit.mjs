// Quick exit, on every page: leave for a neutral site at once, and leave nothing behind.
// Resets every form and empties everything marked data-private (the copy of a report
// just made, alerts, a check's result), so a restored page shows nothing; tells the
// page's scripts to drop what they hold ("quick-exit"); and replaces this page in the
// history, so pressing Back does not return here. Reports sealed and waiting in the
// outbox are kept: they hold no plaintext, and they must still be sent.
const link = document.getElementById("quick-exit");
if (link) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    for (const form of document.forms) form.reset();
    for (const element of document.querySelectorAll("[data-private]")) element.replaceChildren();
    window.dispatchEvent(new Event("quick-exit"));
    window.location.replace(link.href);
  });
}
