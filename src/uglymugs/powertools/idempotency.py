"""One function run at most once per key, with Powertools Idempotency (DynamoDB).

The report function (one report per idempotency key) and the notify function (one run
per publish sequence) both wrap a function this way. Powertools' idempotency module
costs about 275 ms to import, so it is imported on the first keyed call, not at a
cold start; the Lambda context (for the in-progress deadline of a killed invocation)
is registered on every call that has one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class IdempotencyRule:
    """What makes two calls the same, and what a repeated call answers."""

    key_prefix: str
    key_path: str
    expires_after: timedelta
    payload_path: str | None = None
    response_hook: Any = None  # Powertools' IdempotentHookFunction: (answer, record) -> answer


class LazyIdempotentFunction:
    """``function(data, **context)`` run once per ``rule.key_path`` of ``data``.

    Raises Powertools' ``IdempotencyAlreadyInProgressError`` for a repeat while the
    first call runs, and ``IdempotencyValidationError`` for the same key with another
    payload (when ``rule.payload_path`` is set): callers translate them.
    """

    def __init__(
        self,
        function: Callable[..., Any],
        table_name: str,
        rule: IdempotencyRule,
        client: Any = None,
    ) -> None:
        self.function = function
        self.table_name = table_name
        self.rule = rule
        self._client = client
        self._lock = threading.Lock()
        self._run_once: Any = None
        self._config: Any = None

    def __call__(self, data: dict[str, Any], lambda_context: Any = None, **context: Any) -> Any:
        run_once = self._idempotent()
        if lambda_context is not None:
            self._config.register_lambda_context(lambda_context)
        return run_once(data=data, **context)

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
            event_key_jmespath=self.rule.key_path,
            payload_validation_jmespath=self.rule.payload_path or "",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=int(self.rule.expires_after.total_seconds()),
            hash_function="sha256",
            response_hook=self.rule.response_hook,
        )
        persistence = DynamoDBPersistenceLayer(
            table_name=self.table_name, boto3_client=self._client
        )
        function = self.function

        def run_once(data: dict[str, Any], **context: Any) -> Any:
            return function(data, **context)

        return idempotent_function(
            data_keyword_argument="data",
            persistence_store=persistence,
            config=self._config,
            key_prefix=self.rule.key_prefix,
        )(run_once)
