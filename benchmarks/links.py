"""``uglymugs links`` over 1,000 and 10,000 incidents, against peers in the same run.

The incidents are the evaluation set's generator (:mod:`benchmarks.links_data`):
planted series, singletons and decoys, in five languages, sealed into a local vault.
Three things are timed in one run, once each size (the machine is shared):

- the issue's peer: decrypting the same reports bare (``open_vault``);
- a dict peer: grouping incidents by each normalised identifier they give (what a
  linker of shared phone numbers alone costs);
- ``links``: decrypting, grouping into incidents, profiles, candidates, scores.

The quality figures of the same sets (average precision, ROC AUC, precision and
recall at the threshold, series connected) are printed with them, on a seed that
tuning never saw (:data:`REPORT_SEED`; tuning used :data:`TUNE_SEED`).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from nacl.public import PublicKey, SealedBox
from rich.console import Console
from rich.table import Table

SIZES = ((65, 600), (650, 6_600))  # (series, singletons): about 1,000 and 10,000 incidents
# The weights and the threshold were tuned on sets made with TUNE_SEED only; the figures
# reported are measured on sets made with REPORT_SEED, which tuning never saw.
TUNE_SEED = 17
REPORT_SEED = 29
PASSPHRASE = "benchmark-violet-harbour-tangent"  # noqa: S105 - benchmark keys only


def fill_vault(directory: Path, data: dict):
    from uglymugs.crypto import TEST_KDF, create_keys
    from uglymugs.reports.vault import StoredReport
    from uglymugs.reports.vault.files import LocalReportVault

    public = create_keys(directory / "keys", PASSPHRASE, kdf=TEST_KDF)
    box = SealedBox(PublicKey(public.report_public_key))
    vault = LocalReportVault(directory / "vault")
    for item in data["reports"]:
        sealed = box.encrypt(json.dumps(item["content"]).encode())
        number, received = item["report_number"], item["received_at"]
        vault.put_new(StoredReport(number, public.report_key_id, sealed, received))
    return vault


def measure(directory: Path, vault, truth: list[list[str]]) -> dict:
    from uglymugs.alerts.identifiers import IdentifierError, normalise_phone
    from uglymugs.cases.evaluation import evaluate
    from uglymugs.cases.links import suggest_links
    from uglymugs.crypto.keys import unlock_report_keys
    from uglymugs.reports.incidents import group_incidents
    from uglymugs.reports.reading import open_vault

    keys = unlock_report_keys(directory / "keys", PASSPHRASE)
    start = time.perf_counter()
    reports = open_vault(vault, keys)
    bare = time.perf_counter() - start

    incidents = group_incidents(reports)
    start = time.perf_counter()
    groups: dict[str, list[str]] = {}
    for incident in incidents:
        for line in str(incident.answer("phone_numbers") or "").splitlines():
            try:
                groups.setdefault(normalise_phone(line), []).append(incident.number)
            except IdentifierError:
                continue
    grouping = time.perf_counter() - start

    start = time.perf_counter()
    links = suggest_links(group_incidents(open_vault(vault, keys)))
    linking = time.perf_counter() - start
    figures = evaluate(links, truth, [incident.number for incident in incidents])
    return {
        "incidents": len(incidents),
        "bare": bare,
        "grouping": grouping,
        "links": linking,
        "suggested": len(links),
        "figures": figures,
    }


def main() -> None:
    from benchmarks.links_data import generate

    table = Table(title="uglymugs links (one run each, shared machine)")
    for column in (
        "incidents",
        "decrypt bare (peer)",
        "dict by phone (peer)",
        "links",
        "× decrypt",
        "suggested",
        "AP",
        "ROC AUC",
        "P / R at threshold",
        "series connected",
    ):
        table.add_column(column)
    for series, singletons in SIZES:
        data = generate(seed=REPORT_SEED, series=series, singletons=singletons)
        with tempfile.TemporaryDirectory() as folder:
            directory = Path(folder)
            vault = fill_vault(directory, data)
            found = measure(directory, vault, data["series"])
        f = found["figures"]
        print(json.dumps({k: v for k, v in found.items()}), flush=True)  # each size as measured
        table.add_row(
            f"{found['incidents']:,}",
            f"{found['bare']:.2f} s",
            f"{found['grouping'] * 1000:.0f} ms",
            f"{found['links']:.1f} s",
            f"{found['links'] / found['bare']:.1f}",
            f"{found['suggested']:,}",
            f"{f['average_precision']:.3f}",
            f"{f['roc_auc']:.3f}",
            f"{f['precision_at_threshold']:.2f} / {f['recall_at_threshold']:.2f}",
            f"{f['series_connected']['mean_share']:.2f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
