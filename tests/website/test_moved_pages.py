"""The partner form's first address, /report/police/, sends browsers on to
/partners/submit/ (the address issue 15 names) in the page's own language, and the form
itself is served only at the new address."""

from __future__ import annotations

import pytest

from tests.website.html import parse
from uglymugs.languages import LANGUAGES
from uglymugs.web.security_headers import headers_for_path


def _page(built_site, url: str):
    return parse((built_site.output / (url.lstrip("/") + "index.html")).read_text("utf-8"))


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_the_old_partner_address_sends_browsers_to_the_new_one(built_site, language):
    document = _page(built_site, language.path("/report/police/"))
    target = language.path("/partners/submit/")
    (refresh,) = document.find("meta", **{"http-equiv": "refresh"})
    assert refresh.get("content") == f"0; url={target}"
    assert target in [a.get("href") for a in document.find("a")]
    assert not document.find("form", id="partner-form")


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_the_partner_form_is_at_partners_submit_and_may_run_libsodium(built_site, language):
    url = language.path("/partners/submit/")
    assert _page(built_site, url).find("form", id="partner-form")
    assert "'wasm-unsafe-eval'" in headers_for_path(url)["Content-Security-Policy"]
