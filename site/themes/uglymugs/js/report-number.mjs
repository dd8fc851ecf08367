// Report numbers, as in uglymugs/reports/numbers.py: Crockford base32 with a Luhn mod 32
// check character, so a mistyped earlier number is caught before anything is sent.
export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX = "UM";
const GROUPS = 3;
const GROUP_SIZE = 4;
const LOOKALIKES = { O: "0", I: "1", L: "1", " ": "", "-": "" };

export function checkCharacter(payload) {
  const base = ALPHABET.length;
  let factor = 2;
  let total = 0;
  for (const char of [...payload].reverse()) {
    const addend = factor * ALPHABET.indexOf(char);
    factor = factor === 2 ? 1 : 2;
    total += Math.floor(addend / base) + (addend % base);
  }
  return ALPHABET[(base - (total % base)) % base];
}

// The canonical form of a typed number ("UM-7K3F-92QH-X4PM"), or null if it is not one.
export function normaliseReportNumber(text) {
  let compact = [...text.trim().toUpperCase()].map((c) => LOOKALIKES[c] ?? c).join("");
  if (compact.startsWith(PREFIX)) compact = compact.slice(PREFIX.length);
  if (compact.length !== GROUPS * GROUP_SIZE) return null;
  if ([...compact].some((c) => !ALPHABET.includes(c))) return null;
  if (checkCharacter(compact.slice(0, -1)) !== compact.slice(-1)) return null;
  const groups = [];
  for (let i = 0; i < compact.length; i += GROUP_SIZE) groups.push(compact.slice(i, i + GROUP_SIZE));
  return [PREFIX, ...groups].join("-");
}
