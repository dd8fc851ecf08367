"""Consent, resolved in one place for a whole incident.

A person may send a partial report with no consents and give them in a follow-up, or
change their mind later. So each consent of an incident (a report and its follow-ups)
is **the latest explicit answer** ("yes" or "no") across its reports, in the order
they were received; a report that leaves a consent unanswered changes nothing. The
history of every explicit answer (which report, when, what) is kept beside the result
so staff can see where it came from.

A project or a site reports on someone else's behalf. Their "yes" counts only when
the person it happened to agreed to the report (``victim_agreed``, itself the latest
explicit answer across the incident); when the person did not agree, or was not
asked, that consent is refused (:attr:`ResolvedConsent.allowed` is False, with the
reason). An answer from a report the person made themselves needs nothing more,
unless a project or site has since said that the person did not agree: a standing
"no" to ``victim_agreed`` refuses every consent of the incident.

Everything that turns a report into an alert or shares it (alert drafting, the staff
console, every packet) asks :func:`resolve_consents` and nothing else.

>>> consents = resolve_consents(incident_reports)  # doctest: +SKIP
>>> consents.alert.allowed, consents.alert.source  # doctest: +SKIP
(True, 'UM-Q2WE-8RTY-ZX4C')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from uglymugs.i18n import N_, TranslatableLine
from uglymugs.reports.reading import OpenedReport

ALERT = "consent_alert"
SCAS = "consent_scas"
POLICE_HELP = "consent_police_help"
CONSENTS = (ALERT, SCAS, POLICE_HELP)
AGREEMENT = "victim_agreed"
# Reporters who report on someone else's behalf: their consents need the person's.
ON_BEHALF = ("project", "site")
EXPLICIT = ("yes", "no")


@dataclass(frozen=True)
class Answer:
    """One explicit answer to one question, and the report it came from."""

    report_number: str
    received_at: str
    reporter: str
    value: str  # "yes" or "no"

    def as_dict(self) -> dict[str, str]:
        return {
            "report_number": self.report_number,
            "received_at": self.received_at,
            "reporter": self.reporter,
            "answer": self.value,
        }


@dataclass(frozen=True)
class ResolvedConsent:
    """One consent of an incident: the answer that stands, whether it may be acted on.

    ``answer`` is "yes", "no" or None (never answered); ``allowed`` is True only for a
    "yes" that stands on its own or has the person's agreement; ``reason`` says in
    one line why it is not allowed; ``history`` is every explicit answer, oldest first.
    """

    name: str
    answer: str | None
    allowed: bool
    reason: TranslatableLine | None  # English, or translated for a page
    history: tuple[Answer, ...]

    @property
    def source(self) -> str | None:
        """The report the standing answer came from."""
        return self.history[-1].report_number if self.history else None

    def as_dict(self) -> dict[str, object]:
        return {
            "answer": self.answer,
            "allowed": self.allowed,
            "reason": self.reason,
            "source": self.source,
            "history": [answer.as_dict() for answer in self.history],
        }


@dataclass(frozen=True)
class Consents:
    """The three consents of an incident and the person's agreement (for project and
    site reports)."""

    alert: ResolvedConsent
    scas: ResolvedConsent
    police_help: ResolvedConsent
    agreement: tuple[Answer, ...]  # explicit victim_agreed answers, oldest first

    def __iter__(self):
        return iter((self.alert, self.scas, self.police_help))

    def by_name(self, name: str) -> ResolvedConsent:
        """The consent named ``consent_alert``, ``consent_scas`` or ``consent_police_help``."""
        return {consent.name: consent for consent in self}[name]

    def as_dict(self) -> dict[str, object]:
        return {
            **{consent.name: consent.as_dict() for consent in self},
            AGREEMENT: [answer.as_dict() for answer in self.agreement],
        }


def resolve_consents(reports: Iterable[OpenedReport]) -> Consents:
    """The consents of the incident made of ``reports`` (a report and its follow-ups,
    any order; reports that could not be opened are ignored)."""
    ordered = sorted(
        (report for report in reports if report.content is not None),
        key=lambda report: (report.received_at, report.report_number),
    )
    agreement = _history(ordered, AGREEMENT, on_behalf_only=True)
    resolved = [_resolve(name, _history(ordered, name), agreement) for name in CONSENTS]
    return Consents(*resolved, agreement=agreement)


def _history(
    reports: list[OpenedReport], name: str, *, on_behalf_only: bool = False
) -> tuple[Answer, ...]:
    answers = []
    for report in reports:
        reporter = report.reporter or "self"
        if on_behalf_only and reporter not in ON_BEHALF:
            continue
        value = report.answers.get(name)
        if value in EXPLICIT:
            answers.append(Answer(report.report_number, report.received_at, reporter, value))
    return tuple(answers)


_DID_NOT_AGREE = N_(
    "the person it happened to did not agree to the report (victim_agreed: no); "
    "a project or site cannot consent for them"
)
_NOT_ASKED = N_(
    "the person it happened to was not asked about the report (victim_agreed: not "
    "answered); a project or site cannot consent for them"
)


def _resolve(
    name: str, history: tuple[Answer, ...], agreement: tuple[Answer, ...]
) -> ResolvedConsent:
    if not history:
        reason = TranslatableLine(N_("%(consent)s: not answered"), consent=name)
        return ResolvedConsent(name, None, False, reason, history)
    latest = history[-1]
    if latest.value != "yes":
        reason = TranslatableLine(
            N_("the person did not agree (%(consent)s: %(answer)s in %(number)s)"),
            consent=name,
            answer=latest.value,
            number=latest.report_number,
        )
        return ResolvedConsent(name, latest.value, False, reason, history)
    agreed = agreement[-1].value if agreement else None
    if agreed == "no":
        reason = TranslatableLine(_DID_NOT_AGREE)
        return ResolvedConsent(name, latest.value, False, reason, history)
    if latest.reporter in ON_BEHALF and agreed != "yes":
        reason = TranslatableLine(_NOT_ASKED)
        return ResolvedConsent(name, latest.value, False, reason, history)
    return ResolvedConsent(name, latest.value, True, None, history)
