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

import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

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
        self.table_name = table_name
        self.expires_after = expires_after
        self._client = client
        self._lock = threading.Lock()
        self._run_once: Any = None
        self._config: Any = None

    def __call__(
        self, event: Mapping[str, Any], services: Any, lambda_context: Any = None
    ) -> dict[str, Any]:
        if not isinstance(event, Mapping) or "sequence" not in event:
            return self.handle(event, services)
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
        )

        run_once = self._idempotent()
        if lambda_context is not None:
            self._config.register_lambda_context(lambda_context)
        try:
            return run_once(event={"sequence": event["sequence"]}, services=services)
        except IdempotencyAlreadyInProgressError:
            return dict(DUPLICATE)

    def _idempotent(self) -> Any:
        with self._lock:
            if self._run_once is None:
                self._run_once = self._build()
            return self._run_once

    def _build(self) -> Any:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        self._config = IdempotencyConfig(
            event_key_jmespath="sequence",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=int(self.expires_after.total_seconds()),
            hash_function="sha256",
            response_hook=lambda _summary, _record: dict(DUPLICATE),
        )
        persistence = DynamoDBPersistenceLayer(
            table_name=self.table_name, boto3_client=self._client
        )
        handle = self.handle

        @idempotent_function(
            data_keyword_argument="event",
            persistence_store=persistence,
            config=self._config,
            key_prefix="uglymugs.notify",
        )
        def run_once(event: dict[str, Any], services: Any) -> dict[str, Any]:
            return handle(event, services)

        return run_once


POWERTOOLS_IDEMPOTENCY_TABLE_VARIABLE = "UGLYMUGS_POWERTOOLS_IDEMPOTENCY_TABLE"


def once_per_sequence_from_environment(handle: Handle, environ: Mapping[str, str]) -> Any:
    """:class:`OncePerSequence` when the deployment names the table; else ``handle`` as is."""
    table = environ.get(POWERTOOLS_IDEMPOTENCY_TABLE_VARIABLE)
    if not table:
        return lambda event, services, lambda_context=None: handle(event, services)
    return OncePerSequence(handle, table)
