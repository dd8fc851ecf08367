"""Translated 404 pages on CloudFront (issue 18 item 8): the viewer function in the
template sends a missing page under a language prefix to that language's 404.html with
the status 404, as ``uglymugs dev`` does; anything else missing gets /404.html from the
distribution's custom error responses. The function is run here with Node."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.infra.template import template, template_text
from uglymugs.deploy.pages import english_pages, render_block, template_block

FUNCTION = "DirectoryIndexFunction"


def _code() -> str:
    return template()["Resources"][FUNCTION]["Properties"]["FunctionCode"]


def _run(events: list[dict]) -> list[dict]:
    """The function's answer to each event, in Node (CloudFront Functions are ES5.1+)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run `make setup`")
    script = _code() + (
        "\nconst events = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "\nprocess.stdout.write(JSON.stringify(events.map(handler)));"
    )
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(events), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def _request(uri: str) -> dict:
    return {"context": {"eventType": "viewer-request"}, "request": {"uri": uri}}


def _response(uri: str) -> dict:
    return {
        "context": {"eventType": "viewer-response"},
        "request": {"uri": uri},
        "response": {"statusCode": 200, "statusDescription": "OK"},
    }


def test_the_template_holds_the_generated_page_list():
    block, indent = template_block(template_text())
    assert block == render_block(indent)
    assert "/members/join/" in english_pages() and "/" in english_pages()


def test_a_missing_page_goes_to_its_languages_404_and_pages_to_their_index():
    cases = {
        "/ro/no-such-page/": "/ro/404.html",
        "/pt-br/report/extra/": "/pt-br/404.html",
        "/zh-hans/nothing.html": "/zh-hans/404.html",
        "/ro/report/": "/ro/report/index.html",
        "/pl/members/join/": "/pl/members/join/index.html",
        "/pl/": "/pl/index.html",
        "/ro/404.html": "/ro/404.html",
        "/report/": "/report/index.html",
        "/no-such-page/": "/no-such-page/index.html",  # English: the custom error page
        "/theme/css/site.css": "/theme/css/site.css",
        "/roman/": "/roman/index.html",  # not a language prefix
    }
    answers = _run([_request(uri) for uri in cases])
    assert {uri: answer["uri"] for uri, answer in zip(cases, answers, strict=True)} == cases


def test_the_404_page_is_answered_with_the_status_404():
    uris = ["/ro/no-such-page/", "/ro/404.html", "/404.html", "/ro/report/index.html", "/"]
    statuses = [answer["statusCode"] for answer in _run([_response(uri) for uri in uris])]
    assert statuses == [404, 404, 404, 200, 200]


def test_every_site_behaviour_runs_the_function_both_ways_and_errors_get_the_404_page():
    config = template()["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    pages = [config["DefaultCacheBehavior"]] + [
        b
        for b in config["CacheBehaviors"]
        if b["TargetOriginId"] == "site" and b["PathPattern"].endswith(("/", "/*"))
    ]
    assert len(pages) > 1
    for behaviour in pages:
        events = {
            a["EventType"]
            for a in behaviour["FunctionAssociations"]
            if FUNCTION in json.dumps(a["FunctionARN"])
        }
        assert events == {"viewer-request", "viewer-response"}, behaviour.get("PathPattern")
    errors = {e["ErrorCode"]: e for e in config["CustomErrorResponses"]}
    for code in (403, 404):
        assert errors[code]["ResponseCode"] == 404
        assert errors[code]["ResponsePagePath"] == "/404.html"
