// Quick exit, on every page: leave for a neutral site at once, and leave nothing behind.
// Resets every form (so a restored page shows nothing) and replaces this page in the
// history, so pressing Back does not return here.
const link = document.getElementById("quick-exit");
if (link) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    for (const form of document.forms) form.reset();
    window.location.replace(link.href);
  });
}
