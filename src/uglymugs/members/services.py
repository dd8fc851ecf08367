"""What the member API's routes need, in one object held in the app's state.

Tests build a :class:`MemberServices` with the local adapters or moto; the functions
and ``uglymugs dev`` build it from the settings (:func:`uglymugs.composition.member_services`).
The parts built from the others (sessions on the clock, the log-in throttle, the
check quota, limited account e-mail) are made once, on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from uglymugs.members.account_mail import DEFAULT_MAIL_HOURLY_CAP, AccountMail, MailLimits
from uglymugs.members.check_quota import CheckQuota
from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.directory import ApiTokenStore, MemberDirectory, SessionStore
from uglymugs.members.login_throttle import LoginThrottle
from uglymugs.members.passwords import PasswordHasher
from uglymugs.members.published import PublishedAlerts
from uglymugs.members.sessions import Sessions
from uglymugs.messaging.mailer import Mailer
from uglymugs.powertools.metrics import MetricsSink

if TYPE_CHECKING:
    from uglymugs.members.api_tokens import ApiTokens
    from uglymugs.members.staff import StaffActions
    from uglymugs.members.survey import SurveyStore
    from uglymugs.members.survey_answering import SurveyTaking


class MemberRecords(Protocol):
    """A store outside the member directory that keeps rows about a member by id (the
    notify ledger): shown in their data download, deleted when they close their account."""

    def member_records(self, member_id: str) -> list[dict[str, Any]]: ...

    def forget_member(self, member_id: str) -> int: ...


@dataclass(frozen=True)
class MemberServices:
    """Everything the member API needs, injectable for tests."""

    directory: MemberDirectory
    sessions: SessionStore
    mailer: Mailer
    hasher: PasswordHasher
    site_url: str
    clock: Callable[[], datetime]
    published: PublishedAlerts | None = None
    metrics: MetricsSink | None = None
    counter_keys: CounterKeys = field(default_factory=CounterKeys.ephemeral)
    mail_hourly_cap: int = DEFAULT_MAIL_HOURLY_CAP
    mail_subject: str | None = None
    # Other stores' rows about a member, by the name the data download shows them under.
    member_records: Mapping[str, MemberRecords] = field(default_factory=dict)
    # Projects' and sites' read-only API tokens (None: the API offers none).
    token_store: ApiTokenStore | None = None
    # A language code -> the member area's alert labels in it (the Word download).
    alert_labels: Callable[[str], Mapping[str, Any]] | None = None
    # The member survey's rounds and answers (None: no survey is offered).
    survey_store: SurveyStore | None = None

    @cached_property
    def live_sessions(self) -> Sessions:
        return Sessions(self.sessions, self.directory, self.clock)

    @cached_property
    def login_throttle(self) -> LoginThrottle:
        return LoginThrottle(self.sessions, self.counter_keys, self.clock)

    @cached_property
    def check_quota(self) -> CheckQuota:
        return CheckQuota(self.sessions, self.counter_keys, self.clock)

    @cached_property
    def mail_limits(self) -> MailLimits:
        return MailLimits(
            self.sessions, self.counter_keys, self.clock, self.mail_hourly_cap, self.metrics
        )

    @cached_property
    def account_mail(self) -> AccountMail:
        return AccountMail(self.mailer, self.mail_limits, self.mail_subject)

    @cached_property
    def api_tokens(self) -> ApiTokens | None:
        """Issue, list, revoke and accept API tokens, when there is a store for them."""
        if self.token_store is None:
            return None
        from uglymugs.members.api_tokens import ApiTokens

        return ApiTokens(
            self.token_store, self.directory, self.sessions, self.counter_keys, self.clock
        )

    @cached_property
    def survey(self) -> SurveyTaking | None:
        """The member survey, when there is a store for it."""
        if self.survey_store is None:
            return None
        from uglymugs.members.survey_answering import SurveyTaking

        return SurveyTaking(self.survey_store, self.counter_keys, self.clock)

    @cached_property
    def staff_actions(self) -> StaffActions:
        """Approve, reject, suspend, reinstate: for the command and the staff console."""
        from uglymugs.members.staff import StaffActions

        return StaffActions(
            self.directory, self.sessions, self.account_mail, self.site_url, self.clock
        )
