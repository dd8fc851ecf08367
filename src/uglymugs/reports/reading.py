"""Opening sealed reports for staff, in memory only.

A report is decrypted with the report private key named by its stored key id, parsed
(``docs/report-format.md``) and linked to its follow-ups. The plaintext lives in the
returned objects and nowhere else: nothing here writes a file, caches or logs. A
report that cannot be opened (unknown key, corrupt record or ciphertext, not a
report) comes back with a ``problem`` instead of raising, so one bad report never
hides the others.

>>> reports = open_vault(vault, unlock_report_keys(keys_dir, passphrase))  # doctest: +SKIP
>>> follow_ups(reports)["UM-7K3F-92QH-X4PM"]  # doctest: +SKIP
['UM-Q2WE-8RTY-ZX4C']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
from nacl.public import PrivateKey, SealedBox

from uglymugs.reports.form import report_type_label
from uglymugs.reports.numbers import ReportNumberError, normalise
from uglymugs.reports.vault import ReportVault, StoredReport
from uglymugs.reports.vault.codec import VaultRecordError

REPORT_SCHEMA = "uglymugs.report/1"
# Information police send for circulation, or a request for help (docs/report-format.md):
# sealed to the report key like a report, its reporter is ``police``.
PARTNER_SCHEMA = "uglymugs.partner/1"
SCHEMAS = (REPORT_SCHEMA, PARTNER_SCHEMA)
SUMMARY_FIELDS = ("incident_date", "town_or_area")
SUMMARY_LENGTH = 60


@dataclass(frozen=True)
class OpenedReport:
    """One report from the vault: its decrypted ``content``, or the ``problem`` opening it."""

    report_number: str
    received_at: str
    key_id: str
    content: Mapping[str, Any] | None = None
    problem: str | None = None

    @property
    def report_type(self) -> str | None:
        return self._text("report_type")

    @property
    def reporter(self) -> str | None:
        return self._text("reporter")

    @property
    def follows(self) -> str | None:
        """The number this report follows up, normalised when it is well formed."""
        follows = self._text("follows")
        if not follows:
            return None
        try:
            return normalise(follows)
        except ReportNumberError:
            return follows

    @property
    def answers(self) -> Mapping[str, Any]:
        return self.content.get("answers", {}) if self.content else {}

    def _text(self, name: str) -> str | None:
        value = self.content.get(name) if self.content else None
        return value if isinstance(value, str) else None


def open_report(stored: StoredReport, private_keys: Mapping[str, PrivateKey]) -> OpenedReport:
    """Decrypt and parse ``stored``; a failure becomes the report's ``problem``."""
    opened = OpenedReport(stored.report_number, stored.received_at, stored.key_id)
    private_key = private_keys.get(stored.key_id)
    if private_key is None:
        return _with_problem(opened, f"sealed to key {stored.key_id}, which is not in the key ring")
    try:
        plaintext = SealedBox(private_key).decrypt(stored.ciphertext)
    except (nacl.exceptions.CryptoError, ValueError):
        return _with_problem(opened, "the ciphertext does not decrypt (corrupt or wrong key)")
    try:
        content = json.loads(plaintext)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _with_problem(opened, "decrypted, but it is not JSON")
    problem = _format_problem(content)
    if problem:
        return _with_problem(opened, f"decrypted, but {problem}")
    return OpenedReport(stored.report_number, stored.received_at, stored.key_id, content)


def open_vault(vault: ReportVault, private_keys: Mapping[str, PrivateKey]) -> list[OpenedReport]:
    """Every report in ``vault``, opened, oldest first."""
    reports = [open_number(vault, number, private_keys) for number in vault.numbers()]
    return sorted(reports, key=lambda report: (report.received_at, report.report_number))


def follow_ups(reports: Iterable[OpenedReport]) -> dict[str, list[str]]:
    """For each report number, the numbers of the reports that follow it up, oldest first."""
    linked: dict[str, list[str]] = {}
    for report in reports:
        if report.follows:
            linked.setdefault(report.follows, []).append(report.report_number)
    return linked


def summary(report: OpenedReport) -> str:
    """A short line for a list of related reports: type, date and place, or the start."""
    if report.content is None:
        return f"cannot be opened: {report.problem}"
    parts = [short_label(report_type_label(report.report_type or "?"))]
    parts += [str(report.answers[name]) for name in SUMMARY_FIELDS if report.answers.get(name)]
    if len(parts) == 1 and report.answers.get("what_happened"):
        text = " ".join(str(report.answers["what_happened"]).split())
        parts.append(text[:SUMMARY_LENGTH] + ("…" if len(text) > SUMMARY_LENGTH else ""))
    return ", ".join(parts)


def short_label(label: str) -> str:
    """A form label cut for a table: "Partial report: just the main facts…" → "Partial report"."""
    return label.split(":", 1)[0]


def open_number(
    vault: ReportVault, number: str, private_keys: Mapping[str, PrivateKey]
) -> OpenedReport:
    """Fetch and open one report; a missing or corrupt record becomes its problem."""
    try:
        stored = vault.get(number)
    except VaultRecordError as error:
        return OpenedReport(number, "", "", problem=f"the vault record is corrupt: {error}")
    if stored is None:  # removed between listing and reading
        return OpenedReport(number, "", "", problem="the vault record disappeared")
    return open_report(stored, private_keys)


def _with_problem(opened: OpenedReport, problem: str) -> OpenedReport:
    return OpenedReport(opened.report_number, opened.received_at, opened.key_id, problem=problem)


def _format_problem(content: object) -> str | None:
    """Why ``content`` is not a report we can show, or None when it is."""
    if not isinstance(content, dict):
        return "it is not a JSON object"
    if content.get("schema") not in SCHEMAS:
        return f"it is not a {REPORT_SCHEMA} report nor a {PARTNER_SCHEMA} submission"
    if content.get("schema") == PARTNER_SCHEMA and content.get("reporter") != "police":
        return "a partner submission's reporter must be police"
    answers = content.get("answers", {})
    if not isinstance(answers, dict):
        return "its answers are not an object"
    for name, value in answers.items():
        if not (isinstance(value, str) or _is_list_of_text(value)):
            return f"the answer {name!r} is neither text nor a list of choices"
    return None


def _is_list_of_text(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
