"""Stack outputs become the command's environment; public keys become SSM parameters."""

import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from uglymugs.deploy.stack import (
    OUTPUT_VARIABLES,
    StackNotFoundError,
    environment_from_outputs,
    shell_exports,
)


class FakeCloudFormation:
    """Answers DescribeStacks as CloudFormation does, for one stack."""

    def __init__(self, name, outputs):
        self.name = name
        self.outputs = outputs

    def describe_stacks(self, StackName):
        if StackName != self.name:
            raise ClientError(
                {"Error": {"Code": "ValidationError", "Message": "does not exist"}},
                "DescribeStacks",
            )
        outputs = [{"OutputKey": k, "OutputValue": v} for k, v in self.outputs.items()]
        return {"Stacks": [{"StackName": self.name, "Outputs": outputs}]}


def test_the_outputs_the_command_reads_become_its_variables():
    outputs = {key: f"value-of-{key}" for key in OUTPUT_VARIABLES}
    outputs["StaffPolicyArn"] = "arn:aws:iam::123456789012:policy/staff"  # not a variable
    environment = environment_from_outputs("uglymugs", FakeCloudFormation("uglymugs", outputs))
    assert environment["UGLYMUGS_BUNDLE_BUCKET"] == "value-of-BundleBucket"
    assert environment["UGLYMUGS_NOTIFY_FUNCTION"] == "value-of-NotifyFunction"
    assert set(environment) == set(OUTPUT_VARIABLES.values())


def test_a_missing_stack_is_a_plain_error():
    with pytest.raises(StackNotFoundError, match="no stack 'other'"):
        environment_from_outputs("other", FakeCloudFormation("uglymugs", {}))


def test_the_exports_survive_a_real_shell():
    script = shell_exports(
        {"UGLYMUGS_MAIL_FROM": "Ugly Mugs <alerts@example.org>", "UGLYMUGS_X": "it's $HOME"}
    )
    shown = subprocess.run(
        ["sh", "-c", script + 'printf "%s|%s" "$UGLYMUGS_MAIL_FROM" "$UGLYMUGS_X"'],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"]},
    )
    assert shown.stdout == "Ugly Mugs <alerts@example.org>|it's $HOME"
