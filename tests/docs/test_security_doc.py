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
        for reference in tests:
            file, name = reference.split("::")
            path = ROOT / file
            if path.exists() and name in functions_of(path):
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
