"""No page of the site, in any language, is wider than a small phone (issue 18).

Every built page in every language is opened at 320 and 390 CSS pixels wide, in one
browser page reused throughout to keep this quick: the document must not scroll
sideways, and no element may stick out past the right edge (an element cut off by
``overflow: hidden`` would pass the first test and still hide words).
"""

from __future__ import annotations

import pytest

from tests.browser.static_server import hold_still_if_moved, serve_static
from tests.website.conftest import build_test_site

pytestmark = pytest.mark.browser

WIDTHS = (320, 390)

# Every element whose right edge is past the viewport, as "tag#id.class (right px)".
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.right > width + 0.5) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (element.className && typeof element.className === "string"
          ? "." + element.className.trim().split(/\\s+/).join(".") : "");
      out.push(`${name} (${Math.round(box.right)} px)`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    return build_test_site(tmp_path_factory.mktemp("page-width"))


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve_static(built_site.output) as url:
        yield url


def _paths(built_site) -> list[str]:
    paths = []
    for page in built_site.html_pages():
        relative = page.relative_to(built_site.output).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_in_any_language_is_wider_than_a_phone(built_site, site_url, browser, width):
    paths = _paths(built_site)
    assert len(paths) >= 5 * 10, "every page in all five languages"
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    too_wide = []
    try:
        for path in paths:
            built = built_site.output / (
                path.lstrip("/") + ("index.html" if path.endswith("/") else "")
            )
            hold_still_if_moved(page, site_url + path, built.read_text(encoding="utf-8"))
            page.goto(site_url + path, wait_until="load")
            measured = page.evaluate(STICKING_OUT)
            if measured["scroll"] > width or measured["out"]:
                too_wide.append(f"{path}: scrollWidth {measured['scroll']}, {measured['out']}")
    finally:
        context.close()
    assert not too_wide, "\n".join(too_wide)
