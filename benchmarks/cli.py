"""The ``uglymugs`` command's start-up, against importing argparse and the package bare.

Each run is a whole process, as a person at a terminal starts it, with warm ``.pyc``
files. The peer, measured in the same run and interleaved with the others so machine
noise hits all alike, is ``python -c "import argparse, uglymugs"``: what any command
must load at the least. A command should import only what it uses: ``--help`` lists
the commands without importing any of them (goal ≤ 3× the peer), and ``reports list``
on an empty vault loads the reports command, the settings and the key files only.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

RUNS = 15
BASELINE = ("import argparse, uglymugs (peer)", ["-c", "import argparse, uglymugs"])
COMMANDS = {
    "uglymugs --help": ["-m", "uglymugs", "--help"],
    "uglymugs reports list (empty vault)": ["-m", "uglymugs", "reports", "list"],
}


def timed(arguments: list[str], environ: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *arguments], env=environ, capture_output=True, check=False)
    return time.perf_counter() - start


def scheme_with_keys(directory: Path) -> dict[str, str]:
    """An empty vault and a key ring, so ``reports list`` unlocks and finds nothing."""
    from uglymugs.crypto import TEST_KDF, create_keys

    create_keys(directory / "keys", "a passphrase for the benchmark", kdf=TEST_KDF)
    return {
        **os.environ,
        "UGLYMUGS_DATA_DIR": str(directory),
        "UGLYMUGS_KEY_PASSPHRASE": "a passphrase for the benchmark",
    }


def measure(environ: dict[str, str]) -> dict[str, float]:
    everything = {BASELINE[0]: BASELINE[1], **COMMANDS}
    for arguments in everything.values():
        timed(arguments, environ)  # warm the .pyc files
    samples: dict[str, list[float]] = {label: [] for label in everything}
    for _ in range(RUNS):
        for label, arguments in everything.items():
            samples[label].append(timed(arguments, environ))
    return {label: statistics.median(times) for label, times in samples.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        medians = measure(scheme_with_keys(Path(directory)))
    baseline = medians[BASELINE[0]]
    table = Table(title=f"uglymugs command start-up (median of {RUNS} processes)")
    for column in ("command", "whole process", "× peer"):
        table.add_column(column)
    for label, median in medians.items():
        table.add_row(label, f"{median * 1000:.0f} ms", f"{median / baseline:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
