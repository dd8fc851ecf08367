"""``uglymugs aws store-public-keys`` against moto, and what ``uglymugs aws env`` reads.

(moto's CloudFormation needs packages this project does not install; the outputs are
read through a fake client in ``tests/deploy/test_stack.py``.)"""

import json
import subprocess
import sys

import pytest

from tests.infra.template import template
from uglymugs.cli import main
from uglymugs.crypto import TEST_KDF, create_keys, load_public_keys
from uglymugs.deploy.stack import OUTPUT_VARIABLES
from uglymugs.reports.keyring import ReportKeyRing


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    return data


def test_store_public_keys_writes_the_parameters_the_template_reads(mocked_aws, data_dir, capsys):
    import boto3

    create_keys(data_dir / "keys", "a passphrase", kdf=TEST_KDF)
    assert main(["aws", "store-public-keys"]) == 0
    ssm = boto3.client("ssm")
    parameters = template()["Parameters"]
    ring = ssm.get_parameter(Name=parameters["ReportKeyRing"]["Default"])["Parameter"]
    verify = ssm.get_parameter(Name=parameters["BundleVerifyKeys"]["Default"])["Parameter"]
    public = load_public_keys(data_dir / "keys")
    assert ReportKeyRing.from_json(ring["Value"]).current_public_key == public.report_public_key
    assert set(json.loads(verify["Value"])) == {public.bundle_key_id}
    assert ring["Type"] == verify["Type"] == "String"  # public halves only
    assert "a passphrase" not in capsys.readouterr().out


def test_every_output_the_command_reads_is_in_the_template_and_names_its_variable():
    outputs = template()["Outputs"]
    for output, variable in OUTPUT_VARIABLES.items():
        assert f"({variable})" in outputs[output]["Description"], output


def test_the_aws_command_loads_no_aws_code_until_it_runs():
    code = "import sys, uglymugs.cli.aws; print('boto3' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"
