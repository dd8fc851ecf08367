// The police partner form: seal what the partner wrote in this browser, send only
// ciphertext, exactly as the report form does (docs/report-format.md, schema
// uglymugs.partner/1). The server cannot tell it from a report.
//
// Every message comes from the form's data-msg-* attributes, never from this file.
import { errorFor, formErrors, messages, readError } from "./form-common.mjs";
import { fetchChecked } from "./lazy-module.mjs";

const SCHEMA = "uglymugs.partner/1";
const KEY_BYTES = 32;

const form = document.getElementById("partner-form");
if (form) setUp(form);

async function loadSodium() {
  await fetchChecked("sodium.js");
  const sodium = (await import("./sodium.js")).default;
  await sodium.ready;
  return sodium;
}

function setUp(form) {
  const msg = messages(form);
  const errors = formErrors(form, document.getElementById("partner-error"));
  const submit = document.getElementById("partner-submit");
  const status = document.getElementById("partner-status");
  const sodiumReady = loadSodium();
  let sent = null; // {plaintext, body}: a retry of the same words resends the same body
  let busy = false;

  sodiumReady.then(() => {
    form.dataset.sealing = "ready";
  }, () => {});
  form.addEventListener("submit", onSubmit);
  submit.disabled = false;

  function value(id) {
    return document.getElementById(id).value.trim();
  }

  function collect() {
    const kind = form.querySelector('input[name="submission_kind"]:checked');
    const answers = {
      submission_kind: kind ? kind.value : "circulate",
      what_happened: value("what_happened"),
      consent_alert: document.getElementById("consent_alert").checked ? "yes" : "no",
      contact_details: value("contact_details"),
    };
    for (const id of ["force_area", "town_or_area", "organisation"]) {
      if (value(id)) answers[id] = value(id);
    }
    const language = document.documentElement.lang || "en";
    return { schema: SCHEMA, report_type: "partner", reporter: "police", language, answers };
  }

  function problems(answers) {
    const found = [];
    for (const id of ["what_happened", "contact_details"]) {
      if (!answers[id]) found.push([id, msg(id)]);
    }
    return found;
  }

  async function seal(plaintext) {
    if (sent && sent.plaintext === plaintext) return sent.body;
    const sodium = await sodiumReady;
    const publicKey = sodium.from_base64(form.dataset.publicKey, sodium.base64_variants.ORIGINAL);
    const ciphertext = sodium.crypto_box_seal(sodium.from_string(plaintext), publicKey);
    const body = JSON.stringify({
      key_id: form.dataset.keyId,
      ciphertext: sodium.to_base64(ciphertext, sodium.base64_variants.ORIGINAL),
      idempotency_key: sodium.to_base64(
        sodium.randombytes_buf(KEY_BYTES),
        sodium.base64_variants.URLSAFE_NO_PADDING,
      ),
    });
    sent = { plaintext, body };
    return body;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    const content = collect();
    const found = problems(content.answers);
    if (found.length) return errors.show(found);
    errors.clear();
    if (!form.dataset.keyId || !form.dataset.publicKey) return errors.show([[null, msg("no-key")]]);
    busy = true;
    submit.disabled = true;
    status.textContent = msg("sending");
    try {
      let body;
      try {
        body = await seal(JSON.stringify(content));
      } catch {
        return errors.show([[null, msg("crypto")]]);
      }
      let response;
      try {
        response = await fetch(form.dataset.api, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
          credentials: "same-origin",
          cache: "no-store",
          redirect: "error",
          referrerPolicy: "no-referrer",
        });
      } catch {
        return errors.show([[null, msg("network")]]);
      }
      if (!response.ok) {
        return errors.show([errorFor(await readError(response), msg("rejected"), form)]);
      }
      const { report_number: number } = await response.json();
      sent = null;
      form.reset();
      form.hidden = true;
      const success = document.getElementById("partner-success");
      document.getElementById("partner-number").textContent = number;
      success.hidden = false;
      success.focus();
    } finally {
      busy = false;
      submit.disabled = false;
      status.textContent = "";
    }
  }
}
