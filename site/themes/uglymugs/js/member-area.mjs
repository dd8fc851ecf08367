// The member area: log in, check a client's details, read verified alerts, choose
// how alerts arrive, log out.
//
// Alerts are shown only from a bundle whose Ed25519 signature verifies against the
// bundle key built into this page (never a key fetched beside the bundle), exactly as
// uglymugs.alerts.signing checks it: the key id is the page's, the SHA-256 of the
// bundle bytes is the one signed, and the signature over those bytes verifies. Any
// failure shows a warning and no alert. Alert text is only ever set as textContent.
// An alert shows its translation into the page's language when its file has one,
// with the English original a button press away.
// The session is an HttpOnly cookie: this script never sees it.
// Offline, it shows the last bundle that verified (saved-bundle.mjs), verified again.
// Never older: a bundle whose sequence or generation time is below the newest one
// verified on this device is refused with a warning (it may bring back a withdrawn
// alert), and the saved copy, if it is newer, is shown instead; it is never replaced
// by an older one.
import { apiMessage, errorFor, formErrors, messages, readError, request } from "./form-common.mjs";
import {
  forgetBundle,
  isOlder,
  keepBundle,
  keptBundle,
  newer,
  seenMark,
} from "./saved-bundle.mjs";
import { forgetMemberType, rememberMemberType } from "./member-hint.mjs";
import { prepareVerifier, verifiedIn, verify } from "./bundle-verifier.mjs";
import { newestFirst } from "./bundle-check.mjs";

// libsodium (dist/sodium.js, built from sodium.mjs) verifies bundles, in a Web Worker
// where it can (bundle-verifier.mjs). It is loaded, checked against its SRI hash, only
// when a bundle is to be verified: when someone is logged in (or about to), or the
// saved copy is shown. Compiling it at every visit blocked the page's main thread for
// 1.5 s on a slowed phone, login form or not.
const loadSodium = () => {
  prepareVerifier();
};

const ALL_SCOPE = "all"; // a bundle's scope: every alert, or one region's
const REGION_SCOPE = "region:";
const REGION_SHARE = 4; // read the member's regions' bundles when they chose ≤ 1 in 4
const PAGE_SIZE = 20; // cards built at a time: a few screens of a phone
const FIRST_SCREEN = 5; // cards built before a filter change is drawn: one phone screen
const KEEP_AT_LATEST_MS = 1000; // the offline copy is kept by then, frame drawn or not
const SEARCH_SLICE_MS = 10; // the longest stretch of search text made in one idle moment

const app = document.getElementById("members-app");
if (app) setUp(app);

