// What the report form may know of a logged-in member: their membership type only,
// kept in this tab's sessionStorage by the member area while they are logged in, so
// that the report page can start with their reporter answer and offer to e-mail the
// report number without asking the server anything. Never their name or any id: the
// report itself stays unlinked from the account.
const KEY = "uglymugs-member-type";

// The report form's "who is reporting" answer for each membership type.
export const REPORTER_FOR = { individual: "self", project: "project", site: "site" };

export function rememberMemberType(type) {
  try {
    if (type in REPORTER_FOR) sessionStorage.setItem(KEY, type);
  } catch {
    // Storage refused: the report form simply starts with "myself".
  }
}

export function forgetMemberType() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
  }
}

export function rememberedMemberType() {
  try {
    const type = sessionStorage.getItem(KEY);
    return type in REPORTER_FOR ? type : null;
  } catch {
    return null;
  }
}
