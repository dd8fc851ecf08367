"""One notify run per publish event, even when Lambda delivers the event twice.

Lambda may deliver an asynchronous invocation more than once, and with two instances
allowed the duplicate can run beside the original. The notification ledger already
makes every message go exactly once, whatever runs; Powertools Idempotency (DynamoDB)
adds that a duplicate ``{"sequence": N}`` within an hour does no work at all: no
second pass over the publications, the members or SNS's opted-out list. A duplicate
that arrives while the first run is still going gets ``{"duplicate_delivery": true}``
too (the first run will finish the job, or its lease will run out and the next
catch-up will). Its metrics are not counted twice.

Catch-up events (``{"catch_up": true}``, from the schedule) and SES feedback are not
keyed: each must run. A run that fails is forgotten by Powertools, so Lambda's retry
runs again; one killed by its timeout is blocked only until that invocation's deadline.

Powertools' idempotency module is imported on the first publish event, not at a cold
start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from uglymugs.powertools.idempotency import IdempotencyRule, LazyIdempotentFunction

EXPIRES_AFTER = timedelta(hours=1)
DUPLICATE = {"duplicate_delivery": True}
Handle = Callable[[Mapping[str, Any], Any], dict[str, Any]]


class OncePerSequence:
    """``handle(event, services)`` run at most once per ``sequence`` per hour."""

    def __init__(
        self,
        handle: Handle,
        table_name: str,
        expires_after: timedelta = EXPIRES_AFTER,
        client: Any = None,
    ) -> None:
        self.handle = handle
        rule = IdempotencyRule(
            key_prefix="uglymugs.notify",
            key_path="sequence",
            expires_after=expires_after,
            response_hook=lambda _summary, _record: dict(DUPLICATE),
        )
        self._run_once = LazyIdempotentFunction(
            lambda event, services: handle(event, services), table_name, rule, client
        )

    def __call__(
        self, event: Mapping[str, Any], services: Any, lambda_context: Any = None
    ) -> dict[str, Any]:
        if not isinstance(event, Mapping) or "sequence" not in event:
            return self.handle(event, services)
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
        )

        try:
            return self._run_once(
                {"sequence": event["sequence"]}, lambda_context, services=services
            )
        except IdempotencyAlreadyInProgressError:
            return dict(DUPLICATE)


def once_per_sequence(handle: Handle, table_name: str | None) -> Any:
    """:class:`OncePerSequence` when the deployment names the table; else ``handle`` as is."""
    if not table_name:
        return lambda event, services, lambda_context=None: handle(event, services)
    return OncePerSequence(handle, table_name)
