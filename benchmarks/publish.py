"""Publishing alert bundles: time and size for 100, 1,000 and 10,000 realistic alerts.

(a) Bundles alone: build every bundle and printable page, sign each, store them with
    their signatures on the local shelf (fsync), and switch the manifest — a first
    publish onto an empty shelf. Baseline, same run: ``json.dumps`` of the same
    records written to one file with fsync (the least any publish must do).
(b) The whole ``publish``: the alert check over files on disk (the alert-files
    module's ``check_alerts``), the Pelican site build, then (a).
(c) Size: gzip bytes per alert of ``alerts-all.json``. Baseline, same run: gzip of
    ``json.dumps`` of the same records (default separators, no sorting).

Alerts are generated like the real ones: a paragraph of what happened, an offender
description, a vehicle now and then, a few identifiers, spread over the 45 regions.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from nacl.signing import SigningKey
from rich.console import Console
from rich.table import Table

from uglymugs.alerts.bundles import AlertRecord, build_bundles
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.publish import publish_records, region_names
from uglymugs.alerts.regions import load_regions
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys, load_public_keys, unlock_bundle_key
from uglymugs.publishing import publish

SIZES = (100, 1_000, 10_000)
RUNS = 3
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PASSPHRASE = "benchmark"  # noqa: S105 - throwaway keys in a temporary directory

# What happened: sentences of words drawn from the site's own pages (real English
# prose), with their frequencies. Random word order gzips about as badly as prose
# does (the table's notes print both), where stock phrases would flatter gzip.
PAGES = Path(__file__).resolve().parents[1] / "site" / "content" / "pages"


def _vocabulary() -> list[str]:
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.md")))
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())
    # Words the check reads as someone's name ("your name is …") would fail it.
    return [word for word in words if word not in {"name", "names", "called", "calls"}]


def _paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randrange(4, 7)):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randrange(8, 19)))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(sentences)


_CATEGORIES = ["violence", "robbery", "threats", "non_payment", "sexual_assault", "stalking"]
_CONTACT = ["street", "online_ad", "phone", "incall", "outcall", "agency"]
_OFFENDER = {
    "sex": ["male"],
    "ethnicity": ["white British", "white", "Asian", "Black British", "mixed", "not seen"],
    "age": ["early 20s", "late 20s", "mid 30s", "around 40", "50s", "about 60"],
    "height": ["about 5 ft 6", "5 ft 9", "about 6 ft", "6 ft 2", "short", "tall"],
    "build": ["slim", "medium", "stocky", "large"],
    "hair": ["short, brown", "bald", "grey, receding", "black, slicked back", "blond"],
    "facial_hair": ["none", "stubble", "beard", "moustache"],
    "accent": ["local", "northern", "London", "Scottish", "Irish", "eastern European"],
    "clothing": ["grey hooded top", "dark suit", "work clothes, hi-vis jacket", "tracksuit"],
}
_VEHICLES = [
    ("Ford", "Transit", "white"),
    ("Vauxhall", "Astra", "silver"),
    ("BMW", "3 Series", "black"),
    ("Toyota", "Prius", "blue"),
    ("Volkswagen", "Golf", "red"),
]


def realistic_records(count: int, seed: int = 7) -> list[dict]:
    """``count`` alerts as front-matter dicts plus their text, reproducibly."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    regions = list(load_regions())
    words = _vocabulary()
    alerts = []
    for index in range(count):
        year = 2026 - index // 9999
        issued = date(year, 1, 1) + timedelta(days=rng.randrange(0, 320))
        incident = issued - timedelta(days=rng.randrange(0, 5))
        text = _paragraph(rng, words)
        alert: dict = {
            "number": f"{year}-{index % 9999 + 1:04d}",
            "status": "published",
            "issued": issued.isoformat(),
            "incident": {"date": incident.isoformat(), "time": f"about {rng.randrange(24):02d}:00"},
            "region": rng.choice(regions),
            "area": rng.choice(["city centre", "near the station", "industrial estate", "online"]),
            "categories": sorted(rng.sample(_CATEGORIES, rng.randrange(1, 4))),
            "risk": rng.choice(["low", "medium", "high"]),
            "contact_method": sorted(rng.sample(_CONTACT, rng.randrange(1, 3))),
            "offender": {key: rng.choice(values) for key, values in _OFFENDER.items()},
            "identifiers": {"phones": [f"+447700900{rng.randrange(1000):03d}"]},
            "what_happened": text,
        }
        if rng.random() < 0.4:
            make, model, colour = rng.choice(_VEHICLES)
            plate = f"ZZ{rng.randrange(10, 99)}{rng.choice('ABCDEFGH')}ZZ"
            alert["vehicle"] = {"make": make, "model": model, "colour": colour}
            alert["identifiers"]["plates"] = [plate]
        if rng.random() < 0.3:
            alert["identifiers"]["emails"] = [f"user{rng.randrange(10**6)}@example.com"]
        alerts.append(alert)
    return alerts


def as_records(alerts: list[dict]) -> list[AlertRecord]:
    import hashlib

    return [
        AlertRecord(
            alert["number"],
            alert["status"],
            alert["region"],
            None,
            hashlib.sha256(canonical_bytes(alert)).hexdigest(),
            alert,
        )
        for alert in alerts
    ]


