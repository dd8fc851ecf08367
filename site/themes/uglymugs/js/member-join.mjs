// The join form: send exactly what the person typed for their kind of membership.
//
// Questions for another kind of membership are hidden and never sent; optional
// questions left blank are left out. The server answers the same whether or not the
// name or e-mail was already taken, so this page never learns who is a member.
import { errorFor, formErrors, messages, readError, request } from "./form-common.mjs";

const form = document.getElementById("join-form");
if (form) setUp(form);

function setUp(form) {
  const msg = messages(form);
  const errors = formErrors(form, document.getElementById("join-error"));
  const submit = document.getElementById("join-submit");
  const status = document.getElementById("join-status");
  let busy = false;

  form.addEventListener("change", applyVisibility);
  form.addEventListener("submit", onSubmit);
  applyVisibility();
  submit.disabled = false;

  function checked(name) {
    const input = form.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  function membershipType() {
    return checked("membership_type") || "individual";
  }

  function applyVisibility() {
    const type = membershipType();
    for (const part of form.querySelectorAll("[data-shown-for]")) {
      part.hidden = !part.dataset.shownFor.split(" ").includes(type);
    }
  }

  function value(id) {
    return document.getElementById(id).value.trim();
  }

  function collect() {
    const type = membershipType();
    const body = {
      membership_type: type,
      username: value("username"),
      email: value("email"),
    };
    if (value("mobile")) body.mobile = value("mobile");
    if (type === "individual") {
      const monitoring = {};
      for (const name of ["work", "gender"]) {
        if (checked(name)) monitoring[name] = checked(name);
      }
      if (Object.keys(monitoring).length) body.monitoring = monitoring;
    } else {
      body.organisation = value("organisation");
      body.contact_role = value("contact_role");
      const users = [...form.querySelectorAll('input[name="service_users"]:checked')];
      if (users.length) body.service_users = users.map((input) => input.value);
    }
    const areas = [...form.querySelectorAll('input[name="areas"]:checked')].map((i) => i.value);
    if (areas.includes("prefer_not_to_say")) body.areas = ["prefer_not_to_say"];
    else if (areas.length) body.areas = areas;
    body.accept_terms = document.getElementById("accept_terms").checked;
    // The member's language is the page's: their e-mails and texts will be in it.
    body.language = (document.documentElement.lang || "en").toLowerCase();
    return body;
  }

  function validate(body) {
    const found = [];
    if (!body.username) found.push(["username", msg("username")]);
    if (!body.email) found.push(["email", msg("email")]);
    else if (!/^[^\s@]+@[^\s@]+$/.test(body.email)) found.push(["email", msg("email-invalid")]);
    if (body.membership_type !== "individual") {
      if (!body.organisation) found.push(["organisation", msg("organisation")]);
      if (!body.contact_role) found.push(["contact_role", msg("contact-role")]);
    }
    if (!body.accept_terms) found.push(["accept_terms", msg("terms")]);
    return found;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    const body = collect();
    const found = validate(body);
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
        response = await request(form.dataset.api, { method: "POST", body });
      } catch {
        errors.show([[null, msg("network")]]);
        return;
      }
      if (response.status === 202) {
        form.reset();
        form.hidden = true;
        const success = document.getElementById("join-success");
        success.hidden = false;
        success.focus();
        return;
      }
      if (response.status >= 500) {
        errors.show([[null, msg("unavailable")]]);
        return;
      }
      errors.show([errorFor(await readError(response), msg("rejected"), form)]);
    } finally {
      busy = false;
      submit.disabled = false;
      status.textContent = "";
    }
  }
}

