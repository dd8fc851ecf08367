// The full report, one step at a time on a small screen (issue 18): a heading per step
// that takes the focus, "Step 2 of 6" in a live region, Back and Next. Steps only hide
// parts of the one form, so everything typed stays where it was typed (in memory,
// never stored), and without JavaScript, or on a wide screen, it is one long form.
// Every message comes from the form's data-msg-* attributes.
const NARROW = "(max-width: 47.99rem)";

export function formSteps(form, msg, onResize) {
  const steps = [...form.querySelectorAll(".form-step")];
  const progress = document.getElementById("step-progress");
  const nav = document.getElementById("step-nav");
  const back = document.getElementById("step-back");
  const next = document.getElementById("step-next");
  const finish = [document.getElementById("report-submit").closest(".form-actions")];
  finish.push(form.querySelector(".privacy-note"));
  const media = window.matchMedia(NARROW);
  let current = 0;
  let wanted = false; // a full report or follow-up (a partial one is one short page)

  media.addEventListener("change", () => {
    render(false);
    onResize();
  });

  const active = () => wanted && media.matches;
  const isLast = () => current === steps.length - 1;

  function render(focus) {
    const on = active();
    form.classList.toggle("stepped", on);
    form.dataset.steps = on ? "on" : "off"; // site.css stops keeping the progress line's place
    for (const [index, step] of steps.entries()) {
      step.hidden = (on && index !== current) || "empty" in step.dataset;
    }
    nav.hidden = !on;
    progress.hidden = !on;
    back.hidden = current === 0;
    next.hidden = isLast();
    for (const element of finish) element.hidden = on && !isLast();
    progress.textContent = on
      ? msg("step").replace("{current}", current + 1).replace("{total}", steps.length)
      : "";
    if (on && focus) steps[current].querySelector(".step-heading").focus();
  }

  function goTo(index, focus = true) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    render(focus);
  }

  // The step holding the element with this id (a question or one of its boxes).
  function stepOf(id) {
    const element = id && document.getElementById(id);
    const step = element && element.closest(".form-step");
    return step ? steps.indexOf(step) : -1;
  }

  return {
    active,
    isLast,
    back: () => goTo(current - 1),
    next: () => goTo(current + 1),
    restart: () => goTo(0, false),
    // Step mode on or off (the caller marks steps with nothing to ask data-empty).
    want(value) {
      wanted = value;
      render(false);
    },
    // Show the step holding question `id`, before its error or summary link is used.
    showQuestion(id) {
      const index = stepOf(id);
      if (active() && index >= 0 && index !== current) goTo(index, false);
    },
    // The names of errors that belong to the step on screen.
    onThisStep(names) {
      return names.filter((name) => name === null || stepOf(name) === current);
    },
    elements: { back, next, steps },
  };
}