def write_alert_files(alerts: list[dict], directory: Path) -> None:
    """The same alerts as Markdown files with YAML front matter, as staff write them."""
    import yaml

    directory.mkdir(parents=True)
    for alert in alerts:
        front = {key: value for key, value in alert.items() if key != "what_happened"}
        text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        body = alert["what_happened"]
        (directory / f"{alert['number']}.md").write_text(f"---\n{text}---\n{body}\n")


def baseline_write_s(alerts: list[dict], directory: Path) -> float:
    start = time.perf_counter()
    path = directory / "plain.json"
    with path.open("wb") as handle:
        handle.write(json.dumps(alerts).encode())
        handle.flush()
        os.fsync(handle.fileno())
    elapsed = time.perf_counter() - start
    path.unlink()
    return elapsed


def bundles_s(records: list[AlertRecord], directory: Path, key: SigningKey, names) -> float:
    shelf = LocalBundleShelf(directory / f"shelf-{time.monotonic_ns()}")
    start = time.perf_counter()
    result = publish_records(
        records, shelf=shelf, signing_key=key, key_id="bundle-bench", today=TODAY, now=NOW,
        region_names=names,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    assert result.sequence == 1
    return elapsed


def whole_publish_s(alerts: list[dict], directory: Path) -> tuple[float, float] | None:
    """Seconds for check + site + bundles over files, and for the check alone."""
    try:
        from uglymugs.alerts.check import check_alerts
    except ImportError:
        return None
    alerts_dir = directory / f"alerts-{len(alerts)}"
    write_alert_files(alerts, alerts_dir)
    settings = Settings(data_dir=directory / f"data-{len(alerts)}")
    create_keys(settings.keys_dir, PASSPHRASE, kdf=TEST_KDF)
    key = unlock_bundle_key(settings.keys_dir, PASSPHRASE)
    key_id = load_public_keys(settings.keys_dir).bundle_key_id
    start = time.perf_counter()
    check = check_alerts(alerts_dir, today=TODAY)
    check_s = time.perf_counter() - start
    if not getattr(check, "ok", not check.problems):
        first = check.problems[0]
        raise SystemExit(f"generated alerts fail the check ({len(check.problems)}): {first}")
    start = time.perf_counter()
    result = publish(
        settings,
        alerts_dir=alerts_dir,
        shelf=LocalBundleShelf(settings.data_dir / "shelf"),
        signing_key=key,
        key_id=key_id,
        today=TODAY,
        now=NOW,
    )
    elapsed = time.perf_counter() - start
    assert result.current_alerts == len(alerts)
    return elapsed, check_s


def gzip_bits_per_char(text: str) -> float:
    data = text.encode()
    return len(gzip.compress(data)) * 8 / len(data)


def main() -> None:
    console = Console(width=120)
    key = SigningKey.generate()
    names = region_names()
    table = Table(title=f"Publishing alert bundles (median of {RUNS} runs; 45 regions)")
    table.add_column("alerts", justify="right")
    table.add_column("baseline: json.dumps + fsync (ms)", justify="right")
    table.add_column("(a) bundles: build+sign+store (ms)", justify="right")
    table.add_column("× base", justify="right")
    table.add_column("(b) whole publish (ms) [check alone]", justify="right")
    table.add_column("(c) gzip B/alert: bundle / plain json", justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for count in SIZES:
            alerts = realistic_records(count)
            with console.status(f"{count} alerts…"):
                bundles_s(as_records(alerts), directory, key, names)  # warm imports, template
                base, ours = [], []
                for _ in range(RUNS):
                    base.append(baseline_write_s(alerts, directory))
                    # fresh records: nothing encoded by an earlier run is reused
                    ours.append(bundles_s(as_records(alerts), directory, key, names))
                whole = whole_publish_s(alerts, directory)
            base_ms, ours_ms = statistics.median(base) * 1e3, statistics.median(ours) * 1e3
            files = build_bundles(as_records(alerts), sequence=1, generated_at=NOW, today=TODAY)
            gz_bundle = len(gzip.compress(files["alerts-all.json"])) / count
            gz_plain = len(gzip.compress(json.dumps(alerts).encode())) / count
            table.add_row(
                f"{count:,}",
                f"{base_ms:.1f}",
                f"{ours_ms:.0f}",
                f"{ours_ms / base_ms:.0f}",
                "no check_alerts"
                if whole is None
                else f"{whole[0] * 1e3:.0f} [{whole[1] * 1e3:.0f}]",
                f"{gz_bundle:.0f} / {gz_plain:.0f} ({gz_bundle / gz_plain:.2f}×)",
            )
    console.print(table)
    sample = " ".join(alert["what_happened"] for alert in realistic_records(200))
    prose = " ".join(path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.md")))
    console.print(
        "(a) is a first publish: every bundle (all + one per region) and its printable page, "
        "each signed (Ed25519) with a .sig file, versions.json, the change record, the signed "
        "manifest; every file fsynced. (b) runs check_alerts over the alerts as files, the "
        "Pelican build, then (a). Targets: 10,000 alerts in under 2 s; under 400 B gzip per "
        f"alert. Generated text gzips to {gzip_bits_per_char(sample):.2f} bits/char; the site's "
        f"own prose to {gzip_bits_per_char(prose):.2f}."
    )


if __name__ == "__main__":
    main()
