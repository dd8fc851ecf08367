"""What may be logged about a request: nothing that identifies it or its sender.

Libraries log request lines by default (Mangum: method, path and status at INFO;
Uvicorn: the client address in its access log). A path can carry data and an
address identifies a person, so those loggers are silenced in every entry point.
"""

from __future__ import annotations

import logging

REQUEST_LOGGERS = ("mangum.http", "mangum.lifespan", "uvicorn.access")


def silence_request_loggers() -> None:
    """Stop third-party request-line logging; our own loggers log events, never data."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        logger.disabled = True
        logger.propagate = False
