"""The triage queue: incidents filtered, searched, sorted and cut into pages.

Everything works on the incidents held in memory after unlocking, so a queue of
10,000 reports answers without touching the vault or decrypting anything again.
Filters come from the page's query string; a value the form does not offer is
ignored rather than an error (a stale bookmark still shows a queue).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from uglymugs.cases.records import REPLIED_PARTNER, STATUSES, CaseRecord
from uglymugs.reports.consent import CONSENTS
from uglymugs.reports.incidents import Incident
from uglymugs.sharing.due import DUE

PAGE_SIZE = 50
SORTS = ("newest", "oldest", "incident_date")
CONSENT_FILTERS = ("any", "yes", "no", "unanswered")
# What kind of item an incident is: a report made on the site (by the person, a project
# or a site), one with follow-ups, information or a request from police, one staff typed.
KINDS = ("report", "follow_up", "police", "staff")
# Due besides the shares: a request for help from police that no one has answered yet.
REPLY_DUE = "reply"
DUE_FILTERS = (*DUE, REPLY_DUE)


@dataclass(frozen=True)
class Row:
    """One line of the queue: an incident and its case's status and assignee."""

    incident: Incident
    status: str
    assignee: str | None
    new_since_seen: bool
    text: str = ""  # the incident's answers, lower case, for search
    summary: Mapping = field(default_factory=dict)  # Incident.summary(), computed once
    due: frozenset[str] = frozenset()  # share actions due (uglymugs.sharing.due), REPLY_DUE


@dataclass(frozen=True)
class Filters:
    status: str = ""
    consent: str = ""  # one of CONSENTS
    consent_value: str = "any"
    category: str = ""
    region: str = ""
    date_from: str = ""
    date_to: str = ""
    wants_contact: str = ""  # "", "yes", "no"
    due: str = ""  # "", or one of DUE_FILTERS: ready to share that way, not yet shared
    kind: str = ""  # "", or one of KINDS
    search: str = ""
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """Filters from a query string; values the form does not offer are dropped."""
        got = {name: query.get(name, "").strip() for name in cls.__dataclass_fields__}
        filters = cls(
            status=got["status"] if got["status"] in STATUSES else "",
            consent=got["consent"] if got["consent"] in CONSENTS else "",
            consent_value=got["consent_value"]
            if got["consent_value"] in CONSENT_FILTERS
            else "any",
            category=got["category"][:60],
            region=got["region"][:60],
            date_from=_iso(got["date_from"]),
            date_to=_iso(got["date_to"]),
            wants_contact=got["wants_contact"] if got["wants_contact"] in ("yes", "no") else "",
            due=got["due"] if got["due"] in DUE_FILTERS else "",
            kind=got["kind"] if got["kind"] in KINDS else "",
            search=got["search"][:200],
            sort=got["sort"] if got["sort"] in SORTS else "newest",
        )
        page = got["page"]
        return replace(filters, page=int(page) if page.isdigit() and int(page) > 0 else 1)

    def query(self, **changes: object) -> dict[str, str]:
        """These filters (changed) as query parameters, empty ones left out."""
        values = {**self.__dict__, **changes}
        return {k: str(v) for k, v in values.items() if v not in ("", None, "any", 1, "newest")}


def matches(row: Row, filters: Filters) -> bool:
    """Whether ``row`` passes ``filters``, from its summary (no report is reread)."""
    facts = row.summary
    checks = [
        not filters.status or row.status == filters.status,
        not filters.category or filters.category in facts["categories"],
        not filters.region or facts["force_area"] == filters.region,
        not filters.wants_contact or facts["wants_contact"] == (filters.wants_contact == "yes"),
        not filters.due or filters.due in row.due,
        not filters.kind or filters.kind in kinds_of(facts),
        _in_dates(facts["incident_date"], filters.date_from, filters.date_to),
        _consent_matches(facts, filters),
        not filters.search or filters.search.casefold() in row.text,
    ]
    return all(checks)


def awaits_reply(incident: Incident, case: CaseRecord) -> bool:
    """A request for help from police whose case logs no reply to a partner yet."""
    return (
        incident.who_reported == "police"
        and incident.answer("submission_kind") == "help_request"
        and not any(contact.kind == REPLIED_PARTNER for contact in case.contacts)
    )


def kinds_of(facts: Mapping) -> set[str]:
    """The :data:`KINDS` an incident is, from its summary: who it came from, and
    ``follow_up`` when more than one report makes it (or its first is a follow-up)."""
    who = facts["who_reported"]
    kinds = {who if who in ("police", "staff") else "report"}
    if len(facts["numbers"]) > 1 or facts["report_type"] == "follow_up":
        kinds.add("follow_up")
    return kinds


def select(rows: Iterable[Row], filters: Filters) -> list[Row]:
    """The rows that match ``filters``, sorted as asked (newest first by default)."""
    chosen = [row for row in rows if matches(row, filters)]
    if filters.sort == "oldest":
        chosen.sort(key=lambda row: (row.summary["received_at"], row.summary["number"]))
    elif filters.sort == "incident_date":
        chosen.sort(key=lambda row: row.summary["incident_date"] or "", reverse=True)
    else:
        chosen.sort(key=lambda row: (row.summary["last_received_at"], row.summary["number"]))
        chosen.reverse()
    return chosen


def page_of(rows: Sequence[Row], page: int) -> tuple[Sequence[Row], int]:
    """The rows of ``page`` (1-based, clamped) and the number of pages."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    return rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], pages


def _iso(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


def _in_dates(value: object, start: str, end: str) -> bool:
    if not start and not end:
        return True
    if not isinstance(value, str) or not value:
        return False
    return (not start or value >= start) and (not end or value <= end)


def _consent_matches(facts: Mapping, filters: Filters) -> bool:
    if not filters.consent or filters.consent_value == "any":
        return True
    consent = facts["consents"][filters.consent]
    if filters.consent_value == "unanswered":
        return consent["answer"] is None
    if filters.consent_value == "yes":
        return consent["allowed"]
    return consent["answer"] is not None and not consent["allowed"]
