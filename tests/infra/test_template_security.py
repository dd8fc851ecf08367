"""What the deployed configuration promises, asserted over the template.

Buckets private, versioned and encrypted; the report function can write sealed reports
but read nothing; no API, CloudFront or S3 log that could hold an IP address; every
table recoverable to a point in time; alarms on errors and throttles.
"""

from fnmatch import fnmatchcase

import pytest

from tests.infra.template import (
    as_list,
    expanded,
    resources,
    role_statements,
    statements,
    template,
)

BUCKETS = ("SiteBucket", "VaultBucket", "BundleBucket")
FUNCTIONS = ("ReportFunction", "AlertsFunction", "NotifyFunction")


def allows(statement: dict, action: str) -> bool:
    """Whether an Allow statement's actions cover ``action`` (wildcards included)."""
    if statement.get("Effect") != "Allow":
        return False
    return any(
        fnmatchcase(action.lower(), pattern.lower()) for pattern in as_list(statement["Action"])
    )


def mentions(value: object, logical_id: str) -> bool:
    """Whether an intrinsic-function tree refers to ``logical_id``."""
    return logical_id in repr(value)


def test_every_bucket_is_private_versioned_and_encrypted_under_the_data_key():
    found = dict(resources(template(), "AWS::S3::Bucket"))
    assert set(found) == set(BUCKETS)
    for name, bucket in found.items():
        properties = bucket["Properties"]
        block = properties["PublicAccessBlockConfiguration"]
        assert all(
            block[flag] is True
            for flag in (
                "BlockPublicAcls",
                "BlockPublicPolicy",
                "IgnorePublicAcls",
                "RestrictPublicBuckets",
            )
        ), name
        assert properties["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": "BucketOwnerEnforced"}
        ]
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}, name
        (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        default = rule["ServerSideEncryptionByDefault"]
        assert default["SSEAlgorithm"] == "aws:kms", name
        assert default["KMSMasterKeyID"] == {"Fn::GetAtt": ["DataKey", "Arn"]}, name


def test_no_bucket_policy_lets_anyone_in_and_every_bucket_refuses_plain_http():
    policies = {
        policy["Properties"]["Bucket"]["Ref"]: policy["Properties"]["PolicyDocument"]
        for _, policy in resources(template(), "AWS::S3::BucketPolicy")
    }
    assert set(policies) == set(BUCKETS)
    for bucket, document in policies.items():
        for statement in statements(document):
            if statement["Effect"] == "Allow":
                assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}, bucket
                assert mentions(statement["Condition"], "Distribution"), bucket
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements(document)
        ), bucket


def test_cloudfront_may_read_the_site_and_bundle_files_but_never_the_vault():
    policies = {
        policy["Properties"]["Bucket"]["Ref"]: policy["Properties"]["PolicyDocument"]
        for _, policy in resources(template(), "AWS::S3::BucketPolicy")
    }
    assert not any(s["Effect"] == "Allow" for s in statements(policies["VaultBucket"]))
    (bundle_read,) = [s for s in statements(policies["BundleBucket"]) if s["Effect"] == "Allow"]
    # The bundle files only (seq-NNNNNN/…): never manifest.json.
    assert bundle_read["Resource"] == {"Fn::Sub": "${BundleBucket.Arn}/seq-*"}


