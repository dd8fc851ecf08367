"""The baseline: the smallest useful Python Lambda, which imports only boto3."""

import boto3  # noqa: F401 - the import is what is measured


def handler(event, context):
    return {"statusCode": 200, "body": "{}"}
