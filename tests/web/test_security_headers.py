"""The security headers: one definition, the right CSP on the right paths."""

import pytest

from uglymugs.web.security_headers import content_security_policy, headers_for_path


def directives(csp: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in csp.split("; ")}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/safety/",
        "/contacts/index.html",
        "/theme/css/site.css",
        "/members/join/",
        "/members/set-password/",
        "/members/terms/index.html",
    ],
)
def test_pages_get_the_strict_csp_without_wasm(path):
    csp = directives(headers_for_path(path)["Content-Security-Policy"])
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["worker-src"] == "'self'"  # blob: workers only where libsodium runs
    assert csp["frame-ancestors"] == "'none'"
    assert csp["base-uri"] == "'none'"


@pytest.mark.parametrize(
    "path", ["/report/", "/report/index.html", "/report/blank/", "/members/", "/members/index.html"]
)
def test_only_the_report_pages_and_the_member_area_may_run_webassembly(path):
    csp = directives(headers_for_path(path)["Content-Security-Policy"])
    assert csp["script-src"] == "'self' 'wasm-unsafe-eval'"
    # The member area's bundle check runs sodium.js from its SRI-checked bytes in a
    # blob: worker; scripts themselves still come only from this origin.
    assert csp["worker-src"] == "'self' blob:"


def test_no_policy_allows_inline_code_or_other_origins():
    for csp in (content_security_policy(), content_security_policy(wasm=True)):
        assert "unsafe-inline" not in csp
        assert "'unsafe-eval'" not in csp.replace("'wasm-unsafe-eval'", "")
        assert "http" not in csp and "*" not in csp and "data:" not in csp


def test_api_responses_are_never_cached_and_never_framed():
    headers = headers_for_path("/api/reports")
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize("path", ["/", "/report/", "/api/reports"])
def test_every_response_has_the_common_headers(path):
    headers = headers_for_path(path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "camera=()" in headers["Permissions-Policy"]
