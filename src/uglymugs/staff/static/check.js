// The alert form: `alerts check` runs as staff type, its problems shown beside each field.
// The form works without this script (the server checks on save); this only says it sooner.
(function () {
  "use strict";
  var form = document.getElementById("alert-form");
  if (!form || !window.fetch) { return; }
  var timer = null;
  function show(problems) {
    var fields = form.querySelectorAll("[data-field]");
    Array.prototype.forEach.call(fields, function (box) {
      var name = box.getAttribute("data-field");
      var slot = box.querySelector(".problem");
      var control = box.querySelector("input, select, textarea");
      var found = problems[name] || [];
      slot.textContent = found.join(" ");
      if (control && control.type !== "checkbox") {
        if (found.length) {
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("aria-describedby", slot.id);
        } else {
          control.removeAttribute("aria-invalid");
        }
      }
    });
  }
  function check() {
    var body = new URLSearchParams(new FormData(form)).toString();
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (result) { show(result.problems || {}); }
    }).catch(function () { /* the server checks again on save */ });
  }
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
}());
