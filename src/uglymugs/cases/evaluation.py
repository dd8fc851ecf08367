"""How good the suggested links are, measured against a labelled set.

An evaluation set (``docs/links.md``) is a JSON object: the reports as they would be
decrypted (``report_number``, ``received_at``, ``content``) and the true ``series``,
each a list of report numbers that are one offender. Every pair of incidents in one
series is a true link; every other pair is not. :func:`evaluate` scores a ranked list
of links against it: precision and recall at the tool's threshold and at top-k,
average precision, ROC AUC over every pair of incidents (pairs not suggested count as
scored 0), and how many planted series the links above the threshold connect.

Only fictional sets belong in the repository: real reports never leave staff memory.

>>> evaluate([], [["UM-A", "UM-B"]], ["UM-A", "UM-B", "UM-C"])["average_precision"]
0.0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from uglymugs.cases.links import THRESHOLD, Link
from uglymugs.reports.incidents import Incident
from uglymugs.reports.reading import OpenedReport

FORMAT = "uglymugs.links-eval/1"
TOP_K = (10, 50, 100)


class EvaluationSetError(ValueError):
    """An evaluation set that is not in the documented format."""


def load_set(path: Path) -> tuple[list[OpenedReport], list[list[str]]]:
    """The reports and true series of an evaluation set file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvaluationSetError(f"{path}: cannot be read as JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise EvaluationSetError(f'{path}: "format" must be "{FORMAT}"')
    reports, series = data.get("reports"), data.get("series")
    if not isinstance(reports, list) or not isinstance(series, list):
        raise EvaluationSetError(f'{path}: needs a "reports" list and a "series" list')
    opened = []
    for index, item in enumerate(reports):
        if not isinstance(item, dict) or not isinstance(item.get("content"), dict):
            raise EvaluationSetError(f"{path}: reports[{index}] needs a content object")
        number = str(item.get("report_number") or "")
        opened.append(
            OpenedReport(number, str(item.get("received_at") or ""), "eval", item["content"])
        )
    groups = [[str(n) for n in group] for group in series if isinstance(group, list)]
    return opened, groups


def evaluate(
    links: Sequence[Link],
    series: Iterable[Sequence[str]],
    incident_numbers: Sequence[str],
    threshold: float = THRESHOLD,
) -> dict[str, Any]:
    """The quality figures of ``links`` (best first) against the true ``series``.

    ``series`` may name any report of an incident; ``incident_numbers`` are every
    incident's number (for the count of pairs that ROC AUC ranks).
    """
    truth = _true_pairs(series)
    found = [frozenset((link.a, link.b)) for link in links]
    hits = [pair in truth for pair in found]
    above = [hit for hit, link in zip(hits, links, strict=True) if link.score >= threshold]
    n = len(incident_numbers)
    figures: dict[str, Any] = {
        "incidents": n,
        "true_pairs": len(truth),
        "suggested": len(links),
        "threshold": threshold,
        "precision_at_threshold": _ratio(sum(above), len(above)),
        "recall_at_threshold": _ratio(sum(above), len(truth)),
        "average_precision": _average_precision(hits, len(truth)),
        "roc_auc": _roc_auc([link.score for link in links], hits, len(truth), n * (n - 1) // 2),
        "series_connected": _series_connected(series, links, threshold),
    }
    for k in (*TOP_K, len(truth)):
        figures[f"precision_at_{k}"] = _ratio(sum(hits[:k]), min(k, len(hits)))
        figures[f"recall_at_{k}"] = _ratio(sum(hits[:k]), len(truth))
    return figures


def _true_pairs(series: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    pairs = set()
    for group in series:
        members = sorted(set(group))
        for i, one in enumerate(members):
            for other in members[i + 1 :]:
                pairs.add(frozenset((one, other)))
    return pairs


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _average_precision(hits: Sequence[bool], positives: int) -> float:
    total, seen = 0.0, 0
    for rank, hit in enumerate(hits, start=1):
        if hit:
            seen += 1
            total += seen / rank
    return round(total / positives, 4) if positives else 0.0


def _roc_auc(scores: Sequence[float], hits: Sequence[bool], positives: int, pairs: int) -> float:
    """Mann–Whitney over every pair: unsuggested pairs all score 0 (ties count half)."""
    negatives = pairs - positives
    if not positives or negatives <= 0:
        return 0.0
    ranked = sorted(zip(scores, hits, strict=True), key=lambda item: item[0])
    missed_pos = positives - sum(hits)
    missed_neg = negatives - (len(hits) - sum(hits))
    wins = missed_pos * missed_neg * 0.5  # both scored 0
    negatives_below = missed_neg
    index = 0
    while index < len(ranked):
        end = index
        while end < len(ranked) and ranked[end][0] == ranked[index][0]:
            end += 1
        pos = sum(1 for _, hit in ranked[index:end] if hit)
        neg = end - index - pos
        wins += pos * (negatives_below + neg * 0.5)
        negatives_below += neg
        index = end
    return round(wins / (positives * negatives), 4)


def _series_connected(
    series: Iterable[Sequence[str]], links: Sequence[Link], threshold: float
) -> dict[str, float]:
    """Per planted series, the share of its incidents in its largest connected group."""
    parent: dict[str, str] = {}

    def root(number: str) -> str:
        while parent.setdefault(number, number) != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    for link in links:
        if link.score >= threshold:
            parent[root(link.a)] = root(link.b)
    shares, whole = [], 0
    for group in series:
        members = sorted(set(group))
        if len(members) < 2:
            continue
        sizes: dict[str, int] = {}
        for number in members:
            sizes[root(number)] = sizes.get(root(number), 0) + 1
        largest = max(sizes.values())
        shares.append(largest / len(members))
        whole += largest == len(members)
    count = len(shares)
    return {
        "mean_share": round(sum(shares) / count, 4) if count else 0.0,
        "fully_connected": _ratio(whole, count),
    }


def incident_numbers(incidents: Iterable[Incident]) -> list[str]:
    return [incident.number for incident in incidents]
