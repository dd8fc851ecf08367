"""cfn-lint passes offline, on the SAM template and on its expansion by aws-sam-translator."""

import json

from cfnlint.api import ManualArgs, lint

from tests.infra.template import REGION, expanded, template_text

# Errors, warnings and informational findings (stateful resources' policies, …).
CONFIG = ManualArgs(regions=[REGION], include_checks=["I"])


def describe(matches) -> list[str]:
    return [f"{match.rule.id} line {match.linenumber}: {match.message}" for match in matches]


def test_the_sam_template_passes_cfn_lint():
    assert describe(lint(template_text(), config=CONFIG)) == []


def test_the_expanded_template_passes_cfn_lint():
    assert describe(lint(json.dumps(expanded()), config=CONFIG)) == []


def test_the_expansion_holds_only_plain_cloudformation():
    assert not any(
        r["Type"].startswith("AWS::Serverless::") for r in expanded()["Resources"].values()
    )
