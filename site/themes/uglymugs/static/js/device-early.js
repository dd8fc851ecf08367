// Runs before the page is drawn (a classic script in <head>, after the links it
// changes), so that a chosen dark theme never flashes light first and a chosen neutral
// app name and icon are there from the start. The choices are made on /device/ and
// kept in this device's localStorage by device-settings.mjs; nothing is sent anywhere.
(function () {
  var theme = null;
  var neutral = false;
  try {
    theme = localStorage.getItem("uglymugs-theme");
    neutral = localStorage.getItem("uglymugs-neutral") === "1";
  } catch (e) {
    return;
  }
  if (theme === "dark" || theme === "light") {
    document.documentElement.setAttribute("data-theme", theme);
  }
  if (!neutral) return;
  var links = document.querySelectorAll("[data-neutral-href]");
  for (var i = 0; i < links.length; i++) links[i].href = links[i].getAttribute("data-neutral-href");
  var metas = document.querySelectorAll("[data-neutral-content]");
  for (var j = 0; j < metas.length; j++) {
    metas[j].content = metas[j].getAttribute("data-neutral-content");
  }
  // Neither the tab, the app switcher nor the page's header says the scheme's name.
  var root = document.documentElement;
  root.setAttribute("data-neutral", "");
  root.setAttribute("data-app-title", document.title);
  if (metas.length) document.title = metas[0].getAttribute("data-neutral-content");
})();
