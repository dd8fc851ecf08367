"""What ``sam build`` packages is what the functions import.

The dependencies layer is built from ``infra/layers/dependencies/requirements.txt``;
the uglymugs layer is ``src/`` itself. These tests keep the requirements in step
with pyproject's runtime dependencies, and check, by following every import from the
entry points (module level and lazy ones alike), that each third-party package the
functions can load is in the layer or in the Lambda runtime.
"""

import ast
import re
import subprocess
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement

from tests.infra.template import ROOT, template

REQUIREMENTS = ROOT / "infra" / "layers" / "dependencies" / "requirements.txt"
# The Lambda Python runtime has these; the functions import them lazily.
RUNTIME_PROVIDED = {
    "boto3", "botocore", "s3transfer", "jmespath", "urllib3", "python-dateutil", "six"
}  # fmt: skip
# Imported only by code the functions never run.
NEVER_RUN_BY_FUNCTIONS = {
    "babel": "uglymugs.i18n imports it to extract and compile catalogues",
    "pyrage": "uglymugs.sharing encrypts packets for staff (share, the console); "
    "composition reaches it for notify only where a partner directory exists, never "
    "in a function",
}


def layer_requirements() -> list[Requirement]:
    """The exported requirements: one ``name==version [; marker] \\`` line each, then hashes."""
    lines = REQUIREMENTS.read_text().splitlines()
    return [Requirement(line.rstrip(" \\")) for line in lines if line[:1].isalnum()]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _without_header(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


def test_the_layer_is_exported_from_the_lock():
    """`make lock` writes the layer's requirements; nobody keeps them in step by hand."""
    makefile = (ROOT / "Makefile").read_text()
    assert set(re.search(r"^RUNTIME_PROVIDED := (.*)$", makefile, re.M)[1].split()) == (
        RUNTIME_PROVIDED
    )
    command = ["uv", "export", "--locked", "--no-dev", "--no-emit-project"]
    command += ["--format", "requirements-txt", "--quiet"]
    for name in sorted(RUNTIME_PROVIDED):
        command += ["--no-emit-package", name]
    uv = Path(sys.executable).with_name("uv")
    exported = subprocess.run(
        [str(uv), *command[1:]], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert _without_header(exported) == _without_header(REQUIREMENTS.read_text()), "run `make lock`"


def test_the_layer_pins_every_runtime_dependency_exactly():
    pinned = {canonical(r.name): r for r in layer_requirements()}
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("dependencies = [")[1].split("]")[0]
    for spec in re.findall(r'^\s*"([^"]+)"', section, re.M):
        name = canonical(Requirement(spec).name)
        if name in RUNTIME_PROVIDED:
            continue
        assert name in pinned, name
        assert str(pinned[name].specifier).startswith("=="), pinned[name]


def _imports(path: Path, package: str):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(parts + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def _module_file(name: str) -> Path | None:
    base = ROOT / "src" / Path(*name.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def third_party_imports(entry_point: Path) -> set[str]:
    """Top-level names of every non-uglymugs module reachable from ``entry_point``."""
    seen: set[str] = set()
    found: set[str] = set()
    todo = [(entry_point, "")]
    while todo:
        path, package = todo.pop()
        for name in _imports(path, package):
            top = name.split(".")[0]
            if top != "uglymugs":
                found.add(top)
                continue
            parts = name.split(".")
            for end in range(1, len(parts) + 1):
                module = ".".join(parts[:end])
                file = _module_file(module)
                if file and module not in seen:
                    seen.add(module)
                    todo.append(
                        (file, module if file.name == "__init__.py" else module.rsplit(".", 1)[0])
                    )
    return {name for name in found if name not in sys.stdlib_module_names and name != "__future__"}


def layer_distributions() -> set[str]:
    """The requirements and everything they require, as installed here."""
    names = {canonical(r.name) for r in layer_requirements()}
    todo = list(names)
    while todo:
        for spec in requires(todo.pop()) or []:
            requirement = Requirement(spec)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            name = canonical(requirement.name)
            if name not in names:
                names.add(name)
                todo.append(name)
    return names


def test_every_package_a_function_can_import_is_in_the_layer_or_the_runtime():
    distributions_of = packages_distributions()
    available = layer_distributions() | RUNTIME_PROVIDED
    for name, resource in template()["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        entry = (ROOT / "infra" / resource["Properties"]["CodeUri"] / "app.py").resolve()
        if not entry.is_file():
            continue  # test_environment.py says so
        for module in third_party_imports(entry) - set(NEVER_RUN_BY_FUNCTIONS):
            owners = {canonical(d) for d in distributions_of.get(module, [module])}
            assert owners & available, (name, module, owners)


def test_the_uglymugs_layer_is_the_package_source():
    resources = template()["Resources"]
    assert resources["UglymugsLayer"]["Properties"]["ContentUri"] == "../src/"
    for resource in resources.values():
        if resource["Type"] == "AWS::Serverless::LayerVersion":
            assert resource["Metadata"] == {
                "BuildMethod": "python3.12",
                "BuildArchitecture": "arm64",
            }
