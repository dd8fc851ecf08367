// "E-mail this number to me", for a logged-in member once their report has a number.
// Only on the member's request: the number goes with their session to the members API,
// which sends one e-mail and keeps no note of it. The report's own request never
// carries the session, so the scheme cannot tie the two together from what it stores.
import { messages, request } from "./form-common.mjs";
import { forgetMemberType } from "./member-hint.mjs";

export function setUpNumberMail(panel) {
  const msg = messages(panel);
  const button = document.getElementById("report-mail-send");
  const status = document.getElementById("report-mail-status");
  let number = null;

  button.addEventListener("click", async () => {
    if (!number || button.disabled) return;
    button.disabled = true;
    status.textContent = "";
    let response = null;
    try {
      response = await request(panel.dataset.api, {
        method: "POST",
        body: { report_number: number },
      });
    } catch {
      response = null;
    }
    if (response && response.status === 204) {
      status.textContent = msg("sent");
      return; // sent once: the button stays off
    }
    if (response && response.status === 401) forgetMemberType();
    status.textContent = msg(
      !response
        ? "failed"
        : response.status === 401
          ? "logged-out"
          : response.status === 429
            ? "not-sent"
            : "failed",
    );
    button.disabled = response && response.status === 429;
  });
  window.addEventListener("quick-exit", () => {
    number = null;
  });

  return {
    offer(value) {
      number = value;
      panel.hidden = false;
    },
  };
}
