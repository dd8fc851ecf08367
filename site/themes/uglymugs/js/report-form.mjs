// The report form: seal the report in this browser, send only ciphertext.
//
// The plaintext never leaves this page except sealed (crypto_box_seal) to the scheme's
// report key built into this page (data-key-id, data-public-key), which the page's
// hash-pinned build carries: never to a key fetched from the API, since whoever
// controls the API's answers would then choose who can read the report. When the API
// does not take that key (`unknown_key`), the page is out of date: it says so, keeps
// everything typed, and offers a reload, which brings a page built with the new key.
// The plaintext is never written to storage, cookies or the URL. Every message shown
// comes from the page's data-* attributes (translated there), never from this file.
// A retry with unchanged answers resends the same ciphertext and idempotency key, so
// the server answers with the same report number and stores nothing twice.
// Without a connection, the sealed report (ciphertext, key id, idempotency key: never
// the plaintext) goes to the outbox on this device, and app.js sends it once there is
// one; this page then shows its number as if it had been sent at once.
import { apiMessage, formErrors, readError } from "./form-common.mjs";
import { giveUpAfter, queue, retryAfterMs, waitUntil } from "./outbox.mjs";
import { reloadNewest } from "./page-update.mjs";
import { normaliseReportNumber } from "./report-number.mjs";
import { afterLoad, whenUsedOrIdle } from "./lazy-module.mjs";
import { fetchSealer, prepareSealer, seal, sealedIn } from "./report-sealer.mjs";
import { formSteps } from "./form-steps.mjs";
import { REPORTER_FOR, rememberedMemberType } from "./member-hint.mjs";
import { setUpNumberMail } from "./report-mail.mjs";

// libsodium (dist/sodium.js, built from sodium.mjs) is not needed to show or fill in
// the form, only to seal it. It is downloaded (and checked against its hash) once the
// page has loaded, so that a form opened online can seal offline; it is started (its
// WebAssembly compiled, the costly part) in a Web Worker when the form is first
// touched or the browser is idle a few seconds later (report-sealer.mjs), and sending
// waits for it only if it has not. Where no worker can run, the page runs it itself.
const SCHEMA = "uglymugs.report/1";
const ENVELOPE = new Set(["report_type", "follows", "reporter"]);

const form = document.getElementById("report-form");
if (form) setUp(form);

