"""CloudFront sends exactly the security headers ``uglymugs dev`` sends, path by path.

The response headers policies in the template are generated from
``uglymugs.web.security_headers`` (``python -m uglymugs.deploy.headers``); these tests
fail when the template's copy is stale, when a cache behaviour carries the wrong
policy for its path pattern, or when the dev server sends anything else.
"""

import pytest
from starlette.testclient import TestClient

from tests.infra.template import template, template_text
from uglymugs.cli.dev import dev_app
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.deploy.headers import (
    BUNDLE_PATH_PATTERN,
    POLICIES_BLOCK,
    WASM_BEHAVIOURS_BLOCK,
    headers_of_policy,
    policy_for_path,
    render_block,
    template_block,
)
from uglymugs.web.security_headers import API_PATH_PATTERNS, WASM_PATH_PATTERNS, headers_for_path


def behaviours() -> dict[str, dict]:
    """Path pattern → cache behaviour; the default behaviour as ``*``."""
    config = template()["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    found = {"*": config["DefaultCacheBehavior"]}
    for behaviour in config["CacheBehaviors"]:
        found[behaviour["PathPattern"]] = behaviour
    return found


def policy_headers(logical_id: str) -> dict[str, str]:
    resource = template()["Resources"][logical_id]
    assert resource["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"
    return headers_of_policy(resource["Properties"]["ResponseHeadersPolicyConfig"])


def headers_sent_for(pattern: str) -> dict[str, str]:
    return policy_headers(behaviours()[pattern]["ResponseHeadersPolicyId"]["Ref"])


@pytest.mark.parametrize("block", [POLICIES_BLOCK, WASM_BEHAVIOURS_BLOCK])
def test_the_template_holds_the_generated_blocks(block):
    assert template_block(template_text(), block) == render_block(block)


def test_the_distribution_stays_within_cloudfronts_default_quota_of_behaviours():
    # 25 cache behaviours per distribution unless AWS raises it; each language adds 3.
    assert len(behaviours()) - 1 <= 25


def test_every_path_pattern_with_its_own_headers_has_a_behaviour():
    assert set(WASM_PATH_PATTERNS + API_PATH_PATTERNS) <= set(behaviours())


@pytest.mark.parametrize("pattern", list(behaviours()))
def test_each_behaviour_sends_the_headers_of_its_path_pattern(pattern):
    path = "/" if pattern == "*" else pattern
    assert behaviours()[pattern]["ResponseHeadersPolicyId"] == {"Ref": policy_for_path(path)}
    assert headers_sent_for(pattern) == headers_for_path(path)


def test_bundle_files_get_the_strict_page_policy():
    assert headers_sent_for(BUNDLE_PATH_PATTERN) == headers_for_path("/seq-000042/alerts-all.json")
    assert "wasm" not in headers_sent_for(BUNDLE_PATH_PATTERN)["Content-Security-Policy"]


@pytest.fixture
def dev_client(tmp_path, monkeypatch):
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    site = tmp_path / "site"
    pages = ["report/index.html", "members/index.html", "members/join/index.html"]
    pages += [f"{language}/{page}" for language in ("ro", "pl", "zh-hans") for page in pages]
    for page in ["index.html", *pages]:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<p>page</p>")
    environ = {"UGLYMUGS_DATA_DIR": str(tmp_path / "data"), "UGLYMUGS_REPORT_KEYRING": ""}
    create_keys(tmp_path / "data" / "keys", "dev", kdf=TEST_KDF)
    return TestClient(dev_app(Settings.from_environ(environ), site), base_url="https://testserver")


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/", "*"),
        ("/members/join/", "*"),
        ("/report/", "/report/*"),
        ("/members/", "/members/"),
        ("/members/index.html", "/members/index.html"),
        ("/ro/report/", "/ro/report/*"),
        ("/zh-hans/members/", "/zh-hans/members/"),
        ("/pl/members/join/", "*"),
        ("/api/reports/key", "/api/*"),
        ("/api/members/me", "/api/*"),
    ],
)
def test_cloudfront_sends_what_uglymugs_dev_sends(dev_client, path, pattern):
    response = dev_client.get(path)
    expected = headers_sent_for(pattern)
    sent = {name: response.headers.get(name) for name in expected}
    assert sent == expected
