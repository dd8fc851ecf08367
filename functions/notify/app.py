"""Lambda entry point of the notify function: publications out, delivery feedback in.

Invoked asynchronously by ``uglymugs publish --target aws`` with ``{"sequence": N}``,
by a schedule with ``{"catch_up": true}`` to retry failures, and by SNS with SES
bounce and complaint notifications. The work is in :mod:`uglymugs.notify`; a publish
event delivered twice runs once (:mod:`uglymugs.notify.idempotency`, Powertools
Idempotency on AWS). Logs and metrics are counts only; ``log_event`` stays off (an SES
notification holds addresses).
"""

import logging

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from uglymugs import composition
from uglymugs.config import Settings
from uglymugs.notify.events import record_metrics

logger = Logger(service="notify")
metrics = Metrics(namespace="uglymugs", service="notify")
logging.getLogger("uglymugs")
copy_config_to_registered_loggers(source_logger=logger, include={"uglymugs"})
settings = Settings.from_env()
services = composition.notify_services(settings)
handle_once = composition.notify_handler(settings)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: object) -> dict:
    summary = handle_once(event, services.for_invocation(context), context)
    record_metrics(metrics, summary)
    logger.info("notify finished", extra={"summary": summary})
    return summary
