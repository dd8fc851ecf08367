"""Lambda entry point of the report function: the report API behind Mangum.

Powertools Logger writes structured logs with the API's request id as correlation
id, and the library's own ``uglymugs`` loggers go through it; ``log_event`` stays off
because the event holds the caller's IP address and user agent. Metrics count
reports received. Powertools Idempotency (on AWS) needs each invocation's context:
see :mod:`uglymugs.reports.powertools_idempotency`. No Tracer: the X-Ray SDK would
cost about half a second of every cold start.
"""

import logging

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from mangum import Mangum

from uglymugs import composition
from uglymugs.config import Settings
from uglymugs.reports.powertools_idempotency import current_lambda_context

logger = Logger(service="report")
metrics = Metrics(namespace="uglymugs", service="report")
logging.getLogger("uglymugs")
copy_config_to_registered_loggers(source_logger=logger, include={"uglymugs"})
app = composition.report_app(Settings.from_env(), metrics=metrics)
http = Mangum(app, lifespan="off")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def handler(event, context):
    current_lambda_context.set(context)
    return http(event, context)
