// Which of the site's languages suits a browser (see language.mjs); no DOM here, so
// node can test it.

// The first of the browser's languages that the site has, as a site code, or null.
// Traditional Chinese is not offered Simplified; any Portuguese gets Brazilian.
export function preferred(browserLanguages, codes) {
  for (const tag of browserLanguages) {
    const parts = String(tag).toLowerCase().split("-");
    const [primary] = parts;
    if (primary === "zh") {
      if (parts.some((part) => ["hant", "tw", "hk", "mo"].includes(part))) continue;
      if (codes.includes("zh-hans")) return "zh-hans";
    } else if (primary === "pt") {
      if (codes.includes("pt-br")) return "pt-br";
    } else if (codes.includes(parts.join("-"))) {
      return parts.join("-");
    } else if (codes.includes(primary)) {
      return primary;
    }
  }
  return null;
}
