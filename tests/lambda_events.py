"""Real-shaped API Gateway HTTP API (payload 2.0) events and a Lambda context.

The events carry a source IP and a user agent on purpose, as real ones do, so the
canary tests can prove neither is ever written anywhere.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

CANARY_SOURCE_IP = "203.0.113.77"  # TEST-NET-3: never a real person's address
CANARY_USER_AGENT = "Mozilla/5.0 (CanaryPhone 7) UniqueAgentString/31337"


def http_api_event(
    method: str,
    path: str,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict:
    raw = body.encode() if isinstance(body, str) else body
    all_headers = {
        "host": "abcdef1234.execute-api.eu-west-2.amazonaws.com",
        "user-agent": CANARY_USER_AGENT,
        "x-forwarded-for": CANARY_SOURCE_IP,
        "x-forwarded-proto": "https",
        **{k.lower(): v for k, v in (headers or {}).items()},
    }
    if raw is not None:
        all_headers.setdefault("content-length", str(len(raw)))
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "domainName": "abcdef1234.execute-api.eu-west-2.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": CANARY_SOURCE_IP,
                "userAgent": CANARY_USER_AGENT,
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "$default",
            "stage": "$default",
            "time": "23/Nov/2026:21:30:15 +0000",
            "timeEpoch": 1795469415000,
        },
        "body": base64.b64encode(raw).decode() if raw is not None else None,
        "isBase64Encoded": raw is not None,
    }


@dataclass
class FakeLambdaContext:
    function_name: str = "uglymugs-report"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-2:123456789012:function:uglymugs-report"
    aws_request_id: str = "52fdfc07-2182-154f-163f-5f0f9a621d72"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
