"""Rendering security headers as CloudFront policies: exact, reversible, or refused."""

import pytest

from uglymugs.deploy.headers import (
    POLICIES_BLOCK,
    WASM_BEHAVIOURS_BLOCK,
    UnrenderableHeaderError,
    headers_of_policy,
    main,
    policy_config,
    render_block,
)
from uglymugs.web.security_headers import headers_for_path


@pytest.mark.parametrize("path", ["/", "/report/", "/members/", "/api/reports", "/seq-000001/x"])
def test_a_policy_sends_exactly_the_headers_it_was_made_from(path):
    assert headers_of_policy(policy_config(headers_for_path(path))) == headers_for_path(path)


@pytest.mark.parametrize(
    "header",
    [
        {"X-Content-Type-Options": "sniff"},
        {"X-Frame-Options": "ALLOW-FROM https://example.org"},
        {"Strict-Transport-Security": "max-age=abc"},
    ],
)
def test_a_value_cloudfront_cannot_send_is_refused_not_dropped(header):
    with pytest.raises(UnrenderableHeaderError):
        policy_config(header)


def test_hsts_flags_are_kept():
    config = policy_config(
        {"Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload"}
    )
    assert config["SecurityHeadersConfig"]["StrictTransportSecurity"] == {
        "AccessControlMaxAgeSec": 63072000,
        "IncludeSubdomains": True,
        "Preload": True,
        "Override": True,
    }


def test_the_command_rewrites_stale_blocks_and_check_says_so(tmp_path):
    fresh = (
        f"Resources:\n{render_block(POLICIES_BLOCK)}  Distribution:\n"
        f"        CacheBehaviors:\n{render_block(WASM_BEHAVIOURS_BLOCK)}"
    )
    path = tmp_path / "template.yaml"
    path.write_text(fresh.replace("no-referrer", "unsafe-url").replace("/report/*", "/x/*"))
    assert main(["--check", str(path)]) == 1
    assert main([str(path)]) == 0
    assert main(["--check", str(path)]) == 0
    assert path.read_text() == fresh