function setUp(app) {
  const api = app.dataset.api;
  const msg = messages(app);
  const labels = JSON.parse(app.dataset.labels || "{}");
  const byId = (id) => document.getElementById(id);
  const pageLanguage = (document.documentElement.lang || "en").toLowerCase();
  const dateFormat = longDateFormat(pageLanguage);
  const loading = byId("members-loading");
  const loginSection = byId("login-section");
  const memberSection = byId("member-section");
  let alerts = []; // [{alert, item, haystack}] of the verified bundle, newest first
  let matching = []; // the entries the filters let through, in the same order
  let byRegion = null; // {from: alerts, entries: Map(region → its entries, in order)}
  let rendered = 0; // how many of `matching` are in the list
  let appliedFilters = null; // the filter values `matching` was made with…
  let matchingFrom = null; // …from this `alerts` list
  let appliedSearch = null; // {others, typed}: the search typed, beside the other filters
  let offline = false; // showing the bundle saved on this device
  let seenHere = null; // the newest {sequence, generated_at} this page has verified
  const selected = new Set(); // numbers of the alerts selected to pass on
  let chosenRegions = []; // the member's regions: only their bundles are read, if few
  let everyRegion = false; // …unless the member asked for every region's alerts
  // Counts the times the page went back to the login form (logging out, a session
  // ending): a bundle still being verified from before is then neither shown nor kept,
  // so logging out during a slow verification leaves no alerts on the device.
  let signIns = 0;

  loginSection.addEventListener("focusin", loadSodium, { once: true, passive: true });

  setUpLogin();
  setUpForgot();
  setUpCheck();
  setUpFilters();
  setUpPaging();
  setUpPreferences();
  setUpMyData();
  setUpPassingOn();
  setUpMobile();
  byId("logout").addEventListener("click", logOut);
  byId("alerts-every-region").addEventListener("click", () => {
    everyRegion = true;
    loadAlerts();
  });
  byId("alerts-print").addEventListener("click", () => {
    renderUpTo(matching.length);
    window.print();
  });
  window.addEventListener("online", () => {
    if (offline) loadMember({ focus: false });
  });
  window.addEventListener("device-cleared", () => {
    seenHere = null;
    showLogin("");
  });
  loadMember({ focus: false });

  // --- Who is logged in ------------------------------------------------------------

  // GET /api/session answers 200 whether or not anyone is logged in: asking
  // /api/members/me logged a 401 as a console error at every logged-out visit.
  async function loadMember({ focus }) {
    let response;
    try {
      response = await request(`${api}/session`);
    } catch {
      await showSaved();
      return;
    }
    const status = response.ok ? await response.json().catch(() => null) : null;
    if (!status || (status.signed_in && !status.member)) {
      showLogin(msg("unavailable"));
      return;
    }
    if (!status.signed_in) {
      await forgetBundle().catch(() => {});
      showLogin("");
      return;
    }
    setOffline(false);
    loadSodium(); // while the member and their bundle arrive
    const member = status.member;
    rememberMemberType(member.membership_type); // the report form's starting answer
    byId("member-name").textContent = member.username || "";
    fillPreferences(member.preferences || {});
    showMemberExtras(member);
    loading.hidden = true;
    loginSection.hidden = true;
    memberSection.hidden = false;
    if (focus) byId("check-title").focus();
    chosenRegions = (member.preferences && member.preferences.regions) || [];
    loadAlerts();
  }

  // No connection: the alerts saved on this device, if they verify again.
  async function showSaved() {
    let saved = null;
    try {
      saved = await keptBundle();
    } catch {
      saved = null;
    }
    if (!saved) {
      showLogin(msg("network"));
      return;
    }
    setOffline(true);
    loading.hidden = true;
    loginSection.hidden = true;
    memberSection.hidden = false;
    showBundle(saved, { keep: false });
  }

  // Offline, only the saved alerts: no check, no choices, no name.
  function setOffline(value) {
    offline = value;
    for (const id of ["member-bar", "check-section", "preferences-section"]) {
      byId(id).hidden = value;
    }
    byId("members-offline").hidden = !value;
    if (value) byId("mobile-section").hidden = true;
  }

  // Show the login form; forget everything shown to the member.
  function showLogin(notice) {
    signIns += 1;
    forgetMemberType();
    setOffline(false);
    loading.hidden = true;
    memberSection.hidden = true;
    loginSection.hidden = false;
    alerts = [];
    matching = [];
    rendered = 0;
    chosenRegions = [];
    everyRegion = false;
    byId("alert-list").replaceChildren();
    byId("check-result").replaceChildren();
    byId("member-name").textContent = "";
    forgetSelection();
    for (const form of memberSection.querySelectorAll("form")) form.reset();
    const status = byId("login-notice");
    status.textContent = notice || "";
    status.hidden = !notice;
  }

  function sessionEnded() {
    showLogin(msg("session-ended"));
    byId("login").focus();
  }

  function setUpLogin() {
    const form = byId("login-form");
    const errors = formErrors(form, byId("login-error"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const login = byId("login").value.trim();
      const password = byId("password").value;
      const found = [];
      if (!login) found.push(["login", msg("login-required")]);
      if (!password) found.push(["password", msg("password-required")]);
      if (found.length) {
        errors.show(found);
        return;
      }
      const button = byId("login-submit");
      button.disabled = true;
      try {
        let response;
        try {
          response = await request(`${api}/session`, {
            method: "POST",
            body: { login, password },
          });
        } catch {
          errors.show([[null, msg("network")]]);
          return;
        }
        if (response.ok) {
          errors.clear();
          form.reset();
          await loadMember({ focus: true });
        } else if (response.status === 401) {
          byId("password").value = "";
          errors.show([[null, msg("login-wrong")]]);
        } else if (response.status >= 500) {
          errors.show([[null, msg("unavailable")]]);
        } else {
          const error = await readError(response);
          const fallback = msg(response.status === 429 ? "locked" : "login-wrong");
          errors.show([[null, apiMessage(form, error) || fallback]]);
        }
      } finally {
        button.disabled = false;
      }
    });
  }

  function setUpForgot() {
    const form = byId("forgot-form");
    const errors = formErrors(form, byId("forgot-error"));
    const done = byId("forgot-done");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      done.textContent = "";
      const login = byId("forgot-login").value.trim();
      if (!login) {
        errors.show([["forgot-login", msg("login-required")]]);
        return;
      }
      let response;
      try {
        response = await request(`${api}/members/password-reset`, {
          method: "POST",
          body: { login },
        });
      } catch {
        errors.show([[null, msg("network")]]);
        return;
      }
      if (response.ok) {
        errors.clear();
        form.reset();
        done.textContent = msg("forgot-done");
      } else if (response.status === 429) {
        const error = await readError(response);
        errors.show([[null, apiMessage(form, error) || msg("rate-limited")]]);
      } else {
        errors.show([[null, msg(response.status >= 500 ? "unavailable" : "rejected")]]);
      }
    });
  }

  async function logOut() {
    signIns += 1; // before forgetting: a verification finishing now must not keep it
    await forgetBundle().catch(() => {});
    try {
      await request(`${api}/session`, { method: "DELETE" });
    } catch {
      // Forget everything on this page all the same; the cookie expires by itself.
    }
    showLogin(msg("logged-out"));
    byId("login").focus();
  }

  // --- The member's own data: download it, or close the account -------------------

  function setUpMyData() {
    const status = byId("my-data-status");
    byId("my-data-download").addEventListener("click", async () => {
      status.textContent = "";
      let response;
      try {
        response = await request(`${api}/members/me/data`);
      } catch {
        status.textContent = msg("network");
        return;
      }
      if (response.status === 401) return showLogin(msg("session-ended"));
      if (!response.ok) {
        status.textContent = msg(response.status >= 500 ? "unavailable" : "rejected");
        return;
      }
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = "uglymugs-my-data.json";
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
    byId("close-account").addEventListener("click", async () => {
      if (!window.confirm(msg("close-confirm"))) return;
      let response;
      try {
        response = await request(`${api}/members/me`, { method: "DELETE" });
      } catch {
        status.textContent = msg("network");
        return;
      }
      if (response.status === 204) {
        await forgetBundle().catch(() => {});
        showLogin(msg("account-closed"));
      } else if (response.status === 401) {
        showLogin(msg("session-ended"));
      } else {
        status.textContent = msg(response.status >= 500 ? "unavailable" : "rejected");
      }
    });
  }

  // --- Checking a client's details -------------------------------------------------

  function setUpCheck() {
    const form = byId("check-form");
    const errors = formErrors(form, byId("check-error"));
    const result = byId("check-result");
    const button = byId("check-submit");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const kind = byId("check-kind").value;
      const value = byId("check-value").value.trim();
      result.replaceChildren();
      if (!value) {
        errors.show([["check-value", msg("check-value")]]);
        return;
      }
      errors.clear();
      button.disabled = true;
      result.append(paragraph(msg("checking")));
      let response;
      try {
        response = await request(`${api}/check`, { method: "POST", body: { kind, value } });
      } catch {
        result.replaceChildren(paragraph(msg("network")));
        return;
      } finally {
        button.disabled = false;
      }
      if (response.status === 401) {
        sessionEnded();
        return;
      }
      if (!response.ok) {
        const error = await readError(response);
        result.replaceChildren();
        if (response.status === 429) {
          errors.show([[null, apiMessage(form, error) || msg("rate-limited")]]);
        } else if (response.status >= 500) {
          errors.show([[null, msg("unavailable")]]);
        } else {
          errors.show([errorFor(error, msg("check-rejected"), form)]);
        }
        return;
      }
      const { matches } = await response.json();
      showMatches(Array.isArray(matches) ? matches : []);
    });
  }

  function showMatches(matches) {
    const result = byId("check-result");
    if (!matches.length) {
      const none = paragraph(msg("check-none"));
      none.className = "check-none";
      result.replaceChildren(none);
      return;
    }
    const heading = paragraph(msg("check-found"));
    heading.className = "check-found";
    const list = document.createElement("ul");
    list.className = "check-matches";
    let partial = false;
    for (const match of matches) {
      const item = document.createElement("li");
      const number = String(match.number || "");
      const title = document.createElement("strong");
      title.textContent = `${labels.fields.alert} ${number}`;
      const card = byId(`alert-${number}`);
      if (card) {
        const link = document.createElement("a");
        link.href = `#alert-${number}`;
        link.append(title);
        item.append(link);
      } else {
        item.append(title);
      }
      const details = [
        [labels.fields.issued, match.issued],
        [labels.fields.region, valueLabel("region", match.region)],
        [labels.fields.risk, valueLabel("risk", match.risk)],
      ]
        .filter(([, value]) => value)
        .map(([label, value]) => `${label}: ${value}`);
      item.append(` — ${details.join(", ")}`);
      const why = plateReasons(match.plate);
      if (why.length) {
        partial = true;
        item.append(...why.map(paragraph));
      }
      list.append(item);
    }
    result.replaceChildren(heading, list);
    if (partial) result.append(paragraph(msg("check-plate-miss")));
  }

  // Why a plate check matched an alert whose plate is only partly known, or misread.
  function plateReasons(plate) {
    if (!plate || plate.match !== "compatible") return [];
    const reasons = [msg("check-plate-compatible").replace("{plate}", () => String(plate.alert_plate))];
    for (const pair of Array.isArray(plate.misread) ? plate.misread : []) {
      const [yours, theirs] = pair.map(String);
      reasons.push(msg("check-plate-misread")
          .replace("{yours}", () => yours)
          .replace("{theirs}", () => theirs),
      );
    }
    return reasons;
  }

  // --- Alerts from the verified bundle --------------------------------------------

  function resetAlerts() {
    byId("alerts-warning").hidden = true;
    byId("alerts-rollback").hidden = true;
    byId("alerts-regions").hidden = true;
    byId("alert-filters").hidden = true;
    byId("alerts-actions").hidden = true;
    byId("alerts-passing-on").hidden = true;
    byId("alerts-count").textContent = "";
  }

  // The bundles to read: the member's regions' own when they chose a few of them
  // (publish signs a bundle for each region, empty when it holds no alert, and every
  // alert is in its region's bundle, so a few regions' bundles are smaller than every
  // alert's); else
  // the bundle of every alert.
  function wantedScopes() {
    const regionCount = document.querySelectorAll('input[name="regions"]').length;
    const few = chosenRegions.length > 0 && chosenRegions.length * REGION_SHARE <= regionCount;
    return few && !everyRegion ? chosenRegions.map((id) => `${REGION_SCOPE}${id}`) : [ALL_SCOPE];
  }

  async function loadAlerts() {
    const status = byId("alerts-status");
    const signIn = signIns;
    resetAlerts();
    status.textContent = msg("alerts-loading");
    let parts = await Promise.all(wantedScopes().map(fetchPart));
    if (signIn !== signIns) return; // logged out while the bundles came
    if (parts.includes("missing")) parts = [await fetchPart(ALL_SCOPE)];
    if (signIn !== signIns) return;
    if (parts.includes("ended")) {
      sessionEnded();
      return;
    }
    if (parts.includes("unavailable")) {
      status.textContent = msg("alerts-unavailable");
      return;
    }
    await showBundle({ parts }, { keep: true, signIn });
  }

  // {scope, answer} from GET /api/alerts/bundle[?region=ID]. A region without alerts
  // answers 200 with its signed empty bundle, checked like any other. A region's 404
  // no_bundle (a publish made before those were signed, or a server hiding a region)
  // is "missing": the bundle of every alert is read instead, so no answer the
  // signature does not cover can leave a region's alerts out.
  async function fetchPart(scope) {
    const region = scope.startsWith(REGION_SCOPE) ? scope.slice(REGION_SCOPE.length) : null;
    const query = region ? `?region=${encodeURIComponent(region)}` : "";
    let response;
    try {
      response = await request(`${api}/alerts/bundle${query}`);
    } catch {
      return "unavailable";
    }
    if (response.status === 401) return "ended";
    if (region && response.status === 404) {
      const error = await readError(response);
      if (error && error.code === "no_bundle") return "missing";
    }
    if (!response.ok) return "unavailable";
    const answer = await response.json().catch(() => null);
    return { scope, answer };
  }

  // Verify the bundles (from the server, or saved on this device) and show their
  // alerts, or the warning and no alert. Bundles older than one already verified here
  // are not shown: the rollback warning, and the saved copy instead if it is not
  // older. Bundles from the server that verify are kept, unless something newer was.
  async function showBundle(set, { keep, signIn = signIns }) {
    const status = byId("alerts-status");
    resetAlerts();
    const verified = await verifiedSet(set);
    if (signIn !== signIns) return; // logged out meanwhile
    performance.mark("uglymugs:alerts-verified"); // benchmarks/member_area.py reads these
    status.textContent = "";
    if (!verified) {
      clearAlerts();
      byId("alerts-warning").hidden = false;
      return;
    }
    const seen = newer(seenHere, await seenMark().catch(() => null));
    if (signIn !== signIns) return;
    if (verified.marks.some((mark) => isOlder(mark, seen))) {
      await showRolledBack(seen, signIn);
      return;
    }
    const mark = verified.marks.reduce(newer, null);
    seenHere = newer(seenHere, mark);
    showVerified(verified);
    performance.mark("uglymugs:alerts-shown");
    if (keep && mark) keepAfterPaint(verified.kept, mark, signIn);
  }

  // Keep the verified bundles for offline reading once the first screen is drawn:
  // copying 25,000 alerts' bytes into IndexedDB is work on this thread the first
  // alerts need not wait for. Not if the member has logged out meanwhile (`signIn`):
  // logging out leaves nothing on the device. A hidden tab draws no frame, so a timer
  // keeps it all the same.
  function keepAfterPaint(kept, mark, signIn) {
    let done = false;
    const keepNow = () => {
      if (done) return;
      done = true;
      if (signIn === signIns) keepBundle(kept, mark).catch(() => {});
    };
    requestAnimationFrame(() => setTimeout(keepNow));
    setTimeout(keepNow, KEEP_AT_LATEST_MS);
  }

  // An older bundle was served: warn, and show the saved copy if it is not older.
  async function showRolledBack(seen, signIn) {
    const saved = await verifiedSet(await keptBundle().catch(() => null));
    if (signIn !== signIns) return;
    clearAlerts();
    byId("alerts-rollback").hidden = false;
    if (!saved) return;
    if (!saved.marks.some((mark) => isOlder(mark, seen))) showVerified(saved);
  }

  function showVerified({ bundles, regional }) {
    const published = bundles.map((bundle) => String(bundle.generated_at || "").slice(0, 10));
    const date = published.sort().pop() || "";
    byId("members-offline").textContent = msg("offline").replace("{date}", date);
    byId("alerts-regions").hidden = !regional;
    // Each bundle's alerts come newest first from the verifier (bundle-check.mjs); only
    // several regions' bundles need merging.
    const list = bundles.length === 1 ? bundles[0].alerts : newestFirst(bundles.flatMap((b) => b.alerts));
    showAlerts(list);
  }

  // {bundles, marks, kept, regional} when every bundle of `set` ({parts: [{scope,
  // answer}]}, or a copy saved before regions were read: {bundle, signature}) verifies
  // and is of the scope it was asked for; else null. `kept` is what to save.
  async function verifiedSet(set) {
    if (!set || typeof set !== "object") return null;
    const parts = Array.isArray(set.parts)
      ? set.parts
      : [{ scope: ALL_SCOPE, answer: { bundle: set.bundle, signature: set.signature } }];
    if (!parts.length) return null;
    const found = await Promise.all(
      parts.map(async (part) => {
        if (!part || typeof part.scope !== "string") return null;
        const checked = await verifiedAnswer(part.answer);
        if (!checked || checked.bundle.scope !== part.scope) return null;
        return { part: { scope: part.scope, answer: checked.kept }, bundle: checked.bundle };
      }),
    );
    if (found.some((each) => !each)) return null;
    const bundles = found.map((each) => each.bundle);
    return {
      bundles,
      marks: bundles.map((bundle) => ({ sequence: bundle.sequence, generated_at: bundle.generated_at })),
      kept: { parts: found.map((each) => each.part) },
      regional: parts.some((part) => part.scope !== ALL_SCOPE),
    };
  }

  function clearAlerts() {
    alerts = [];
    matching = [];
    rendered = 0;
    byId("alert-list").replaceChildren();
  }

  // {bundle, kept} if `answer` (the API's, or the saved copy) verifies; else null.
  // `kept` is what to save: the bytes that verified, whichever way they came.
  async function verifiedAnswer(answer) {
    try {
      if (!answer) return null;
      const source = await bundleBytes(answer);
      if (!source) return null;
      const verified = await verify({
        ...source,
        signature: answer.signature,
        keyId: app.dataset.bundleKeyId,
        verifyKey: app.dataset.bundleVerifyKey,
      });
      app.dataset.verifiedIn = verifiedIn || "";
      if (!verified) return null;
      const kept = { bundle: verified.base64, signature: answer.signature };
      return { bundle: verified.bundle, kept };
    } catch {
      return null;
    }
  }

  // The bundle's bytes: inline as base64 (uglymugs dev, or saved on this device), or
  // fetched from the signed URL the API gives on AWS. That URL must be on this page's
  // own origin (CloudFront serves the bundle files there); the session cookie is not
  // sent with it. Else null.
  async function bundleBytes(document) {
    if (!document) return null;
    if (typeof document.bundle === "string") return { base64: document.bundle };
    if (typeof document.url !== "string") return null;
    const url = new URL(document.url, window.location.href);
    if (url.origin !== window.location.origin) return null;
    const response = await fetch(url, { credentials: "omit", redirect: "error" });
    if (!response.ok) return null;
    return { bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  // The list shows a page of cards at a time and adds the next page as the end of the
  // list scrolls into view: at 25,000 alerts, building every card at once froze a
  // cheap phone for tens of seconds. Filtering works on the alerts' data (each one's
  // search text made once, when first searched) and builds only the cards it shows.
  // `list` is newest first already.
  function showAlerts(list) {
    alerts = list.map((alert) => ({ alert, item: null, haystack: null }));
    matching = alerts;
    rendered = 0;
    byId("alert-list").replaceChildren();
    if (!alerts.length) {
      byId("alerts-status").textContent = msg("alerts-none");
      return;
    }
    byId("alert-filters").hidden = false;
    byId("alerts-actions").hidden = false;
    byId("alerts-passing-on").hidden = false;
    applyFilters();
    // The region index is made in the first idle moment, so that not even the first
    // region change goes through every alert; then each alert's search text.
    const shown = alerts;
    const whenIdle = window.requestIdleCallback || setTimeout;
    whenIdle(() => {
      if (shown === alerts && shown.length) regionEntries("");
    });
    prepareSearch(alerts);
  }

  // Each alert's search text, made in idle moments after the list is shown (never
  // past the idle period's deadline, and never more than SEARCH_SLICE_MS at a time, so
  // a tap or a filter change waits for no more than that): made at the first search,
  // 10,000 of them took over half a second on a slowed phone.
  function prepareSearch(list, from = 0) {
    const later = (work) => {
      if (window.requestIdleCallback) {
        window.requestIdleCallback((deadline) => {
          const end = performance.now() + SEARCH_SLICE_MS;
          work(() => deadline.timeRemaining() > 1 && performance.now() < end);
        });
        return;
      }
      setTimeout(() => {
        const end = performance.now() + 8;
        work(() => performance.now() < end);
      }, 50);
    };
    later((timeLeft) => {
      if (list !== alerts) return; // another bundle, or the quick exit, since
      let index = from;
      while (index < list.length && timeLeft()) {
        list[index].haystack ??= searchText(list[index].alert);
        index += 1;
      }
      if (index < list.length) prepareSearch(list, index);
    });
  }

  function itemOf(entry) {
    if (!entry.item) {
      entry.item = document.createElement("li");
      entry.item.append(alertCard(entry.alert));
      addSelectBox(entry);
    }
    return entry.item;
  }

  // Add cards to the list until `count` of the matching alerts are shown.
  function renderUpTo(count) {
    const upTo = Math.min(count, matching.length);
    if (upTo <= rendered) return;
    const items = matching.slice(rendered, upTo).map(itemOf);
    byId("alert-list").append(...items);
    rendered = upTo;
  }

  function setUpPaging() {
    const sentinel = document.createElement("div");
    sentinel.className = "alert-list-end";
    sentinel.setAttribute("aria-hidden", "true");
    byId("alert-list").after(sentinel);
    if ("IntersectionObserver" in window) {
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) renderUpTo(rendered + PAGE_SIZE);
        },
        { rootMargin: "800px 0px" },
      );
      observer.observe(sentinel);
    }
    // Printing prints what is selected: every matching alert, not only the first pages.
    window.addEventListener("beforeprint", () => renderUpTo(matching.length));
    // The quick exit empties the list; no later scroll may build its cards again.
    window.addEventListener("quick-exit", () => {
      alerts = [];
      matching = [];
      rendered = 0;
    });
  }

  function valueLabel(kind, value) {
    const known = labels.values && labels.values[kind];
    return (known && known[value]) || (value == null ? "" : String(value));
  }

  function paragraph(text) {
    const element = document.createElement("p");
    element.textContent = text;
    return element;
  }

  // The alert's translation into the page's language, or null: `pl` for a Polish
  // page; `pt-BR`, then `pt`, for Brazilian Portuguese; `zh-Hans`, `zh-CN`, `zh-SG`,
  // then `zh`, for Simplified Chinese. English pages show the original.
  function translationOf(alert) {
    const translations = alert.translations;
    if (!translations || typeof translations !== "object" || pageLanguage === "en") return null;
    const byKey = new Map(Object.entries(translations).map(([key, v]) => [key.toLowerCase(), [key, v]]));
    const primary = pageLanguage.split("-")[0];
    const wanted = [pageLanguage, ...(pageLanguage === "zh-hans" ? ["zh-cn", "zh-sg"] : []), primary];
    for (const key of wanted) {
      const found = byKey.get(key);
      if (found && found[1] && typeof found[1].what_happened === "string") {
        return { lang: found[0], area: found[1].area, whatHappened: found[1].what_happened };
      }
    }
    return null;
  }

  function textBlock(text, lang) {
    const block = document.createElement("div");
    block.lang = lang;
    for (const part of String(text).split(/\n\s*\n/)) {
      if (part.trim()) block.append(paragraph(part.trim()));
    }
    return block;
  }

  function inLanguage(text, lang) {
    const span = document.createElement("span");
    span.lang = lang;
    span.textContent = text;
    return span;
  }

  // The English original of a translated alert, hidden behind a button.
  function original(number, alert) {
    const wrapper = document.createElement("div");
    wrapper.className = "alert-original";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button alert-original-toggle screen-only";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", `alert-${number}-original`);
    button.textContent = msg("original-show");
    const content = document.createElement("div");
    content.id = `alert-${number}-original`;
    content.className = "alert-original-text";
    content.lang = "en";
    content.hidden = true;
    if (alert.area) {
      const area = paragraph(`${labels.fields.area}: ${alert.area}`);
      content.append(area);
    }
    content.append(textBlock(alert.what_happened || "", "en"));
    button.addEventListener("click", () => {
      const open = content.hidden;
      content.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = msg(open ? "original-hide" : "original-show");
    });
    wrapper.append(button, content);
    return wrapper;
  }

  // An alert reads as in every other view (uglymugs.alerts.reading): a correction at
  // the top; when, where and risk; what happened; the description as one line in the
  // report form's order; vehicle and identifiers; issue and expiry dates last.
  function alertCard(alert) {
    const number = String(alert.number || "");
    const translation = translationOf(alert);
    const card = document.createElement("article");
    card.className = `alert-card risk-${valueClass(alert.risk)}`;
    card.id = `alert-${number}`;
    card.setAttribute("aria-labelledby", `alert-${number}-title`);
    const correction = alert.correction
      ? fact(labels.fields.correction, String(alert.correction), "alert-correction")
      : null;
    const parts = [
      correction,
      cardTitle(alert, number),
      whenAndWhere(alert, translation),
      kindAndContact(alert),
      ...whatHappened(alert, number, translation),
      ...cardFacts(alert),
      cardDates(alert),
    ];
    card.append(...parts.filter(Boolean));
    return card;
  }

  function cardTitle(alert, number) {
    const title = document.createElement("h3");
    title.id = `alert-${number}-title`;
    title.textContent = `${labels.fields.alert} ${number}`;
    if (alert.risk) {
      const risk = document.createElement("span");
      risk.className = "risk-label";
      risk.textContent = valueLabel("risk", alert.risk);
      title.append(" ", risk);
    }
    return title;
  }

  // "Saturday, 31 October 2026, 21:30–22:00 · the area, the region", the moment in bold.
  function whenAndWhere(alert, translation) {
    const incident = alert.incident || {};
    const line = document.createElement("p");
    line.className = "alert-when";
    const moment = [longDate(incident.date), incident.time].filter(Boolean).join(", ");
    if (moment) {
      const strong = document.createElement("strong");
      strong.textContent = moment;
      line.append(strong);
    }
    const translatedArea = Boolean(translation && translation.area);
    const area = translatedArea ? translation.area : alert.area;
    const place = [
      area ? inLanguage(String(area), translatedArea ? translation.lang : "en") : null,
      valueLabel("region", alert.region),
    ].filter(Boolean);
    place.forEach((part, index) => {
      if (index) line.append(", ");
      else if (moment) line.append(" · ");
      line.append(part);
    });
    return line;
  }

  // "Rape, Violence · How they made contact: …", the kinds of incident in bold.
  function kindAndContact(alert) {
    const line = document.createElement("p");
    line.className = "alert-kind";
    if (Array.isArray(alert.categories) && alert.categories.length) {
      const strong = document.createElement("strong");
      strong.textContent = labelsOf("categories", alert.categories);
      line.append(strong);
    }
    if (Array.isArray(alert.contact_method) && alert.contact_method.length) {
      if (line.childNodes.length) line.append(" · ");
      line.append(`${labels.fields.contact_method}: ${labelsOf("contact_method", alert.contact_method)}`);
    }
    return line.childNodes.length ? line : null;
  }

  function whatHappened(alert, number, translation) {
    if (translation) {
      const shown = textBlock(translation.whatHappened, translation.lang);
      shown.classList.add("alert-text", "alert-translation");
      return [shown, original(number, alert)];
    }
    const text = String(alert.what_happened || "");
    if (!text) return [];
    const shown = textBlock(text, "en");
    shown.className = "alert-text";
    return [shown];
  }

  // The description as one line, the vehicle, then each kind of identifier.
  function cardFacts(alert) {
    const identifiers = alert.identifiers || {};
    return [
      [labels.fields.offender, describe(alert.offender)],
      [labels.fields.vehicle, describeVehicle(alert.vehicle)],
      ...labels.reading.identifiers.map(([name, label]) => [
        label,
        Array.isArray(identifiers[name]) ? identifiers[name].join(", ") : "",
      ]),
    ]
      .filter(([, value]) => value)
      .map(([label, value]) => fact(label, value, "alert-fact"));
  }

  function cardDates(alert) {
    const dates = ["issued", "expires"]
      .filter((name) => alert[name])
      .map((name) => `${labels.fields[name]} ${alert[name]}`);
    if (!dates.length) return null;
    const line = paragraph(dates.join(" · "));
    line.className = "alert-meta";
    return line;
  }

  // "Label: value" as one paragraph, the label in bold.
  function fact(label, value, className) {
    const line = document.createElement("p");
    line.className = className;
    const strong = document.createElement("strong");
    strong.textContent = `${label}:`;
    line.append(strong, ` ${value}`);
    return line;
  }

  function labelsOf(kind, values) {
    return values.map((value) => valueLabel(kind, value)).join(", ");
  }

  // The offender in one line: each part as the page's language says it, in order.
  function describe(offender) {
    if (!offender || typeof offender !== "object") return "";
    const parts = [];
    for (const [name, pattern, values] of labels.reading.description) {
      const value = offender[name];
      if (value == null || value === "") continue;
      const text = values ? values[value] : String(value).split(/\s+/).filter(Boolean).join(" ");
      if (text) parts.push(pattern.replace("{value}", text));
    }
    return parts.join(labels.reading.separator);
  }

  function describeVehicle(vehicle) {
    if (!vehicle || typeof vehicle !== "object") return "";
    const words = labels.reading.vehicle_words.map((name) => vehicle[name]).filter(Boolean);
    const parts = words.length ? [words.join(" ")] : [];
    if (vehicle.registration) {
      parts.push(labels.reading.registration.replace("{value}", String(vehicle.registration)));
    }
    return parts.join(", ");
  }

  // "Saturday, 31 October 2026" in the page's language; anything but an ISO date as is.
  function longDate(value) {
    if (typeof value !== "string" || !/^\d{4}-\d\d-\d\d$/.test(value)) return value ? String(value) : "";
    return dateFormat ? dateFormat.format(new Date(`${value}T00:00:00Z`)) : value;
  }

  function valueClass(value) {
    return ["high", "medium", "low"].includes(value) ? value : "unknown";
  }

  // Everything a member might search for in an alert, lower case, labels included.
  function searchText(alert) {
    const words = [];
    const walk = (value, kind) => {
      if (value == null) return;
      if (Array.isArray(value)) value.forEach((v) => walk(v, kind));
      else if (typeof value === "object") {
        for (const [name, inner] of Object.entries(value)) walk(inner, name);
      } else {
        words.push(String(value), valueLabel(kind, value));
      }
    };
    walk(alert, "");
    return words.join(" ").toLowerCase();
  }

  function setUpFilters() {
    const form = byId("alert-filters");
    form.addEventListener("input", applyFilters);
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", () => setTimeout(applyFilters));
  }

  function applyFilters() {
    const region = byId("filter-region").value;
    const risk = byId("filter-risk").value;
    const category = byId("filter-category").value;
    const from = byId("filter-from").value;
    const to = byId("filter-to").value;
    const typed = byId("filter-search").value.toLowerCase();
    const words = typed.split(/\s+/).filter(Boolean);
    const matches = (entry) => {
      const { alert } = entry;
      const date = from || to ? String((alert.incident && alert.incident.date) || alert.issued || "") : "";
      if (
        (risk && alert.risk !== risk) ||
        (category && !(Array.isArray(alert.categories) && alert.categories.includes(category))) ||
        (from && date < from) ||
        (to && date > to)
      ) {
        return false;
      }
      if (!words.length) return true;
      entry.haystack ??= searchText(alert);
      return words.every((word) => entry.haystack.includes(word));
    };
    const key = JSON.stringify([region, risk, category, from, to, words]);
    // A select sends both input and change: the second finds nothing to do.
    if (key === appliedFilters && matchingFrom === alerts) return;
    // Typing on in the search box only narrows: every word searched before is part of
    // a word searched now, so only the alerts that matched are looked at again.
    const others = JSON.stringify([region, risk, category, from, to]);
    const narrowing =
      matchingFrom === alerts && appliedSearch && others === appliedSearch.others &&
      typed.startsWith(appliedSearch.typed);
    appliedSearch = { others, typed };
    appliedFilters = key;
    matchingFrom = alerts;
    // A region's alerts are looked up, not searched for: at 25,000 alerts a region
    // change touches only the chosen region's; with no filter at all, nothing is.
    const among = narrowing ? matching : region ? regionEntries(region) : alerts;
    const filtering = risk || category || from || to || words.length;
    matching = filtering ? among.filter(matches) : among;
    rendered = 0;
    byId("alert-list").replaceChildren();
    // One screen of cards is drawn first; the rest of the page follows after that frame
    // (a filter change answered in 260 ms at 10,000 alerts on a slowed phone, most of it
    // building and laying out the page's 20 cards).
    renderUpTo(FIRST_SCREEN);
    requestAnimationFrame(() => setTimeout(() => renderUpTo(PAGE_SIZE)));
    const shown = matching.length;
    byId("alerts-count").textContent = shown
      ? msg("alerts-count").replace("{shown}", shown).replace("{total}", alerts.length)
      : msg("alerts-no-match");
  }

  // The entries of `alerts` in `region`, in order, from an index made in one pass at
  // the first region filter on these alerts.
  function regionEntries(region) {
    if (!byRegion || byRegion.from !== alerts) {
      const entries = new Map();
      for (const entry of alerts) {
        const key = entry.alert.region;
        if (!entries.has(key)) entries.set(key, []);
        entries.get(key).push(entry);
      }
      byRegion = { from: alerts, entries };
    }
    return byRegion.entries.get(region) || [];
  }

  // --- Notification preferences ---------------------------------------------------

  function fillPreferences(preferences) {
    const channels = new Set(preferences.channels || []);
    const regions = new Set(preferences.regions || []);
    for (const box of document.querySelectorAll('input[name="channels"]')) {
      box.checked = channels.has(box.value);
    }
    for (const box of document.querySelectorAll('input[name="regions"]')) {
      box.checked = regions.has(box.value);
    }
    byId("discreet_sms").checked = Boolean(preferences.discreet_sms);
  }

  function setUpPreferences() {
    const form = byId("preferences-form");
    const errors = formErrors(form, byId("preferences-error"));
    const status = byId("preferences-status");
    const checkedValues = (name) =>
      [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.textContent = "";
      errors.clear();
      const body = {
        channels: checkedValues("channels"),
        regions: checkedValues("regions"),
        discreet_sms: byId("discreet_sms").checked,
        language: byId("language").value,
      };
      let response;
      try {
        response = await request(`${api}/members/me/preferences`, { method: "PUT", body });
      } catch {
        errors.show([[null, msg("network")]]);
        return;
      }
      if (response.status === 401) {
        sessionEnded();
      } else if (response.ok) {
        status.textContent = msg("preferences-saved");
      } else {
        const error = await readError(response);
        errors.show([errorFor(error, msg(response.status >= 500 ? "unavailable" : "rejected"), form)]);
      }
    });
  }

  // --- Passing alerts on: select, copy as text, download as Word ------------------

  function selectedEntries() {
    return alerts.filter((entry) => selected.has(String(entry.alert.number || "")));
  }

  function forgetSelection() {
    selected.clear();
    byId("alerts-passing-on-status").textContent = "";
  }

  // A checkbox on each card, outside the card itself, to select it for passing on.
  function addSelectBox(entry) {
    const number = String(entry.alert.number || "");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = `select-${number}`;
    box.className = "alert-select-box";
    box.checked = selected.has(number);
    const label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = msg("select-alert").replace("{number}", number);
    const wrapper = document.createElement("p");
    wrapper.classList.add("option", "alert-select", "screen-only");
    wrapper.append(box, label);
    box.addEventListener("change", () => {
      if (box.checked) selected.add(number);
      else selected.delete(number);
    });
    entry.item.prepend(wrapper);
  }

  // Copy as text and the Word download are both made by the member API from the
  // signed bundle it holds, in the member's language: this page sends only numbers.
  async function exported(kind) {
    const status = byId("alerts-passing-on-status");
    const numbers = selectedEntries().map((entry) => String(entry.alert.number || ""));
    status.textContent = numbers.length ? "" : msg("select-first");
    if (!numbers.length) return null;
    const response = await request(`${api}/alerts/${kind}`, { method: "POST", body: { numbers } }).catch(
      () => null,
    );
    if (response && response.status === 401) return sessionEnded();
    if (response && response.ok) return response;
    status.textContent = msg(!response ? "network" : response.status >= 500 ? "unavailable" : "rejected");
    return null;
  }

  function setUpPassingOn() {
    byId("alerts-copy").addEventListener("click", async () => {
      const response = await exported("text");
      if (!response) return;
      const status = byId("alerts-passing-on-status");
      try {
        await navigator.clipboard.writeText(await response.text());
        status.textContent = msg("copied").replace("{count}", selectedEntries().length);
      } catch {
        status.textContent = msg("rejected");
      }
    });
    byId("alerts-docx").addEventListener("click", async () => {
      const response = await exported("docx");
      if (!response) return;
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = "alerts.docx";
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
  }

  // --- The member's language and mobile number (API tokens: member-tokens.mjs) ---

  function showMemberExtras(member) {
    const select = byId("language");
    // The languages are the page's own switcher's, each named in itself.
    if (!select.options.length) {
      for (const link of document.querySelectorAll("a[data-language]")) {
        select.add(new Option(link.textContent, link.dataset.language));
      }
    }
    if (member.language) byId("language").value = member.language;
    byId("mobile-section").hidden = !member.has_mobile;
    byId("mobile-reminder").hidden = !member.mobile_reminder_due;
    byId("tokens-section").hidden = !["project", "site"].includes(member.membership_type);
  }

  // Confirm or change the mobile number; the answer is said in one status line.
  async function mobileRequest(path, options) {
    const status = byId("mobile-status");
    const response = await request(`${api}/members/me/${path}`, options).catch(() => null);
    if (response && response.status === 401) return sessionEnded();
    if (response && response.ok) byId("mobile-reminder").hidden = true;
    const error = response && !response.ok ? await readError(response) : null;
    status.textContent = !response
      ? msg("network")
      : response.ok
        ? msg("preferences-saved")
        : apiMessage(app, error) || msg(response.status >= 500 ? "unavailable" : "rejected");
  }

  function setUpMobile() {
    byId("mobile-confirm").addEventListener("click", () =>
      mobileRequest("mobile-confirmed", { method: "POST" }),
    );
    byId("mobile-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const mobile = byId("mobile-new").value.trim();
      if (mobile) mobileRequest("mobile", { method: "PUT", body: { mobile } });
    });
  }


}

// Long dates as the printable pages write them (Babel's CLDR data, the same as Intl's).
function longDateFormat(language) {
  const options = { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  try {
    return new Intl.DateTimeFormat(language === "en" ? "en-GB" : language, options);
  } catch {
    return null;
  }
}
