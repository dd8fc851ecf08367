"""``reports show`` and ``reports list`` over the sealed report index, at 1,000 and 10,000.

For each size, a local vault of generated reports (the staff benchmark's: partials,
each third one followed up) and its index, built once by a first ``reports list``.
Then, each run, :data:`NEW` reports arrive and, taken in turn in the same run:

- ``show``: ``uglymugs reports show N`` in-process (output thrown away), for a report
  with a follow-up; its peer, **opening one report**: the same command over a vault
  holding only that report and its follow-up (same keys, settings, audit and output),
  and, for scale, bare: unlock the report keys, fetch one report, decrypt and parse it.
- ``list``: ``uglymugs reports list`` (the real command, its table printed to a
  discarded stream at 80 columns, or as many as ``REPORT_LIST_COLUMNS`` says); its
  peer, **the index and the new reports bare**:
  unlock the report and case keys, open the sealed index (its base and every segment
  the lists before added) and parse every part of it (links, entries, incident
  summaries), fetch and decrypt the new reports.
- ``list, folding``: once, after more lists with new reports, the list that folds the
  index's segments into a new base (one list with new reports in every 16 at most),
  and how many lists with new reports came before it.
- for scale, what both used to do first: decrypt the whole vault (``open_vault``).

Keys are sealed with the cheapest Argon2id, as in ``benchmarks/staff.py``, so the
passphrase's cost does not hide the rest. Prints a table; asserts nothing.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.staff import PASSPHRASE, fill_vault

SIZES = (1_000, 10_000)
RUNS = 5
NEW = 10
# The terminal the list is laid out for: 80 columns wraps more lines than a wide one.
COLUMNS = int(os.environ.get("REPORT_LIST_COLUMNS", "80"))


def quietly(argv: list[str]) -> float:
    """Seconds for one ``uglymugs`` command in this process, its output discarded."""
    from uglymugs.cli import main

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    elapsed = time.perf_counter() - start
    assert code == 0, argv
    return elapsed


def open_one(directory: Path, vault, number: str) -> float:
    from uglymugs.crypto.keys import unlock_report_keys
    from uglymugs.reports.index import open_number

    start = time.perf_counter()
    open_number(vault, number, unlock_report_keys(directory / "keys", PASSPHRASE))
    return time.perf_counter() - start


def index_and_new(directory: Path, vault, new: list[str]) -> float:
    from uglymugs.crypto.keys import unlock_case_keys, unlock_report_keys
    from uglymugs.reports.index import PARTS, SealedIndex, index_path, open_number

    start = time.perf_counter()
    keys = unlock_report_keys(directory / "keys", PASSPHRASE)
    case_keys = unlock_case_keys(directory / "keys", PASSPHRASE)
    index = SealedIndex(index_path(directory, None), case_keys)
    assert index.read(*PARTS) is not None  # every part, decrypted and parsed
    for number in new:
        open_number(vault, number, keys)
    return time.perf_counter() - start


def whole_vault(directory: Path, vault) -> float:
    from uglymugs.crypto.keys import unlock_report_keys
    from uglymugs.reports.reading import open_vault

    start = time.perf_counter()
    open_vault(vault, unlock_report_keys(directory / "keys", PASSPHRASE))
    return time.perf_counter() - start


def arrive(directory: Path, count: int) -> list[str]:
    """``count`` new reports in the same vault (a vault of that many, moved across)."""
    with tempfile.TemporaryDirectory() as folder:
        staging = Path(folder)
        fill_vault_with_keys(staging, directory / "keys", count)
        moved = []
        for path in (staging / "vault").glob("*.json"):
            os.replace(path, directory / "vault" / path.name)
            moved.append(path.stem)
    return moved


def fill_vault_with_keys(staging: Path, keys_dir: Path, count: int) -> None:
    import json

    from nacl.public import PublicKey, SealedBox

    from uglymugs.crypto.keys import load_public_keys
    from uglymugs.reports.numbers import new_report_number
    from uglymugs.reports.vault import StoredReport
    from uglymugs.reports.vault.files import LocalReportVault

    public = load_public_keys(keys_dir)
    box = SealedBox(PublicKey(public.report_public_key))
    vault = LocalReportVault(staging / "vault")
    for index in range(count):
        content = {
            "schema": "uglymugs.report/1",
            "report_type": "partial",
            "reporter": "self",
            "answers": {"what_happened": f"New report {index}.", "town_or_area": "Leeds"},
        }
        sealed = box.encrypt(json.dumps(content).encode())
        vault.put_new(
            StoredReport(new_report_number(), public.report_key_id, sealed, "2026-11-29T10:00:00Z")
        )


def measure(size: int) -> dict[str, float]:
    names = ("one", "small", "show", "bare", "list", "all", "fold", "lists")
    times: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        os.environ["UGLYMUGS_DATA_DIR"] = str(directory)
        os.environ["UGLYMUGS_KEY_PASSPHRASE"] = PASSPHRASE
        os.environ["COLUMNS"] = str(COLUMNS)  # the list laid out for a terminal this wide
        vault = fill_vault(directory, size)
        numbers = sorted(vault.numbers())
        quietly(["reports", "list"])  # builds the index once
        followed = next(iter(_followed(directory, vault)))
        small = _incident_alone(directory, followed)
        for _ in range(RUNS):
            new = arrive(directory, NEW)
            times["bare"].append(index_and_new(directory, vault, new))
            times["list"].append(quietly(["reports", "list"]))
            times["one"].append(open_one(directory, vault, numbers[len(numbers) // 2]))
            times["show"].append(quietly(["reports", "show", followed]))
            os.environ["UGLYMUGS_DATA_DIR"] = str(small)
            times["small"].append(quietly(["reports", "show", followed]))
            os.environ["UGLYMUGS_DATA_DIR"] = str(directory)
            times["all"].append(whole_vault(directory, vault))
        folding = _lists_until_folding(directory)
        arrive(directory, NEW)
        times["fold"].append(quietly(["reports", "list"]))
        times["lists"].append(folding)
    return {name: statistics.median(values) for name, values in times.items()}


def _lists_until_folding(directory: Path) -> int:
    """Lists with new reports, until the next one folds the segments into a new base;
    how many lists with new reports (the measured ones too) came since the last fold."""
    from uglymugs.crypto.keys import unlock_case_keys
    from uglymugs.reports.index import SealedIndex, index_path

    case_keys = unlock_case_keys(directory / "keys", PASSPHRASE)
    while True:
        index = SealedIndex(index_path(directory, None), case_keys)
        assert index.raw("links") is not None
        if index.wants_compacting():
            return index.segments
        arrive(directory, NEW)
        quietly(["reports", "list"])


def _incident_alone(directory: Path, number: str) -> Path:
    """A data directory with the same keys and only ``number``'s incident in its vault."""
    import shutil

    from uglymugs.crypto.keys import unlock_case_keys
    from uglymugs.reports.index import SealedIndex, index_path

    small = directory / "alone"
    shutil.copytree(directory / "keys", small / "keys")
    case_keys = unlock_case_keys(directory / "keys", PASSPHRASE)
    links = SealedIndex(index_path(directory, None), case_keys).links()
    assert links is not None
    (small / "vault").mkdir(mode=0o700)
    for later in [number] + [n for n, earlier in links.follows.items() if earlier == number]:
        shutil.copy(directory / "vault" / f"{later}.json", small / "vault")
    os.environ["UGLYMUGS_DATA_DIR"] = str(small)
    quietly(["reports", "list"])
    os.environ["UGLYMUGS_DATA_DIR"] = str(directory)
    return small


