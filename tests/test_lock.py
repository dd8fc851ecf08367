"""Every fresh machine installs the same packages: from ``uv.lock``, never by hand."""

import subprocess
import sys
import tomllib
from pathlib import Path

from scripts.uv_requirements import ROOT, uv_requirements

UV = str(Path(sys.executable).with_name("uv"))


def test_the_lock_matches_pyproject():
    """A dependency changed in pyproject.toml without `make lock` fails here, not on a
    fresh machine six months later."""
    result = subprocess.run(
        [UV, "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_uv_itself_is_installed_from_the_lock():
    assert (ROOT / "requirements-uv.txt").read_text() == uv_requirements()


def test_every_locked_package_has_hashes():
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    for package in lock["package"]:
        if package.get("source", {}).get("editable") or package.get("source", {}).get("virtual"):
            continue
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files and all(f["hash"].startswith("sha256:") for f in files), package["name"]
