"""Signed CloudFront URLs for the bundle shelf: members fetch bundles from the site's origin.

The member area's Content-Security-Policy lets it connect to its own origin only, so
it cannot follow a presigned S3 URL (another origin). On AWS, CloudFront serves the
shelf's ``seq-NNNNNN/…`` files under the site's own origin (path pattern ``/seq-*``,
origin access control to the private bucket) and only to a URL signed with a key of
the distribution's trusted key group. The alerts function signs such a URL for one
file after it has checked the member's session; it lives 5 minutes, like the
presigned URL it replaces, and the session cookie is never sent with it.

The URL is relative (path and query) and its policy's resource is ``https://*/<path>``,
so the same URL works on the CloudFront domain and on the scheme's own domain.
Signatures are ECDSA P-256 or RSA-2048 over SHA-256 (``Hash-Algorithm=SHA256``), the
key type read from the PEM. The private key lives in Secrets Manager and is read on
the first bundle request through Powertools Parameters (cached for 5 minutes), so
neither the secret nor ``cryptography`` costs anything at a cold start.

>>> signer = CloudFrontUrlSigner("K2JCJMDEHXQW5F", secret_reader("uglymugs/bundle-url-private-key"))
>>> signer.url("seq-000042/alerts-all.json", expires_in=300)  # doctest: +SKIP
'/seq-000042/alerts-all.json?Policy=…&Signature=…&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256'
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from uglymugs.alerts.shelf import check_name

SECRET_MAX_AGE_SECONDS = 300
# CloudFront's URL-safe base64: + = / become - _ ~ (its own alphabet, not RFC 4648's).
_CLOUDFRONT_BASE64 = str.maketrans("+=/", "-_~")


class BundleUrlKeyError(ValueError):
    """The secret does not hold a PEM private key CloudFront can check (EC P-256 or RSA)."""


def cloudfront_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").translate(_CLOUDFRONT_BASE64)


def url_policy(path: str, expires: int) -> bytes:
    """The custom policy (compact JSON) granting GET of ``path`` on any host until ``expires``."""
    statement = {
        "Resource": f"https://*{path}",
        "Condition": {"DateLessThan": {"AWS:EpochTime": expires}},
    }
    return json.dumps({"Statement": [statement]}, separators=(",", ":")).encode("ascii")


def secret_reader(secret_name: str) -> Callable[[], str]:
    """Reads the PEM from Secrets Manager with Powertools Parameters, on first use."""

    def read() -> str:
        from aws_lambda_powertools.utilities import parameters

        return str(parameters.get_secret(secret_name, max_age=SECRET_MAX_AGE_SECONDS))

    return read


class CloudFrontUrlSigner:
    """Signs relative URLs for bundle files with the private half of ``key_id``."""

    def __init__(
        self,
        key_id: str,
        private_key_pem: Callable[[], str | bytes],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.key_id = key_id
        self.private_key_pem = private_key_pem
        self.clock = clock
        self._lock = threading.Lock()
        self._loaded: tuple[bytes, Any] | None = None

    def url(self, name: str, expires_in: int) -> str:
        """A URL on the site's own origin that GETs shelf file ``name`` for ``expires_in`` s."""
        path = "/" + check_name(name)  # names are [A-Za-z0-9._-] segments: nothing to quote
        policy = url_policy(path, int(self.clock()) + expires_in)
        signature = self._sign(policy)
        return (
            f"{path}?Policy={cloudfront_base64(policy)}&Signature={cloudfront_base64(signature)}"
            f"&Key-Pair-Id={self.key_id}&Hash-Algorithm=SHA256"
        )

    def _sign(self, message: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

        key = self._private_key()
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(message, ec.ECDSA(hashes.SHA256()))
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
        raise BundleUrlKeyError("the bundle URL key must be an EC P-256 or an RSA private key")

    def _private_key(self) -> Any:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        pem = self.private_key_pem()
        pem = pem.encode("ascii") if isinstance(pem, str) else pem
        with self._lock:
            if self._loaded is not None and self._loaded[0] == pem:
                return self._loaded[1]
        try:
            key = load_pem_private_key(pem, password=None)
        except (ValueError, TypeError):
            raise BundleUrlKeyError("the bundle URL key secret is not a PEM private key") from None
        with self._lock:
            self._loaded = (pem, key)
        return key
