"""Lambda entry point of the report function: the report API behind Mangum.

Powertools Logger writes structured logs, and the library's own ``uglymugs`` loggers
go through it; ``log_event`` stays off because the event holds the caller's IP
address and user agent. Metrics count reports received.
"""

import logging
import os

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from mangum import Mangum

from uglymugs.reports.api import create_report_app_from_environment

logger = Logger(service="report")
metrics = Metrics(namespace="uglymugs", service="report")
logging.getLogger("uglymugs")
copy_config_to_registered_loggers(source_logger=logger, include={"uglymugs"})
app = create_report_app_from_environment(os.environ, metrics=metrics)
handler = logger.inject_lambda_context(metrics.log_metrics(Mangum(app, lifespan="off")))
