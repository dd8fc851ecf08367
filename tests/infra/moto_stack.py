"""The stack's data resources made on moto from ``infra/template.yaml`` itself.

Tables get the template's key schemas, indexes, TTL and point-in-time recovery;
buckets its versioning, SSE-KMS and public access block; and each function's
environment is the template's, with every ``Ref``/``GetAtt``/``Sub``/``If`` resolved to
what was made here. So an end-to-end test that passes proves the code works with the
resources exactly as the template declares them, not with a hand-made copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.infra.template import template

REGION = "eu-west-2"
ACCOUNT = "123456789012"  # moto's default account


@dataclass
class MotoStack:
    """Physical names by logical id, and the parameters the stack was made with."""

    parameters: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)

    def environment(self, function: str) -> dict[str, str]:
        """The function's environment variables as CloudFormation would set them."""
        document = template()
        variables = dict(document["Globals"]["Function"]["Environment"]["Variables"])
        variables.update(document["Resources"][function]["Properties"]["Environment"]["Variables"])
        resolved = {}
        for name, value in variables.items():
            value = self.resolve(value)
            if value is not None:
                resolved[name] = value
        return resolved

    def resolve(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        ((function, argument),) = value.items()
        if function == "Ref":
            if argument == "AWS::NoValue":
                return None
            if argument in self.parameters:
                return self.parameters[argument]
            return self.names[argument]
        if function == "Fn::GetAtt":
            logical_id, attribute = argument
            assert attribute == "Arn", attribute
            return self.arns[logical_id]
        if function == "Fn::Sub":
            return re.sub(r"\$\{([^}]+)\}", lambda m: self.resolve({"Ref": m.group(1)}), argument)
        if function == "Fn::If":
            condition, when_true, when_false = argument
            return self.resolve(when_true if self.condition(condition) else when_false)
        raise NotImplementedError(function)

    def condition(self, name: str) -> bool:
        return self._evaluate(template()["Conditions"][name])

    def _evaluate(self, expression: Any) -> Any:
        if not isinstance(expression, dict):
            return expression
        ((function, argument),) = expression.items()
        if function == "Fn::Not":
            return not self._evaluate(argument[0])
        if function == "Fn::Equals":
            left, right = (self._evaluate(side) for side in argument)
            return left == right
        if function == "Ref":
            return self.parameters[argument]
        raise NotImplementedError(function)


def defaults() -> dict[str, str]:
    return {
        name: str(spec["Default"])
        for name, spec in template()["Parameters"].items()
        if "Default" in spec
    }


def create_stack(parameters: dict[str, str]) -> MotoStack:
    """Make the template's key, buckets, tables, secrets, mail identity and configuration set."""
    import boto3

    stack = MotoStack({**defaults(), **parameters})
    resources = template()["Resources"]

    key = boto3.client("kms").create_key(Description="DataKey")["KeyMetadata"]
    stack.names["DataKey"], stack.arns["DataKey"] = key["KeyId"], key["Arn"]

    s3 = boto3.client("s3")
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        properties = resource["Properties"]
        bucket = f"test-{logical_id.lower()}"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration=properties["PublicAccessBlockConfiguration"],
        )
        s3.put_bucket_versioning(
            Bucket=bucket, VersioningConfiguration=properties["VersioningConfiguration"]
        )
        rules = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": {
                            "SSEAlgorithm": rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
                            "KMSMasterKeyID": stack.arns["DataKey"],
                        },
                        "BucketKeyEnabled": rule["BucketKeyEnabled"],
                    }
                    for rule in rules
                ]
            },
        )
        stack.names[logical_id] = bucket
        stack.arns[logical_id] = f"arn:aws:s3:::{bucket}"

    dynamodb = boto3.client("dynamodb")
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        properties = resource["Properties"]
        table = f"test-{logical_id.lower()}"
        request: dict[str, Any] = {
            "TableName": table,
            "KeySchema": properties["KeySchema"],
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "BillingMode": properties["BillingMode"],
        }
        if "GlobalSecondaryIndexes" in properties:
            request["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
        description = dynamodb.create_table(**request)["TableDescription"]
        if "TimeToLiveSpecification" in properties:
            dynamodb.update_time_to_live(
                TableName=table, TimeToLiveSpecification=properties["TimeToLiveSpecification"]
            )
        dynamodb.update_continuous_backups(
            TableName=table,
            PointInTimeRecoverySpecification=properties["PointInTimeRecoverySpecification"],
        )
        stack.names[logical_id] = table
        stack.arns[logical_id] = description["TableArn"]

    secrets = boto3.client("secretsmanager")
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::SecretsManager::Secret":  # GenerateSecretString
            made = secrets.create_secret(Name=f"test-{logical_id.lower()}", SecretString="k" * 64)
            stack.names[logical_id] = stack.arns[logical_id] = made["ARN"]  # Ref is the ARN

    sesv2 = boto3.client("sesv2")
    configuration_set = "test-mail"
    sesv2.create_configuration_set(ConfigurationSetName=configuration_set)
    stack.names["MailConfigurationSet"] = configuration_set
    sesv2.create_email_identity(EmailIdentity=stack.parameters["MailDomain"])
    boto3.client("ses").verify_domain_identity(Domain=stack.parameters["MailDomain"])
    stack.names["BundleUrlKeyA"] = "K2JCJMDEHXQW5F"
    stack.names["BundleUrlKeyB"] = "K3BSLOTBBBBBBB"
    stack.names["NotifyFunction"] = "test-notify"
    return stack
