// API tokens of a project or site member: make one (shown once), see each one's last
// use, revoke one. A token only reads the signed alert bundle (docs/integration.md).
// The token is only ever put in a read-only field, never stored by this page.
import { errorFor, formErrors, messages, readError, request } from "./form-common.mjs";

const app = document.getElementById("tokens-app");
if (app) setUp(app);

function setUp(app) {
  const api = app.dataset.api;
  const msg = messages(app);
  const byId = (id) => document.getElementById(id);

  function sessionEnded() {
    byId("tokens-section").hidden = true;
    byId("tokens-login").hidden = false;
  }

  function when(stamp) {
    return stamp ? String(stamp).replace("T", " ").slice(0, 16) : msg("token-never");
  }

  async function loadTokens() {
    let response;
    try {
      response = await request(`${api}/members/me/tokens`);
    } catch {
      byId("tokens-status").textContent = msg("network");
      return;
    }
    if (response.status === 401) return sessionEnded();
    if (!response.ok) {
      byId("tokens-status").textContent = msg(response.status >= 500 ? "unavailable" : "rejected");
      return;
    }
    byId("tokens-section").hidden = false;
    const { tokens } = await response.json();
    const rows = (Array.isArray(tokens) ? tokens : []).map((token) => {
      const row = document.createElement("tr");
      for (const text of [token.name, when(token.created_at), when(token.last_used)]) {
        const cell = document.createElement("td");
        cell.textContent = String(text || "");
        row.append(cell);
      }
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = msg("token-revoke");
      button.setAttribute("aria-label", `${msg("token-revoke")}: ${token.name}`);
      button.addEventListener("click", () => revokeToken(token));
      const cell = document.createElement("td");
      cell.append(button);
      row.append(cell);
      return row;
    });
    byId("token-list").replaceChildren(...rows);
    byId("token-table").hidden = !rows.length;
  }

  async function revokeToken(token) {
    if (!window.confirm(msg("token-revoke-confirm").replace("{name}", token.name))) return;
    const response = await request(`${api}/members/me/tokens/${encodeURIComponent(token.id)}`, {
      method: "DELETE",
    }).catch(() => null);
    if (response && response.status === 401) return sessionEnded();
    byId("tokens-status").textContent = msg(response && response.ok ? "token-revoked" : "network");
    await loadTokens();
  }

  function setUpTokens() {
    const form = byId("token-form");
    const errors = formErrors(form, byId("token-error"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = byId("token-name").value.trim();
      byId("token-new").hidden = true;
      if (!name) {
        errors.show([["token-name", msg("token-name")]]);
        return;
      }
      let response;
      try {
        response = await request(`${api}/members/me/tokens`, { method: "POST", body: { name } });
      } catch {
        errors.show([[null, msg("network")]]);
        return;
      }
      if (response.status === 401) return sessionEnded();
      if (!response.ok) {
        const error = await readError(response);
        errors.show([errorFor(error, msg(response.status >= 500 ? "unavailable" : "rejected"), form)]);
        return;
      }
      errors.clear();
      form.reset();
      byId("token-value").value = (await response.json()).token;
      byId("token-new").hidden = false;
      byId("token-value").select();
      await loadTokens();
    });
    window.addEventListener("quick-exit", () => {
      byId("token-value").value = "";
    });
  }

  setUpTokens();
  loadTokens();
}
