// What the site's forms share (the report form and the member pages): same-origin JSON
// requests, and errors shown beside their questions and in a summary that screen
// readers announce (role=alert).
// Every message comes from the page's data-* attributes, never from this file.

// A same-origin request that sends the session cookie and is never cached.
export async function request(url, { method = "GET", body } = {}) {
  const options = {
    method,
    credentials: "same-origin",
    cache: "no-store",
    redirect: "error",
    referrerPolicy: "no-referrer",
    headers: { Accept: "application/json" },
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  return fetch(url, options);
}

// The API's {"error": {"code", "message", "field"}}, or {} if the answer has none.
export async function readError(response) {
  try {
    const document = await response.json();
    return document && document.error ? document.error : {};
  } catch {
    return {};
  }
}

// A message from an element's data-msg-<name> attribute.
export function messages(element) {
  return (name) => element.getAttribute(`data-msg-${name}`) || "";
}

// Errors for one form: `show([[fieldId or null, message], ...])`, `clear()`.
export function formErrors(form, summary, title = summary.dataset.title || "") {
  function clear() {
    summary.replaceChildren();
    for (const error of form.querySelectorAll(".field-error")) {
      error.hidden = true;
      error.textContent = "";
    }
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
    }
  }

  function show(errors) {
    clear();
    const list = document.createElement("ul");
    for (const [name, message] of errors) {
      const item = document.createElement("li");
      const fieldError = name && document.getElementById(`${name}-error`);
      if (fieldError) {
        fieldError.textContent = message;
        fieldError.hidden = false;
        const input = document.getElementById(name);
        if (input) input.setAttribute("aria-invalid", "true");
        const link = document.createElement("a");
        link.href = `#${name}`;
        link.textContent = message;
        item.append(link);
      } else {
        item.textContent = message;
      }
      list.append(item);
    }
    if (title) {
      const heading = document.createElement("p");
      heading.className = "error-title";
      heading.textContent = title;
      summary.append(heading);
    }
    summary.append(list);
    summary.focus();
  }

  return { show, clear };
}

// The page's own words for a refused request, in the page's language, or "".
// The API's `message` is English for developers and is never shown: the page carries
// a translated table (data-errors) keyed "code:field" and "code".
export function apiMessage(element, error) {
  const holder = element.closest("[data-errors]");
  let known = {};
  try {
    known = JSON.parse(holder ? holder.dataset.errors : "{}") || {};
  } catch {
    known = {};
  }
  return (error.field && known[`${error.code}:${error.field}`]) || known[error.code] || "";
}

// The error to show for a refused request: the page's message for it, beside its
// field when this form has that field; otherwise `fallback`.
export function errorFor(error, fallback, form) {
  const text = apiMessage(form, error);
  if (!text) return [null, fallback];
  const field = error.field && form.querySelector(`#${CSS.escape(error.field)}`);
  return [field ? error.field : null, text];
}
