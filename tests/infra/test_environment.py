"""The template sets every variable a function reads, so no function falls back to a
local adapter on AWS (a report written to /tmp would be lost)."""

import json
import re
from base64 import b64encode
from pathlib import Path

import pytest

from tests.infra.template import ROOT, template
from uglymugs.members.api import create_member_app_from_environment
from uglymugs.notify.events import handle_event
from uglymugs.notify.idempotency import once_per_sequence_from_environment
from uglymugs.notify.services import notify_services_from_environment
from uglymugs.reports.api import create_report_app_from_environment
from uglymugs.reports.keyring import ReportKeyRing

# Read by the command on staff machines and in CI, never by a function.
NOT_FOR_FUNCTIONS = {
    "UGLYMUGS_DATA_DIR": "the local adapters' directory; unused when every adapter is named",
    "UGLYMUGS_KEY_PASSPHRASE": "unlocks private keys on staff machines and in CI",
    "UGLYMUGS_BUNDLE_KMS_KEY_ID": "uglymugs publish --target aws encrypts bundles under it",
    "UGLYMUGS_NOTIFY_FUNCTION": "uglymugs publish --target aws invokes it",
    "UGLYMUGS_SITE_BUCKET": "where the publish job uploads the built site",
    "UGLYMUGS_DISTRIBUTION_ID": "the publish job invalidates its cache",
}


class RecordingEnviron(dict):
    """An environment that remembers every name looked up, set or not."""

    def __init__(self, values):
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)


def function_environment(function: str) -> dict:
    return template()["Resources"][function]["Properties"]["Environment"]["Variables"]


def placeholders(function: str) -> dict[str, str]:
    """The function's variables with deploy-time values replaced by plausible strings."""
    key = b64encode(bytes(32)).decode()
    values = {
        name: value if isinstance(value, str) else f"placeholder-{name.lower()}"
        for name, value in function_environment(function).items()
    }
    values["UGLYMUGS_REPORT_KEYRING"] = ReportKeyRing("report-k", {"report-k": bytes(32)}).to_json()
    values["UGLYMUGS_BUNDLE_VERIFY_KEYS"] = json.dumps({"bundle-k": key})
    values["UGLYMUGS_SITE_URL"] = "https://alerts.example.org"
    values["UGLYMUGS_SMS_SENDER_ID"] = "UglyMugs"
    if "UGLYMUGS_MAIL_HOURLY_CAP" in values:
        values["UGLYMUGS_MAIL_HOURLY_CAP"] = "200"
    return values


def build_notify(environ):
    """What ``functions/notify/app.py`` builds at a cold start."""
    once_per_sequence_from_environment(handle_event, environ)
    return notify_services_from_environment(environ)


BUILDERS = {
    "ReportFunction": create_report_app_from_environment,
    "AlertsFunction": create_member_app_from_environment,
    "NotifyFunction": build_notify,
}


@pytest.mark.parametrize("function", list(BUILDERS))
def test_every_variable_the_function_reads_is_set(function):
    environ = RecordingEnviron(placeholders(function))
    BUILDERS[function](environ)
    read = {name for name in environ.read if name.startswith("UGLYMUGS_")}
    missing = read - set(function_environment(function)) - set(NOT_FOR_FUNCTIONS)
    assert missing == set()
    assert read  # the builder really read its environment


def test_every_variable_named_in_the_code_is_set_for_a_function_or_explained():
    names = set()
    for path in (ROOT / "src" / "uglymugs").rglob("*.py"):
        names |= set(re.findall(r'"(UGLYMUGS_[A-Z_]+)"', path.read_text(encoding="utf-8")))
    set_somewhere = set()
    for function in ("ReportFunction", "AlertsFunction", "NotifyFunction"):
        set_somewhere |= set(function_environment(function))
    assert names - set_somewhere - set(NOT_FOR_FUNCTIONS) == set()


def test_every_function_directory_holds_its_entry_point():
    for name, resource in template()["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            code = (ROOT / "infra" / resource["Properties"]["CodeUri"]).resolve()
            assert (code / "app.py").is_file(), name
            assert Path(code).parent == ROOT / "functions", name
