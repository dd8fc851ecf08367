"""docs/security.md stays true: the attacks it lists are exactly the tests that try them.

Every ``tests/…py::test_name`` the document names must exist; every test marked
``@pytest.mark.attack("name")`` (itself, or through its module's ``pytestmark``) must
be named under the heading ``### name``. Test files are read with :mod:`ast`, so no
test is imported or run here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY_DOC = ROOT / "docs" / "security.md"
ATTACKS_SECTION = "## Attacks tried"
IN_PROGRESS_NOTE = "(fix in progress, branch members-api)"
# Tests being added on branch members-api (issue 12, items 2, 3 and 6): the only names the
# document may give before their file exists. Remove each once it is merged.
IN_PROGRESS = {
    "tests/members/test_login_throttle.py::"
    "test_a_known_username_its_email_and_an_unknown_login_get_the_same_answers",
    "tests/members/test_login_throttle.py::"
    "test_failures_for_a_username_do_not_slow_its_email_address",
    "tests/members/test_login_throttle.py::"
    "test_five_wrong_passwords_every_15_minutes_cannot_keep_a_member_out",
    "tests/members/test_login_throttle.py::test_counter_keys_are_hmacs_never_what_was_typed",
    "tests/members/test_account_mail.py::"
    "test_a_join_flood_of_100_addresses_mails_each_address_once",
    "tests/members/test_account_mail.py::test_30_resets_send_one_e_mail_whose_link_still_works",
    "tests/members/test_account_mail.py::"
    "test_the_hourly_cap_stops_mail_counts_a_metric_and_tells_staff",
    "tests/members/test_account_mail.py::test_account_mail_subjects_and_first_lines_are_discreet",
    "tests/members/test_account_mail.py::test_approval_cancels_earlier_links_and_mails_once_a_day",
    "tests/members/test_check_quota.py::test_refused_checks_do_not_count_against_the_quota",
    "tests/members/test_event_loop.py::"
    "test_a_request_is_answered_while_a_password_is_being_checked",
    "tests/reports/test_event_loop.py::test_the_key_is_served_while_a_report_is_being_stored",
}
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`(.*)$")


def documented_attacks() -> dict[str, dict[str, str]]:
    """``{attack: {"file::test": rest of the line}}`` from the attacks section."""
    text = SECURITY_DOC.read_text()
    section = text[text.index(ATTACKS_SECTION) :]
    attacks: dict[str, dict[str, str]] = {}
    current = None
    for line in section.splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
            attacks[current] = {}
        elif current is not None and (match := TEST_REFERENCE.search(line)):
            attacks[current][f"{match[1]}::{match[2]}"] = match[3]
    return attacks


def _attack_name(node: ast.expr) -> str | None:
    """The name in ``pytest.mark.attack("name")``, or None for any other expression."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "attack"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return node.args[0].value
    return None


def _module_attacks(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            marks = node.value.elts if isinstance(node.value, ast.List) else [node.value]
            names |= {name for mark in marks if (name := _attack_name(mark))}
    return names


def functions_of(path: Path) -> dict[str, set[str]]:
    """``{test name: attacks it is marked with}`` for every test function in ``path``."""
    tree = ast.parse(path.read_text())
    module_attacks = _module_attacks(tree)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            own = {name for mark in node.decorator_list if (name := _attack_name(mark))}
            found[node.name] = module_attacks | own
    return found


def marked_tests() -> dict[str, set[str]]:
    """``{"file::test": attacks}`` for every test marked as trying an attack."""
    marked = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for name, attacks in functions_of(path).items():
            if attacks:
                marked[f"{path.relative_to(ROOT)}::{name}"] = attacks
    return marked


def test_every_test_the_document_names_exists():
    missing = []
    for attack, tests in documented_attacks().items():
        assert tests, f"{attack}: no test named"
        for reference, rest in tests.items():
            file, name = reference.split("::")
            path = ROOT / file
            if path.exists() and name in functions_of(path):
                continue
            if reference in IN_PROGRESS and IN_PROGRESS_NOTE in rest:
                continue
            missing.append(f"{attack}: {reference}")
    assert not missing, "named in docs/security.md but not a test:\n" + "\n".join(missing)


def test_every_marked_test_is_named_under_its_attack():
    documented = documented_attacks()
    unnamed = [
        f"{reference} ({attack})"
        for reference, attacks in marked_tests().items()
        for attack in attacks
        if reference not in documented.get(attack, {})
    ]
    assert not unnamed, "marked as an attack but not in docs/security.md:\n" + "\n".join(unnamed)


def test_only_the_listed_tests_may_be_in_progress():
    noted = {
        reference
        for tests in documented_attacks().values()
        for reference, rest in tests.items()
        if IN_PROGRESS_NOTE in rest
    }
    assert noted <= IN_PROGRESS


def test_the_attacks_of_the_hostile_review_are_all_there():
    assert set(documented_attacks()) >= {
        "API fuzzing",
        "auth probes",
        "login timing",
        "lockout enumeration",
        "mail flooding",
        "terminal escapes",
        "rollback",
        "key substitution in the browser",
        "hostile alerts and join forms",
        "dev-server malformed requests",
        "leakage",
        "XSS",
    }


def test_every_party_of_the_design_has_a_row():
    text = SECURITY_DOC.read_text()
    rows = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")}
    for party in (
        "browser",
        "report function",
        "report vault",
        "member API",
        "member directory",
        "bundle shelf",
        "CI",
        "staff laptop",
        "e-mail provider",
        "SMS provider",
        "CloudFront and API Gateway",
    ):
        assert any(party in row for row in rows), f"no row for {party}"
