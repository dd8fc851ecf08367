"""Write ``requirements-uv.txt``: uv itself, pinned by hash, from its entry in ``uv.lock``.

``make setup`` installs uv from this file before uv installs the lock, so the tool that
installs every dependency is pinned as strictly as the dependencies themselves.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# uv, which installs uv.lock: `make setup` puts it in .tools/ first. Written by
# `make lock` (scripts/uv_requirements.py) from the uv entry of uv.lock, with every
# wheel's hash; tests/test_lock.py fails if the two differ.
"""


def uv_requirements(lock_path: Path = ROOT / "uv.lock") -> str:
    """The requirements file text for the uv version that ``lock_path`` pins."""
    lock = tomllib.loads(lock_path.read_text())
    (entry,) = [package for package in lock["package"] if package["name"] == "uv"]
    hashes = [wheel["hash"] for wheel in entry["wheels"]]
    if "sdist" in entry:
        hashes.append(entry["sdist"]["hash"])
    lines = [f"uv=={entry['version']}"] + [f"    --hash={h}" for h in hashes]
    return HEADER + " \\\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements-uv.txt"
    target.write_text(uv_requirements())