function setUp(form) {
  const submit = document.getElementById("report-submit");
  const errorRegion = document.getElementById("report-error");
  const status = document.getElementById("report-status");
  const success = document.getElementById("report-success");
  const api = form.dataset.api;
  const required = JSON.parse(form.dataset.required || "{}");
  const msg = (name) => form.getAttribute(`data-msg-${name}`) || "";
  const text = (name) => form.getAttribute(`data-text-${name}`) || "";

  let pending = null; // {fingerprint, body}: what to resend on a retry
  let busy = false;
  let notBefore = 0; // no send before this time: the server's Retry-After

  const steps = formSteps(form, msg, () => {});
  const memberType = rememberedMemberType();
  if (memberType) {
    const answer = form.querySelector(`#reporter-${REPORTER_FOR[memberType]}`);
    if (answer) answer.checked = true;
  }

  form.addEventListener("change", applyVisibility);
  form.addEventListener("submit", onSubmit);
  steps.elements.back.addEventListener("click", () => {
    clearErrors();
    steps.back();
  });
  steps.elements.next.addEventListener("click", nextStep);
  // A link in the error summary shows the step holding its question first.
  errorRegion.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (link) steps.showQuestion(link.getAttribute("href").slice(1));
  });
  window.addEventListener("quick-exit", () => {
    pending = null;
    applyVisibility();
    steps.restart();
  });
  applyVisibility();

  submit.disabled = false;
  afterLoad(() =>
    fetchSealer()
      .then(() => {
        form.dataset.sealing = "ready"; // what a page can seal offline from now on
      })
      .catch(() => {}),
  );
  whenUsedOrIdle(form, () => prepareSealer().catch(() => {}));

  function checkedValue(name) {
    const input = form.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  // Show the questions this reporter and report type ask, worded for who reports.
  function applyVisibility() {
    const reporter = checkedValue("reporter") || "self";
    const reportType = checkedValue("report_type") || "full";
    const partial = reportType === "partial";
    for (const field of form.querySelectorAll("[data-shown-for]")) {
      field.hidden =
        !field.dataset.shownFor.split(" ").includes(reporter) ||
        (partial && !("inPartial" in field.dataset));
    }
    form.querySelector('[data-field="follows"]').hidden = reportType !== "follow_up";
    for (const section of form.querySelectorAll("fieldset.section")) {
      section.hidden = ![...section.querySelectorAll("[data-field]")].some((f) => !f.hidden);
    }
    for (const step of steps.elements.steps) {
      if ([...step.querySelectorAll("fieldset.section")].some((s) => !s.hidden)) {
        delete step.dataset.empty;
      } else {
        step.dataset.empty = "";
      }
    }
    const forOthers = reporter !== "self";
    for (const words of form.querySelectorAll(".for-self")) words.hidden = forOthers;
    for (const words of form.querySelectorAll(".for-others")) words.hidden = !forOthers;
    document.getElementById("partial-note").hidden = !partial;
    steps.want(!partial);
  }

  // Next: the questions of this step are checked first; their errors stay on it.
  function nextStep() {
    clearErrors();
    const reportType = checkedValue("report_type") || "full";
    const { errors } = validate(reportType, collectAnswers());
    const here = steps.onThisStep(errors.map(([name]) => name));
    const shown = errors.filter(([name]) => here.includes(name));
    if (shown.length) showErrors(shown);
    else steps.next();
  }

  // The answers to the questions this reporter is shown, and only those filled in.
  function collectAnswers() {
    const answers = {};
    for (const field of form.querySelectorAll("[data-field]")) {
      const name = field.dataset.field;
      if (ENVELOPE.has(name) || field.hidden) continue;
      const kind = field.dataset.kind;
      if (kind === "choices") {
        const values = [...field.querySelectorAll("input:checked")].map((i) => i.value);
        if (values.length) answers[name] = values;
      } else if (kind === "choice") {
        const input = field.querySelector("input:checked");
        if (input) answers[name] = input.value;
      } else {
        const value = field.querySelector("input, textarea").value.trim();
        if (value) answers[name] = value;
      }
    }
    return answers;
  }

  function validate(reportType, answers) {
    const errors = [];
    let follows = null;
    if (reportType === "follow_up") {
      const typed = form.querySelector("#follows").value;
      follows = typed.trim() ? normaliseReportNumber(typed) : null;
      if (!typed.trim()) errors.push(["follows", msg("follows-required")]);
      else if (!follows) errors.push(["follows", msg("follows-invalid")]);
      if (!Object.keys(answers).length) errors.push(["what_happened", msg("follow-up-empty")]);
    }
    for (const name of required[reportType] || []) {
      if (!(name in answers)) errors.push([name, msg(`required-${name}`) || msg("required")]);
    }
    return { errors, follows };
  }

  // Errors beside their questions and in the summary (role=alert announces it).
  const errorSummary = formErrors(form, errorRegion, msg("errors-title"));
  const clearErrors = () => errorSummary.clear();

  function showErrors(errors, { retry = false, reload = false } = {}) {
    errorSummary.show(errors);
    if (retry) errorRegion.append(button(msg("retry"), () => form.requestSubmit()));
    if (reload) errorRegion.append(button(msg("reload"), reloadNewest));
  }

  function button(label, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  // Send the sealed report, once: whatever the answer, nothing is sealed again here.
  async function send(body) {
    return fetch(api, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      credentials: "omit", // never a member's session cookie with a report
      cache: "no-store",
      redirect: "error",
      referrerPolicy: "no-referrer",
      signal: giveUpAfter(),
    });
  }

  // The report sealed, once: the same answers give the same ciphertext and key (the
  // body to send), sealed to the key built into this page and only that. Null, with
  // the error shown, when libsodium cannot load or the page has no key.
  async function sealOnce(plaintext) {
    const sealed = await seal({
      plaintext,
      keyId: form.dataset.keyId,
      publicKey: form.dataset.publicKey,
      unless: pending ? pending.fingerprint : null,
    });
    if (sealed && sealed.noKey) {
      showErrors([[null, msg("no-key")]]);
      return null;
    }
    if (sealed && sealed.body !== null) pending = { fingerprint: sealed.fingerprint, body: sealed.body };
    if (!sealed || !pending || pending.fingerprint !== sealed.fingerprint) {
      showErrors([[null, msg("crypto")]]);
      return null;
    }
    form.dataset.sealedIn = sealedIn;
    return pending.body;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    if (steps.active() && !steps.isLast()) {
      nextStep(); // Enter in a question of an earlier step
      return;
    }
    clearErrors();
    const reportType = checkedValue("report_type") || "full";
    const answers = collectAnswers();
    const { errors, follows } = validate(reportType, answers);
    if (errors.length) {
      steps.showQuestion(errors[0][0]); // the step holding the first question to fix
      showErrors(errors);
      return;
    }
    const report = {
      schema: SCHEMA,
      report_type: reportType,
      follows,
      reporter: checkedValue("reporter") || "self",
      language: document.documentElement.lang || "en",
      answers,
    };
    busy = true; // a second press while the report is sealed sends nothing twice
    submit.disabled = true;
    status.textContent = msg("sending");
    try {
      const body = await sealOnce(JSON.stringify(report));
      if (!body) return;
      let response = null;
      if (navigator.onLine !== false) {
        try {
          await waitUntil(notBefore);
          response = await send(body);
        } catch {
          response = null;
        }
      }
      if (!response) {
        await keepForLater(body, report);
        return;
      }
      if (response.status === 201) {
        const { report_number: number } = await response.json();
        showSuccess(number, report);
        return;
      }
      const error = await readError(response);
      if (response.status >= 500 || response.status === 429) {
        notBefore = Date.now() + retryAfterMs(response);
      }
      if (response.status >= 500) {
        showErrors([[null, msg("unavailable")]], { retry: true });
      } else if (error.code === "unknown_key") {
        // Out of date: the form keeps everything typed; a reload brings the new key.
        showErrors([[null, msg("out-of-date")]], { reload: true });
      } else {
        const detail = apiMessage(form, error);
        showErrors([[null, msg("rejected")], ...(detail ? [[null, detail]] : [])], { retry: true });
      }
    } finally {
      busy = false;
      submit.disabled = false;
      status.textContent = "";
    }
  }

  // No connection: keep the sealed report in the outbox; app.js sends it when it can.
  async function keepForLater(body, report) {
    const { key_id: keyId, ciphertext, idempotency_key: id } = JSON.parse(body);
    try {
      await queue({ id, keyId, ciphertext });
    } catch {
      showErrors([[null, msg("storage")]], { retry: true });
      return;
    }
    pending = null;
    showSuccess(null, report, id);
    window.dispatchEvent(new Event("outbox-queued"));
  }

  // The label a person saw for a question, without the "(projects only)" note.
  function labelOf(field) {
    const label = field.querySelector("legend, label").cloneNode(true);
    for (const note of label.querySelectorAll(".shown-for, [hidden]")) note.remove();
    return label.textContent.trim();
  }

  function optionLabel(field, value) {
    const label = field.querySelector(`label[for="${field.dataset.field}-${value}"]`);
    return label ? label.textContent.trim() : value;
  }

  // [label, value] pairs of everything in the report, as the person saw it.
  function summary(number, report) {
    const byName = (name) => form.querySelector(`[data-field="${name}"]`);
    const pairs = [
      [text("number"), number],
      [text("report-type"), optionLabel(byName("report_type"), report.report_type)],
      [text("reporter"), optionLabel(byName("reporter"), report.reporter)],
    ];
    if (report.follows) pairs.push([text("follows"), report.follows]);
    for (const [name, value] of Object.entries(report.answers)) {
      const field = byName(name);
      const shown = Array.isArray(value)
        ? value.map((v) => optionLabel(field, v)).join(", ")
        : field.dataset.kind === "choice"
          ? optionLabel(field, value)
          : value;
      pairs.push([labelOf(field), shown]);
    }
    return pairs;
  }

  // The report sent (with its number), or sealed and waiting in the outbox (`queuedId`).
  function showSuccess(number, report, queuedId = null) {
    pending = null;
    const pairs = summary(number || text("not-sent"), report);
    form.hidden = true;
    form.reset(); // what was typed now lives only in the copy below, until the page closes
    success.hidden = false;
    const mail = memberType ? setUpNumberMail(document.getElementById("report-mail")) : null;
    const title = document.getElementById("report-success-title");
    const sentTitle = title.textContent;
    const numberLabel = document.getElementById("report-number-label");
    const queuedNote = document.getElementById("report-queued");

    const showNumber = (value) => {
      pairs[0][1] = value;
      if (mail) mail.offer(value);
      // Created only now, so that anything waiting for #report-number waits for the answer.
      const numberElement = document.createElement("p");
      numberElement.className = "report-number";
      numberElement.id = "report-number";
      numberElement.textContent = value;
      numberLabel.after(numberElement);
      drawCopy();
    };

    if (number) {
      showNumber(number);
    } else {
      title.textContent = msg("queued-title");
      numberLabel.hidden = true;
      queuedNote.hidden = false;
      drawCopy();
      window.addEventListener("outbox-sent", function sent(event) {
        if (event.detail.id !== queuedId) return;
        event.detail.shown = true;
        window.removeEventListener("outbox-sent", sent);
        title.textContent = sentTitle;
        queuedNote.hidden = true;
        numberLabel.hidden = false;
        showNumber(event.detail.number);
        success.focus();
      });
    }

    function drawCopy() {
      const copy = document.getElementById("report-copy");
      const heading = document.createElement("h2");
      heading.textContent = text("title");
      const list = document.createElement("dl");
      for (const [term, value] of pairs) {
        const dt = document.createElement("dt");
        dt.textContent = term;
        const dd = document.createElement("dd");
        dd.textContent = value;
        list.append(dt, dd);
      }
      copy.replaceChildren(heading, list);
    }

    document.getElementById("report-print").addEventListener("click", () => window.print());
    document.getElementById("report-save").addEventListener("click", () => {
      const lines = [text("title"), ""];
      for (const [label, value] of pairs) lines.push(`${label}:`, value, "");
      lines.push(text("warning"), "");
      const blob = new Blob([lines.join("\n")], { type: "text/plain;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `${pairs[0][1]}.txt`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    success.focus();
  }
}
