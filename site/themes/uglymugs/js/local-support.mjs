// The contacts page's local support projects: choose your police force area and see
// the projects that cover it. Every project is already in the page (so this works
// offline); the choice is kept in this device's localStorage and never sent anywhere.
// Every message comes from the section's data-msg-* attributes.
const AREA = "uglymugs-support-area";

const section = document.getElementById("local-support");
if (section) setUp(section);

function stored() {
  try {
    return localStorage.getItem(AREA) || "";
  } catch {
    return "";
  }
}

function store(area) {
  try {
    if (area) localStorage.setItem(AREA, area);
    else localStorage.removeItem(AREA);
  } catch {
    // Storage refused (a private window): the choice lasts for this page.
  }
}

function setUp(section) {
  const choice = document.getElementById("support-area");
  const none = document.getElementById("support-none");
  const status = document.getElementById("support-status");
  const projects = [...section.querySelectorAll(".support-project")];
  const show = (area) => {
    let shown = 0;
    for (const project of projects) {
      const areas = project.dataset.areas.split(" ");
      const covers = !area || areas.includes(area) || areas.includes("all");
      project.hidden = !covers;
      if (covers) shown += 1;
    }
    none.hidden = shown > 0;
    status.textContent = area ? section.dataset.msgCountArea : section.dataset.msgCountAll;
  };
  const area = stored();
  if ([...choice.options].some((option) => option.value === area)) choice.value = area;
  document.getElementById("support-area-choice").hidden = false;
  show(choice.value);
  choice.addEventListener("change", () => {
    store(choice.value);
    show(choice.value);
  });
}
