"""Load a ``functions/<name>/app.py`` entry point as a fresh module, as Lambda would."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"


def load_function(name: str) -> ModuleType:
    """Import ``functions/<name>/app.py`` anew: module-level set-up runs every time."""
    spec = importlib.util.spec_from_file_location(
        f"function_{name}_app", FUNCTIONS_DIR / name / "app.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
