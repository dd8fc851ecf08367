// The member survey (docs/survey.md) in the member area: shown while a round is open
// and this membership has not answered it. The answers go with a random submission id
// kept until they are recorded, so sending again after a lost connection is recorded
// once. Every word shown comes from the page (data-msg-*, data-errors).
import { apiMessage, errorFor, formErrors, messages, readError, request } from "./form-common.mjs";

const section = document.getElementById("survey-section");
const app = document.getElementById("members-app");
if (section && app) setUp(section, app);

function setUp(section, app) {
  const api = app.dataset.api;
  const msg = messages(section);
  const appMsg = messages(app);
  const form = document.getElementById("survey-form");
  const status = document.getElementById("survey-status");
  const errors = formErrors(form, document.getElementById("survey-error"));
  const memberSection = document.getElementById("member-section");
  const questions = ["alert_helped", "feel_safer"];
  let round = null;
  let submission = null; // kept for retries of the same answers

  // member-area.mjs shows #member-section once someone is logged in and hides it when
  // they log out: ask the API then, and hide the survey with it.
  const watch = () => (memberSection.hidden ? (section.hidden = true) : refresh());
  new MutationObserver(watch).observe(memberSection, { attributeFilter: ["hidden"] });
  if (!memberSection.hidden) refresh();
  form.addEventListener("input", () => (submission = null)); // other answers, a new id
  form.addEventListener("submit", send);

  async function refresh() {
    const response = await request(`${api}/members/me/survey`).catch(() => null);
    const state = response && response.ok ? await response.json().catch(() => ({})) : {};
    round = state.round && !state.answered ? state.round.id : null;
    if (round && form.hidden) {
      form.reset(); // another member logged in on this page
      form.hidden = false;
      status.textContent = "";
    }
    section.hidden = !round;
  }

  async function send(event) {
    event.preventDefault();
    const chosen = Object.fromEntries(new FormData(form));
    const missing = questions.filter((name) => !chosen[name]);
    if (missing.length) return errors.show(missing.map((name) => [name, msg("choose")]));
    errors.clear();
    status.textContent = "";
    submission ??= randomId();
    const body = { round, submission, alert_helped: chosen.alert_helped, feel_safer: chosen.feel_safer };
    if (chosen.comment && chosen.comment.trim()) body.comment = chosen.comment;
    const response = await request(`${api}/members/me/survey`, { method: "POST", body }).catch(
      () => null,
    );
    if (!response) return (status.textContent = appMsg("network"));
    if (response.ok) return finish(msg("thanks"));
    const error = await readError(response);
    if (["already_answered", "survey_closed"].includes(error.code)) {
      return finish(apiMessage(app, error));
    }
    if (response.status === 401) return (status.textContent = appMsg("session-ended"));
    const fallback = appMsg(response.status >= 500 ? "unavailable" : "rejected");
    errors.show([errorFor(error, fallback, form)]);
  }

  function finish(text) {
    form.hidden = true;
    submission = null;
    status.textContent = text;
    document.getElementById("survey-title").focus();
  }
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}
