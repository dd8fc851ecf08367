"""The template gives each function exactly the settings marked as read by it, so no
function falls back to a local adapter on AWS (a report written to /tmp would be lost)."""

import json
from base64 import b64encode
from pathlib import Path

import pytest

from tests.infra.template import ROOT, template
from uglymugs import composition
from uglymugs.config import Settings, readers, variable
from uglymugs.reports.keyring import ReportKeyRing

FUNCTIONS = {"ReportFunction": "report", "AlertsFunction": "alerts", "NotifyFunction": "notify"}


def function_environment(function: str) -> dict:
    """The function's ``UGLYMUGS_*`` variables (Powertools reads its own ``POWERTOOLS_*``)."""
    variables = template()["Resources"][function]["Properties"]["Environment"]["Variables"]
    return {name: value for name, value in variables.items() if not name.startswith("POWERTOOLS_")}


def settings_of(function: str) -> set[str]:
    """The settings fields the template sets for ``function``."""
    by_variable = {variable(name): name for name in Settings.model_fields}
    unknown = set(function_environment(function)) - set(by_variable)
    assert unknown == set(), f"{function} sets variables no setting reads: {unknown}"
    return {by_variable[name] for name in function_environment(function)}


def placeholders(function: str) -> dict[str, str]:
    """The function's environment with deploy-time values replaced by plausible strings."""
    key = b64encode(bytes(32)).decode()
    values = {
        name: value if isinstance(value, str) else f"placeholder-{name.lower()}"
        for name, value in function_environment(function).items()
    }
    values["UGLYMUGS_REPORT_KEYRING"] = ReportKeyRing("report-k", {"report-k": bytes(32)}).to_json()
    values["UGLYMUGS_BUNDLE_VERIFY_KEYS"] = json.dumps({"bundle-k": key})
    values["UGLYMUGS_SITE_URL"] = "https://alerts.example.org"
    values["UGLYMUGS_SMS_SENDER_ID"] = "UglyMugs"
    values["UGLYMUGS_MAIL_HOURLY_CAP"] = "200"
    return {name: value for name, value in values.items() if name in function_environment(function)}


def placeholder_settings(function: str) -> Settings:
    return Settings.from_environ(placeholders(function))


@pytest.mark.parametrize("function", list(FUNCTIONS))
def test_the_template_sets_exactly_the_settings_the_function_reads(function):
    marked = {name for name in Settings.model_fields if FUNCTIONS[function] in readers(name)}
    assert settings_of(function) == marked


def test_every_setting_has_a_reader_and_a_description():
    for name, field in Settings.model_fields.items():
        assert readers(name), name
        assert field.description, name


ADAPTERS = {
    "ReportFunction": {
        "report_vault": "S3ReportVault",
        "idempotency_ledger": "DynamoDBIdempotencyLedger",
        "report_intake": "PowertoolsIdempotentIntake",
    },
    "AlertsFunction": {
        "member_directory": "DynamoDBMemberDirectory",
        "session_store": "DynamoDBSessionStore",
        "bundle_shelf": "S3BundleShelf",
        "mailer": "SESMailer",
        "survey_store": "DynamoDBSurveyStore",
    },
    "NotifyFunction": {
        "notification_ledger": "DynamoDBNotificationLedger",
        "member_directory": "DynamoDBMemberDirectory",
        "bundle_shelf": "S3BundleShelf",
        "mailer": "SESMailer",
        "texter": "SNSTexter",
    },
}


@pytest.mark.parametrize("function", list(FUNCTIONS))
def test_with_the_templates_settings_every_port_is_an_aws_adapter(function):
    settings = placeholder_settings(function)
    for builder, adapter in ADAPTERS[function].items():
        assert type(getattr(composition, builder)(settings)).__name__ == adapter, builder


def test_each_function_builds_from_its_settings_alone():
    composition.report_app(placeholder_settings("ReportFunction"))
    composition.member_app(placeholder_settings("AlertsFunction"))
    composition.notify_services(placeholder_settings("NotifyFunction"))
    handler = composition.notify_handler(placeholder_settings("NotifyFunction"))
    assert type(handler).__name__ == "OncePerSequence"


def test_every_function_directory_holds_its_entry_point():
    for name, resource in template()["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            code = (ROOT / "infra" / resource["Properties"]["CodeUri"]).resolve()
            assert (code / "app.py").is_file(), name
            assert Path(code).parent == ROOT / "functions", name
