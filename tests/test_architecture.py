"""The shape of the code, kept by tests: settings read in one place, adapters chosen in
one place, dependencies pointing one way.

- Only :mod:`uglymugs.config` reads the environment.
- Only :mod:`uglymugs.composition` imports an adapter (the modules beside a port); an
  adapter may import its own port package.
- No two top-level packages of ``uglymugs`` import each other, lazily or not.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "uglymugs"
# Each port is a package: its ``__init__`` holds the interface, the modules beside it
# are the adapters.
PORTS = (
    "uglymugs.reports.vault",
    "uglymugs.reports.claims",
    "uglymugs.alerts.shelf",
    "uglymugs.members.directory",
    "uglymugs.members.survey",
    "uglymugs.notify.ledger",
    "uglymugs.cases.store",
    "uglymugs.audit.log",
)
# Modules in a port package that are not adapters: shared by the port's adapters and
# the domain alike.
NOT_ADAPTERS = {"uglymugs.reports.vault.codec"}
COMPOSITION = "uglymugs.composition"
# Packages that work on the local adapters' own files, by design: backup, restore and the
# doctor copy and check the SQLite databases and vault files of the data directory.
LOCAL_DATA_TOOLS = ("uglymugs.operations",)


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in SOURCE.rglob("*.py")}


def imports(path: Path, name: str) -> set[str]:
    """Every uglymugs module ``path`` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    known = modules()
    return {module for module in found if module in known}


def adapter_port(module: str) -> str | None:
    for port in PORTS:
        if module.startswith(port + ".") and module not in NOT_ADAPTERS:
            return port
    return None


def test_only_the_settings_module_reads_the_environment():
    readers = []
    for path in [*SOURCE.rglob("*.py"), *(ROOT / "functions").rglob("*.py")]:
        if path == SOURCE / "config.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv"):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            names = {alias.name for alias in getattr(node, "names", ())}
            if isinstance(node, ast.ImportFrom) and node.module == "os" and names & {"environ"}:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_only_the_composition_root_imports_adapters():
    wrong = []
    for name, path in modules().items():
        for imported in imports(path, name):
            port = adapter_port(imported)
            if port is None or name == COMPOSITION or name.startswith(port + "."):
                continue
            if name.startswith(LOCAL_DATA_TOOLS) and imported.rsplit(".", 1)[-1] in (
                "files",
                "sqlite",
            ):
                continue
            wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_no_two_packages_import_each_other():
    depends = defaultdict(set)
    for name, path in modules().items():
        if "." not in name:
            continue
        unit = name.split(".")[1]
        for imported in imports(path, name) - {"uglymugs"}:
            other = imported.split(".")[1]
            if other != unit:
                depends[unit].add(other)
    mutual = sorted(
        f"{a} <-> {b}"
        for a in list(depends)
        for b in depends[a]
        if a < b and a in depends.get(b, ())
    )
    assert mutual == []


def test_ports_hold_their_interfaces():
    for port in PORTS:
        path = SOURCE.parent / Path(*port.split(".")) / "__init__.py"
        assert "Protocol" in path.read_text(encoding="utf-8"), port
