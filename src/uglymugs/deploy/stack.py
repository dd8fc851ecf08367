"""From a deployed stack to the environment of the ``uglymugs`` command, and back.

``uglymugs publish --target aws``, ``uglymugs members`` and ``uglymugs notify status``
find the stack's buckets, tables and notify function through environment variables.
:func:`environment_from_outputs` reads them from the stack's outputs
(CloudFormation ``DescribeStacks``), for ``eval "$(uglymugs aws env)"``.

The functions trust public keys given at deploy time: :func:`public_key_parameters`
gives the report key ring and the bundle verify keys as the SSM parameters the
template reads (``/uglymugs/report-key-ring``, ``/uglymugs/bundle-verify-keys``).
Only public halves ever leave the staff machine this way.
"""

from __future__ import annotations

import json
import shlex
from base64 import b64encode
from collections.abc import Mapping
from typing import Any

DEFAULT_STACK = "uglymugs"
DEFAULT_PARAMETER_PREFIX = "/uglymugs"

# Stack output -> the variable the command reads it from.
OUTPUT_VARIABLES: Mapping[str, str] = {
    "SiteUrl": "UGLYMUGS_SITE_URL",
    "SiteBucket": "UGLYMUGS_SITE_BUCKET",
    "DistributionId": "UGLYMUGS_DISTRIBUTION_ID",
    "BundleBucket": "UGLYMUGS_BUNDLE_BUCKET",
    "BundleKmsKeyId": "UGLYMUGS_BUNDLE_KMS_KEY_ID",
    "VaultBucket": "UGLYMUGS_VAULT_BUCKET",
    "MembersTable": "UGLYMUGS_MEMBERS_TABLE",
    "SessionsTable": "UGLYMUGS_SESSIONS_TABLE",
    "NotifyLedgerTable": "UGLYMUGS_NOTIFY_LEDGER_TABLE",
    "CasesTable": "UGLYMUGS_CASES_TABLE",
    "SurveyTable": "UGLYMUGS_SURVEY_TABLE",
    "SurveyResponsesTable": "UGLYMUGS_SURVEY_RESPONSES_TABLE",
    "NotifyFunction": "UGLYMUGS_NOTIFY_FUNCTION",
    "MailFrom": "UGLYMUGS_MAIL_FROM",
    "MailConfigurationSet": "UGLYMUGS_SES_CONFIGURATION_SET",
}


class StackNotFoundError(LookupError):
    """No stack of that name in this account and region (or no right to see it)."""


def environment_from_outputs(stack_name: str, client: Any = None) -> dict[str, str]:
    """``{variable: value}`` for every output of ``stack_name`` the command reads."""
    from botocore.exceptions import ClientError

    if client is None:
        import boto3

        client = boto3.client("cloudformation")
    try:
        (stack,) = client.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        raise StackNotFoundError(f"no stack {stack_name!r}: {error}") from None
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    return {
        variable: outputs[output]
        for output, variable in OUTPUT_VARIABLES.items()
        if output in outputs
    }


def shell_exports(environment: Mapping[str, str]) -> str:
    """``export NAME=value`` lines, quoted for any POSIX shell."""
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in environment.items())


def public_key_parameters(
    public_keys: Any, prefix: str = DEFAULT_PARAMETER_PREFIX
) -> dict[str, str]:
    """SSM parameter name -> value, from :class:`uglymugs.crypto.keys.PublicKeys`."""
    from uglymugs.reports.keyring import ReportKeyRing

    verify_keys = {public_keys.bundle_key_id: b64encode(public_keys.bundle_verify_key).decode()}
    return {
        f"{prefix}/report-key-ring": ReportKeyRing.from_public_keys(public_keys).to_json(),
        f"{prefix}/bundle-verify-keys": json.dumps(verify_keys, sort_keys=True),
    }


def store_parameters(parameters: Mapping[str, str], client: Any = None) -> None:
    """Write (or overwrite) each as a plain String parameter: they are public keys."""
    if client is None:
        import boto3

        client = boto3.client("ssm")
    for name, value in parameters.items():
        client.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
