"""The report function's intake behind Powertools Idempotency (DynamoDB), on AWS.

Two layers, each doing what it is good at:

1. **Powertools Idempotency, outside.** Keyed by a digest of the submission's
   idempotency key (never its ciphertext), it records the request as in progress,
   runs the intake once, and stores the answer (the report number) for 24 hours. A
   retry after success gets that answer without touching the ledger or the vault; a
   retry while the first attempt still runs is refused (503 with ``Retry-After``,
   which the report form turns into "send again"); the same key with a different
   ciphertext fails Powertools' payload validation (409 ``idempotency_key_reused``).
2. **The claim ledger and the create-if-absent vault write, inside**
   (:mod:`uglymugs.reports.intake`). They bind the key to one report number and heal a
   crash between the claim and the vault write, which Powertools alone cannot do: its
   record is deleted when the intake raises, and left "in progress" when the function
   is killed (a timeout, out of memory) until the invocation's own deadline passes.
   Either way the next retry runs the intake again, the claim returns the number
   already bound, and the vault write stores the report if the first attempt did not.
   If Powertools cannot record the answer after the report was stored, the retry
   finds the report in the vault and answers the same number.

So nothing is lost, nothing is stored twice, and a report number never changes,
whichever of the two tables or the vault fails when.

Powertools' idempotency module costs ~275 ms to import, so it is imported on the first
report that carries an idempotency key, not at a cold start. The Lambda context (for
the in-progress deadline) comes from :data:`current_lambda_context`, set by the entry
point for every invocation.
"""

from __future__ import annotations

import contextvars
from datetime import timedelta
from typing import Any

from uglymugs.powertools.idempotency import IdempotencyRule, LazyIdempotentFunction
from uglymugs.reports.claims import IDEMPOTENCY_TTL
from uglymugs.reports.intake import (
    IdempotencyConflictError,
    Receipt,
    ReportIntake,
    digest,
)
from uglymugs.reports.submission import Submission

current_lambda_context: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "current_lambda_context", default=None
)


class ReportInProgressError(Exception):
    """A retry arrived while the first attempt with its idempotency key was still running."""


class PowertoolsIdempotentIntake:
    """:class:`ReportIntake` with Powertools Idempotency in front, persisted in ``table_name``."""

    def __init__(
        self,
        intake: ReportIntake,
        table_name: str,
        expires_after: timedelta = IDEMPOTENCY_TTL,
        client: Any = None,
    ) -> None:
        self.intake = intake
        rule = IdempotencyRule(
            key_prefix="uglymugs.report",
            key_path="key",
            payload_path="payload",
            expires_after=expires_after,
            # A stored answer is a replay: the report was stored by an earlier request.
            response_hook=lambda answer, _record: {**answer, "replayed": True},
        )
        self._accept_once = LazyIdempotentFunction(self._accept, table_name, rule, client)

    def accept(self, submission: Submission) -> Receipt:
        if submission.idempotency_key is None:
            return self.intake.accept(submission)  # nothing to recognise a retry by
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyValidationError,
        )

        request = {
            "key": digest(submission.idempotency_key.encode("utf-8")),
            "payload": digest(submission.key_id.encode("utf-8"), submission.ciphertext),
        }
        try:
            answer = self._accept_once(request, current_lambda_context.get(), submission=submission)
        except IdempotencyValidationError:
            raise IdempotencyConflictError from None
        except IdempotencyAlreadyInProgressError:
            raise ReportInProgressError from None
        return Receipt(answer["report_number"], replayed=answer["replayed"])

    def _accept(self, _request: dict[str, str], submission: Submission) -> dict[str, Any]:
        receipt = self.intake.accept(submission)
        return {"report_number": receipt.report_number, "replayed": receipt.replayed}
