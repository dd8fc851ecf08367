// Set or reset a password from the link in the scheme's e-mail.
//
// The token travels in the link's fragment (#token=...), so it never reaches a server
// log; this page reads it, takes it out of the address bar and history, keeps it in
// memory only, and sends it with the new password.
import { apiMessage, formErrors, messages, readError, request } from "./form-common.mjs";

const form = document.getElementById("password-form");
if (form) setUp(form);

function tokenFromFragment() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = (params.get("token") || "").trim();
  if (window.location.hash) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  return token;
}

function setUp(form) {
  const msg = messages(form);
  const errors = formErrors(form, document.getElementById("password-error"));
  const submit = document.getElementById("password-submit");
  const status = document.getElementById("password-status");
  const token = tokenFromFragment();
  let busy = false;

  if (!token) {
    form.hidden = true;
    document.getElementById("password-no-token").hidden = false;
    return;
  }
  submit.disabled = false;
  form.addEventListener("submit", onSubmit);

  // The token was refused: say why, and offer a new link instead of the form.
  function linkRefused(code) {
    const known = {
      link_expired: "expired",
      link_used: "used",
      token_expired: "expired",
      token_used: "used",
    };
    form.hidden = true;
    const notice = document.getElementById("password-link-refused");
    notice.querySelector("[data-reason]").textContent = msg(known[code] || "invalid-link");
    notice.hidden = false;
    notice.focus();
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    const password = document.getElementById("password").value;
    const confirm = document.getElementById("password-confirm").value;
    const found = [];
    if (!password) found.push(["password", msg("password")]);
    else if (password !== confirm) found.push(["password-confirm", msg("mismatch")]);
    if (found.length) {
      errors.show(found);
      return;
    }
    errors.clear();
    busy = true;
    submit.disabled = true;
    status.textContent = msg("sending");
    try {
      let response;
      try {
        response = await request(form.dataset.api, { method: "POST", body: { token, password } });
      } catch {
        errors.show([[null, msg("network")]]);
        return;
      }
      if (response.status === 204 || response.ok) {
        form.reset();
        form.hidden = true;
        const done = document.getElementById("password-done");
        done.hidden = false;
        done.focus();
        return;
      }
      if (response.status >= 500) {
        errors.show([[null, msg("unavailable")]]);
        return;
      }
      const error = await readError(response);
      if (error.field === "password") {
        errors.show([["password", apiMessage(form, error) || msg("rejected")]]);
      } else if (
        error.field === "token" ||
        /token|link/.test(error.code || "") ||
        [404, 410].includes(response.status)
      ) {
        linkRefused(error.code);
      } else {
        errors.show([[null, apiMessage(form, error) || msg("rejected")]]);
      }
    } finally {
      busy = false;
      submit.disabled = false;
      status.textContent = "";
    }
  }
}
