"""Reports entered by staff: a phone or paper report typed into the report form here.

The answers are checked as the public form checks them (choices from the form, a
date as a date, what happened for a full or partial report, an earlier report's
number for a follow-up), sealed in this process to the current report key with a
sealed box like any browser's report, and stored in the vault. The sealed report
says it was entered by staff and by whom; nothing else is written.
"""

from __future__ import annotations

import json
from datetime import UTC, date

from nacl.public import PublicKey, SealedBox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.i18n import N_
from uglymugs.reports.form import ABOUT, CHOICE, CHOICES, DATE, FIELDS, FORM, REQUIRED_FOR
from uglymugs.reports.incidents import ENTERED_BY
from uglymugs.reports.numbers import ReportNumberError, new_report_number, normalise
from uglymugs.reports.reading import REPORT_SCHEMA
from uglymugs.reports.vault import StoredReport
from uglymugs.staff.rendering import first, form_data, render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import unlocked
from uglymugs.staff.unlocked import Unlocked

MAX_ANSWER = 20_000
ABOUT_FIELDS = {field.name: field for field in ABOUT.fields}


def validate(data: dict[str, list[str]]) -> tuple[dict, dict[str, str]]:
    """The report's content (without who entered it) and any problems, by field."""
    problems: dict[str, str] = {}
    report_type, reporter = first(data, "report_type"), first(data, "reporter")
    if report_type not in {o.value for o in ABOUT_FIELDS["report_type"].options}:
        problems["report_type"] = N_("Choose what kind of report this is.")
    if reporter not in {o.value for o in ABOUT_FIELDS["reporter"].options}:
        problems["reporter"] = N_("Choose who is making this report.")
    follows = None
    if report_type == "follow_up":
        try:
            follows = normalise(first(data, "follows"))
        except ReportNumberError:
            problems["follows"] = N_("Give the earlier report's number, like UM-7K3F-92QH-X4PM.")
    answers: dict[str, object] = {}
    for name, field in FIELDS.items():
        if reporter and reporter not in field.shown_for:
            continue
        values = [value.strip() for value in data.get(name, []) if value.strip()]
        problem = _problem(field, values)
        if problem:
            problems[name] = problem
        elif values:
            answers[name] = values if field.kind == CHOICES else values[0]
    for name in REQUIRED_FOR.get(report_type, ()):
        if name not in answers:
            problems.setdefault(name, N_("This answer is needed for this kind of report."))
    content = {
        "schema": REPORT_SCHEMA,
        "report_type": report_type,
        "follows": follows,
        "reporter": reporter,
        "language": "en",
        "answers": answers,
    }
    return content, problems


def _problem(field, values: list[str]) -> str | None:
    allowed = {option.value for option in field.options}
    if field.kind in (CHOICE, CHOICES) and any(value not in allowed for value in values):
        return N_("Choose one of the answers offered.")
    if field.kind == CHOICE and len(values) > 1:
        return N_("Choose only one answer.")
    if field.kind == DATE and values:
        try:
            date.fromisoformat(values[0])
        except ValueError:
            return N_("Give a date like 2026-11-23.")
    if any(len(value) > MAX_ANSWER for value in values):
        return N_("This answer is too long.")
    return None


def seal(content: dict, services: ConsoleServices) -> StoredReport:
    """The report sealed to the current report key, under a fresh number."""
    ring = services.report_keyring()
    plaintext = json.dumps(content, ensure_ascii=False).encode("utf-8")
    ciphertext = SealedBox(PublicKey(ring.current_public_key)).encrypt(plaintext)
    received = services.clock().astimezone(UTC).replace(microsecond=0)
    return StoredReport(
        report_number=new_report_number(),
        key_id=ring.current_key_id,
        ciphertext=ciphertext,
        received_at=received.isoformat().replace("+00:00", "Z"),
    )


@unlocked
async def new_report(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    if request.method == "GET":
        return render(request, "entry.html", sections=(ABOUT, *FORM), values={}, problems={})
    data = await form_data(request)
    content, problems = validate(data)
    if problems:
        values = {name: data.get(name, []) for name in data}
        return render(
            request, "entry.html", 422, sections=(ABOUT, *FORM), values=values, problems=problems
        )
    content[ENTERED_BY] = services.staff_name
    vault = services.keyholder.vault
    for _ in range(5):
        stored = seal(content, services)
        if vault.put_new(stored):
            break
    services.audit("enter", [stored.report_number])
    services.keyholder.reload(force=True)
    return RedirectResponse(f"/incidents/{stored.report_number}", status_code=303)


ROUTES = [Route("/reports/new", new_report, methods=["GET", "POST"])]
