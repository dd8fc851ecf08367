// The printable blank form: show the print button (it needs JavaScript) and wire it up.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