def _followed(directory: Path, vault):
    from uglymugs.crypto.keys import unlock_case_keys
    from uglymugs.reports.index import SealedIndex, index_path

    case_keys = unlock_case_keys(directory / "keys", PASSPHRASE)
    index = SealedIndex(index_path(directory, None), case_keys)
    links = index.links()
    assert links is not None
    return sorted(set(links.follows.values()))


def main() -> None:
    title = f"reports show and list over the sealed index ({COLUMNS} columns, median of {RUNS})"
    table = Table(title=title)
    for column in (
        "reports",
        "show, one-incident vault (peer)",
        "reports show",
        "× peer",
        "open one report bare",
        f"index + {NEW} new bare (peer)",
        "reports list",
        "× peer",
        "list, folding (after n)",
        "whole vault decrypted",
    ):
        table.add_column(column)
    for size in SIZES:
        got = measure(size)
        table.add_row(
            f"{size:,}",
            f"{got['small'] * 1000:.0f} ms",
            f"{got['show'] * 1000:.0f} ms",
            f"{got['show'] / got['small']:.2f}",
            f"{got['one'] * 1000:.1f} ms",
            f"{got['bare'] * 1000:.0f} ms",
            f"{got['list'] * 1000:.0f} ms",
            f"{got['list'] / got['bare']:.2f}",
            f"{got['fold'] * 1000:.0f} ms ({got['lists']:.0f})",
            f"{got['all']:.2f} s",
        )
    Console(width=160).print(table)  # wide enough for every figure, whatever COLUMNS says


if __name__ == "__main__":
    main()