def test_the_report_function_can_write_sealed_reports_and_read_nothing():
    everything = expanded()
    granted = role_statements(everything, "ReportFunction")
    for action in ("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "kms:Decrypt"):
        assert not any(allows(s, action) for s in granted), action
    s3 = [s for s in granted if any(a.lower().startswith("s3:") for a in as_list(s["Action"]))]
    assert [as_list(s["Action"]) for s in s3] == [["s3:PutObject"]]
    assert s3[0]["Resource"] == {"Fn::Sub": "${VaultBucket.Arn}/reports/*"}
    kms = [s for s in granted if any(a.lower().startswith("kms:") for a in as_list(s["Action"]))]
    assert [as_list(s["Action"]) for s in kms] == [["kms:GenerateDataKey"]]
    role = everything["Resources"]["ReportFunctionRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_may_read_survey_answers_and_only_the_alerts_function_writes_them(function):
    """The member API puts an answer (inside its marker's transaction) and never reads
    one back: a compromised function cannot list what members said."""
    touching = [
        s
        for s in role_statements(expanded(), function)
        if mentions(s["Resource"], "SurveyResponsesTable")
    ]
    if function != "AlertsFunction":
        assert touching == [], function
        return
    assert [as_list(s["Action"]) for s in touching] == [["dynamodb:PutItem"]]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_may_read_the_vault(function):
    for statement in role_statements(expanded(), function):
        if any(allows(statement, a) for a in ("s3:GetObject", "s3:ListBucket")):
            assert not mentions(statement["Resource"], "VaultBucket"), function


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_has_a_wildcard_action_except_sms(function):
    for statement in role_statements(expanded(), function):
        for action in as_list(statement["Action"]):
            assert "*" not in action, (function, action)
        if statement["Resource"] == "*":
            assert set(as_list(statement["Action"])) <= {
                "sns:Publish",
                "sns:ListPhoneNumbersOptedOut",
                "sns:CheckIfPhoneNumberIsOptedOut",
                "sqs:SendMessage",
                "ses:GetAccount",  # the sending quota: an account, not a resource
            }, (function, statement)


def test_no_api_gateway_stage_keeps_an_access_log():
    for name, stage in resources(expanded(), "AWS::ApiGatewayV2::Stage"):
        assert "AccessLogSettings" not in stage["Properties"], name
    for name, api in resources(template(), "AWS::Serverless::HttpApi"):
        assert "AccessLogSettings" not in api["Properties"], name


def test_cloudfront_keeps_no_log():
    config = template()["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    assert "Logging" not in config
    for type_ in (
        "AWS::CloudFront::RealtimeLogConfig",
        "AWS::Logs::DeliverySource",
        "AWS::Logs::Delivery",
        "AWS::WAFv2::LoggingConfiguration",
        "AWS::CloudTrail::Trail",
    ):
        assert not list(resources(expanded(), type_)), type_
    for _, bucket in resources(template(), "AWS::S3::Bucket"):
        assert "LoggingConfiguration" not in bucket["Properties"]


def test_the_api_origin_gets_nothing_that_identifies_a_visitor():
    config = template()["Resources"]["ApiOriginRequestPolicy"]["Properties"][
        "OriginRequestPolicyConfig"
    ]
    assert config["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Content-Type"]}
    assert config["CookiesConfig"] == {
        "CookieBehavior": "whitelist",
        "Cookies": ["__Host-um_session"],
    }


@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_never_log_their_event_and_trace_nothing(function):
    everything = expanded()
    properties = everything["Resources"][function]["Properties"]
    variables = properties["Environment"]["Variables"]
    assert variables.get("POWERTOOLS_LOGGER_LOG_EVENT", "false") == "false"
    assert "TracingConfig" not in properties or properties["TracingConfig"]["Mode"] != "Active"
    assert properties["Runtime"] == "python3.12"
    assert properties["Architectures"] == ["arm64"]


def test_every_table_has_point_in_time_recovery_and_expiring_items_have_ttl():
    tables = dict(resources(template(), "AWS::DynamoDB::Table"))
    assert set(tables) == {
        "MembersTable",
        "SessionsTable",
        "ReportClaimsTable",
        "NotifyLedgerTable",
        "IdempotencyTable",
        "CasesTable",
        "SurveyTable",
        "SurveyResponsesTable",
    }
    for name, table in tables.items():
        properties = table["Properties"]
        assert properties["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True
        }, name
        assert properties["SSESpecification"] == {"SSEEnabled": True}, name
        # members, cases and survey answers do not expire
        if name not in ("MembersTable", "CasesTable", "SurveyTable", "SurveyResponsesTable"):
            assert properties["TimeToLiveSpecification"] == {
                "AttributeName": "expiration",
                "Enabled": True,
            }, name


def test_what_cannot_be_rebuilt_outlives_the_stack():
    everything = template()["Resources"]
    retained = (
        "VaultBucket",
        "BundleBucket",
        "MembersTable",
        "NotifyLedgerTable",
        "CasesTable",
        "SurveyTable",
        "SurveyResponsesTable",
    )
    for name in (*retained, "DataKey"):
        assert everything[name]["DeletionPolicy"] == "Retain", name
        assert everything[name]["UpdateReplacePolicy"] == "Retain", name
    assert everything["DataKey"]["Properties"]["EnableKeyRotation"] is True


def test_the_http_api_is_throttled():
    settings = template()["Resources"]["HttpApi"]["Properties"]["DefaultRouteSettings"]
    assert settings["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}


def test_alarms_watch_api_errors_and_every_functions_errors_and_throttles():
    watched = set()
    for _, alarm in resources(template(), "AWS::CloudWatch::Alarm"):
        properties = alarm["Properties"]
        (dimension,) = properties["Dimensions"]
        value = dimension["Value"]
        if isinstance(value, dict):
            value = value.get("Ref", str(value))
        watched.add((properties["MetricName"], value))
        assert properties["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert ("5xx", "HttpApi") in watched
    assert ("AccountMailCapReached", "alerts") in watched  # the alerts function's service
    for function in FUNCTIONS:
        assert ("Errors", function) in watched
        assert ("Throttles", function) in watched


@pytest.mark.parametrize(("active", "key_id", "secret"), [("A", "K-A", "-a"), ("B", "K-B", "-b")])
def test_bundle_url_keys_rotate_through_two_slots(active, key_id, secret):
    from tests.infra.moto_stack import MotoStack, defaults

    stack = MotoStack(
        {**defaults(), "BundleUrlPublicKeyB": "/uglymugs/next", "ActiveBundleUrlKey": active},
        names={"BundleUrlKeyA": "K-A", "BundleUrlKeyB": "K-B"},
    )
    items = template()["Resources"]["BundleUrlKeyGroup"]["Properties"]["KeyGroupConfig"]["Items"]
    trusted = [stack.resolve(item) for item in items]
    assert trusted == ["K-A", "K-B"]  # during a rotation CloudFront trusts both
    environment = {
        name: stack.resolve(value)
        for name, value in template()["Resources"]["AlertsFunction"]["Properties"]["Environment"][
            "Variables"
        ].items()
        if name.startswith("UGLYMUGS_BUNDLE_URL_")
    }
    assert environment == {
        "UGLYMUGS_BUNDLE_URL_KEY_ID": key_id,
        "UGLYMUGS_BUNDLE_URL_KEY_SECRET": "uglymugs/bundle-url-private-key" + secret,
    }
    (readable,) = [
        s
        for s in role_statements(expanded(), "AlertsFunction")
        if allows(s, "secretsmanager:GetSecretValue") and s.get("Sid") == "SignBundleUrls"
    ]
    assert [resource["Fn::Sub"][-9:] for resource in readable["Resource"]] == [
        "-a-??????",
        "-b-??????",
    ]


def test_a_deleted_report_is_gone_from_the_vault_within_35_days():
    """Retention deletes reports; versioning must not keep their data for ever."""
    vault = template()["Resources"]["VaultBucket"]["Properties"]
    rules = {rule["Id"]: rule for rule in vault["LifecycleConfiguration"]["Rules"]}
    forget = rules["ForgetDeletedReports"]
    assert forget["Status"] == "Enabled"
    assert forget["NoncurrentVersionExpiration"] == {"NoncurrentDays": 35}
    assert forget["ExpiredObjectDeleteMarker"] is True
    assert "ExpirationInDays" not in forget  # current reports go only through retention


def test_staff_may_read_the_ses_sending_quota_and_nothing_else_unscoped():
    """``uglymugs notify`` on a staff machine paces itself to SES's rate (GetAccount)."""
    policy = template()["Resources"]["StaffPolicy"]["Properties"]["PolicyDocument"]
    found = statements(policy)
    assert any(allows(statement, "ses:GetAccount") for statement in found)
    unscoped = [s for s in found if as_list(s["Resource"]) == ["*"]]
    assert [as_list(s["Action"]) for s in unscoped] == [["ses:GetAccount"]]
