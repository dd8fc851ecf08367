"""Lambda entry point of the alerts function: the member API behind Mangum.

Joining, passwords, log-in sessions, preferences, the signed alert bundles (as
short-lived signed URLs) and identifier checks. Powertools Logger writes structured
logs with the API's request id as correlation id, and the library's ``uglymugs``
loggers go through it; ``log_event`` stays off because the event holds the caller's
IP address, user agent and cookie, and a check's body holds the identifier a member
looked up. Metrics count members joined. No Tracer (half a second of cold start).
"""

import logging

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from mangum import Mangum

from uglymugs import composition
from uglymugs.config import Settings

logger = Logger(service="alerts")
metrics = Metrics(namespace="uglymugs", service="alerts")
logging.getLogger("uglymugs")
copy_config_to_registered_loggers(source_logger=logger, include={"uglymugs"})
app = composition.member_app(Settings.from_env(), metrics=metrics)
handler = logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)(
    metrics.log_metrics(Mangum(app, lifespan="off"))
)
