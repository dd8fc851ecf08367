"""Sending a publication's changes to every member who asked for them, exactly once.

For each change (oldest publication first) and each channel, :class:`Notifier`

1. works out the audience from members' preferences (:mod:`uglymugs.notify.recipients`)
   and saves the plan, so ``uglymugs notify status`` can say what is still pending;
2. leaves out deliveries the ledger already settled, and splits the rest into chunks
   it **claims** in the ledger together: :data:`EMAIL_CHUNK` e-mails, :data:`SMS_CHUNK`
   SMS, or one provider call's worth where a call takes more (the outbox adapters
   write 500 files a call: a claim, a directory sync and an outcome for 500, not 50);
3. on a bounded pool of threads, sends each claimed chunk one provider call at a time
   and records each call's outcome **as soon as the call returns**, in one atomic
   ledger write. A call is one message the provider accepts as a whole: one SMS, one
   outbox file, one SES ``SendEmail`` with up to 50 ``Bcc`` addresses — never more
   addresses than the ledger records in one write (:attr:`NotificationLedger.record_limit`).

So a crash can duplicate at most the one call in flight on each thread (one with
``--concurrency 1``): ``tests/notify/test_crash_every_step.py`` kills a run at every
provider call and ledger write and counts.

A transient error (throttling, a timeout) is retried at once with back-off, then left
``failed`` with a next attempt for a later run (:func:`~uglymugs.notify.ledger.retry_delay`);
a permanent one (a rejected address) is given up and shown to staff. An e-mail call
refused as a whole for a permanent reason is sent again one address at a time, so one
bad address cannot hold back the rest. A crash leaves claimed chunks leased; the next
run takes them over when the lease runs out (or at once with ``take_over``, when staff
know the holder is dead), and skips everything already sent. Deliveries still held by
another run after a publication is sent are counted in :attr:`FanoutReport.held`.
Errors are recorded as their code only: an exception's text may hold an address.

Sending is paced to what the providers let the account send (:mod:`uglymugs.notify.pacing`):
each call waits for its recipients' tokens, a throttle halves the pace, and a chunk is
claimed only while the day's quota has room for it and the run's :class:`Deadline`
(a Lambda's remaining time) can send it with the margin to spare. What is not claimed
is left **deferred** for the next run (on AWS the 15-minute catch-up schedule): a run
stops by itself, never by Lambda's limit, with nothing claimed and unsent.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from uglymugs.members.directory import Member, MemberDirectory
from uglymugs.messaging.mailer import Mailer
from uglymugs.messaging.quota import SendingQuota
from uglymugs.messaging.texter import Texter
from uglymugs.notify.composing import compose_email, compose_sms
from uglymugs.notify.ledger import (
    MAX_ATTEMPTS,
    Channel,
    DeliveryKey,
    Held,
    NotificationLedger,
    Plan,
    held_counts,
    retry_delay,
)
from uglymugs.notify.pacing import DAILY_QUOTA_CODES, THROTTLE_CODES, Deadline, Pace
from uglymugs.notify.publications import AlertChange, Publication, PublicationFeed
from uglymugs.notify.recipients import AlertPartner, Audience, Recipient, audiences

logger = logging.getLogger(__name__)

# E-mails and SMS claimed together (each call still recorded as soon as it returns), or
# one call's worth where the provider takes more in one call (the outbox: 500 files).
EMAIL_CHUNK = 50
SMS_CHUNK = 25
DEFAULT_CONCURRENCY = 8
IMMEDIATE_RETRIES = 3  # tries of one call before it is left for a later run
# Publications older than this are not announced by a catch-up: the news is stale.
MAX_ANNOUNCE_AGE = timedelta(days=14)
# Provider error codes that no retry will fix.
PERMANENT_ERROR_CODES = frozenset(
    {
        "MessageRejected",
        "BadRequestException",
        "InvalidParameter",
        "InvalidParameterException",
        "InvalidParameterValue",
        "NotFoundException",
        "MailFromDomainNotVerifiedException",
        "AccountSuspendedException",
        "OptedOut",
        "MessageTooLong",
    }
)


class Progress(Protocol):
    """Told how many deliveries there are, then as each is settled (``uglymugs notify``)."""

    def total(self, count: int) -> None: ...

    def advance(self, count: int) -> None: ...


class _NoProgress:
    def total(self, count: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


@dataclass
class FanoutReport:
    """What one run did, by channel. Counts only: never who."""

    sequences: list[int] = field(default_factory=list)
    sent: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)  # given up in this run
    retrying: Counter = field(default_factory=Counter)  # left for a later run
    already_done: Counter = field(default_factory=Counter)  # settled by an earlier run
    skipped: Counter = field(default_factory=Counter)  # channel failing: not sent
    held: Held = field(default_factory=Held)  # still claimed by another run afterwards
    taken_over: int = 0  # claims of other runs ended at once (``take_over``)
    # Not claimed in this run: out of time, or the day's quota spent; the next run sends.
    deferred: Counter = field(default_factory=Counter)
    out_of_time: bool = False  # the run's deadline stopped it claiming

    def merge(self, other: FanoutReport) -> None:
        self.sequences += other.sequences
        for name in ("sent", "failed", "retrying", "already_done", "skipped", "deferred"):
            getattr(self, name).update(getattr(other, name))
        self.held += other.held
        self.taken_over += other.taken_over
        self.out_of_time = self.out_of_time or other.out_of_time


def error_code(error: BaseException) -> str:
    """The provider's error code, or the exception's class name — never its message."""
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)[:64]
    return type(error).__name__


def is_permanent(error: BaseException) -> bool:
    return isinstance(error, ValueError) or error_code(error) in PERMANENT_ERROR_CODES


@dataclass
class Notifier:
    """Fans publications out to members; safe to run again at any time."""

    ledger: NotificationLedger
    directory: MemberDirectory
    mailer: Mailer
    texter: Texter
    site_url: str
    region_names: Mapping[str, str]
    clock: Callable[[], datetime]
    sleep: Callable[[float], None] = time.sleep
    concurrency: int = DEFAULT_CONCURRENCY
    progress: Progress = field(default_factory=_NoProgress)
    # End other runs' claims at once: only when staff know those runs are dead.
    take_over: bool = False
    # The time this run has left (a Lambda context's); the default has no limit.
    deadline: Deadline = field(default_factory=Deadline)
    # The part of the account's sending rates this run uses (runs that may send at once
    # split them).
    rate_share: float = 1.0
    monotonic: Callable[[], float] = time.monotonic  # the pacer's clock
    # Bureaus and regional units sent every change in their force areas, beside members.
    partners: Sequence[AlertPartner] = ()
    _paces: dict[Channel, Pace] = field(default_factory=dict, init=False)
    # Attempts recorded before this run, read once while planning (keys absent: none).
    _attempts_before: dict[DeliveryKey, int] = field(default_factory=dict, init=False)

    def catch_up(self, feed: PublicationFeed) -> FanoutReport:
        """Send every recent publication on the current chain that is not done yet."""
        done = self.ledger.done_sequences()
        oldest = self.clock() - MAX_ANNOUNCE_AGE
        report = FanoutReport()
        for publication in feed.chain():
            if publication.sequence in done or _generated(publication) < oldest:
                continue
            report.merge(self.notify_publication(publication))
            if report.out_of_time:
                break  # the next run goes on from here
        return report

    def notify_publication(self, publication: Publication) -> FanoutReport:
        """Send one publication's changes; mark it done when every delivery is settled."""
        members = self.directory.members()
        report = FanoutReport(sequences=[publication.sequence])
        self._read_paces()
        if self.take_over:
            now = self.clock()
            for change in publication.changes:
                report.taken_over += self.ledger.release(change.number, change.version, now)
        work: list[Callable[[], FanoutReport]] = []
        planned: list[tuple[AlertChange, list[DeliveryKey]]] = []
        for change in publication.changes:
            jobs, keys = self._plan_change(change, members, report)
            work += jobs
            planned.append((change, keys))
        self.progress.total(sum(len(keys) for _, keys in planned))
        self.progress.advance(sum(report.already_done.values()))
        for outcome in self._run(work):
            report.merge(outcome)
        report.sequences = [publication.sequence]
        report.out_of_time = self.deadline.reached
        settled = _settled_by_this_run(report, sum(len(keys) for _, keys in planned))
        if not settled:  # some were held, deferred or left to retry: ask the ledger
            settled = True
            for change, keys in planned:
                change_settled, held = self._settled(change, keys)
                settled, report.held = settled and change_settled, report.held + held
        if settled:
            self.ledger.mark_done(publication.sequence, self.clock())
        return report

    # -- planning ---------------------------------------------------------------------

    def _plan_change(
        self, change: AlertChange, members: Sequence[Member], report: FanoutReport
    ) -> tuple[list[Callable[[], FanoutReport]], list[DeliveryKey]]:
        by_channel = audiences(members, change, self.partners)
        recorded = self.ledger.deliveries(change.number, change.version)
        region = self.region_names.get(change.region, change.region)
        jobs: list[Callable[[], FanoutReport]] = []
        keys: list[DeliveryKey] = []
        for channel, audience in by_channel.items():
            self._save_plan(change, audience)
            report.skipped[channel.value] += audience.skipped
            due = []
            for recipient, key in zip(
                audience.recipients, _keys(change, channel, audience.recipients), strict=True
            ):
                keys.append(key)
                delivery = recorded.get(key)
                if delivery is not None and delivery.settled():
                    report.already_done[channel.value] += 1
                else:
                    due.append(recipient)
                    if delivery is not None:
                        self._attempts_before[key] = delivery.attempts
            if not due:
                continue
            if channel == Channel.EMAIL:
                for language, readers in _by_language(due).items():
                    email = compose_email(change, region, self.site_url, language)
                    jobs += [
                        _bind(self._send_email_chunk, change, email, chunk)
                        for chunk in _chunks(readers, max(EMAIL_CHUNK, self._email_call_size()))
                    ]
            else:
                texts = _SMSTexts(change, region, self.site_url)  # composed once per change
                jobs += [
                    _bind(self._send_sms_batch, change, region, texts, batch)
                    for batch in _chunks(due, max(SMS_CHUNK, self._sms_call_size()))
                ]
        return jobs, keys

    def _save_plan(self, change: AlertChange, audience: Audience) -> None:
        if not audience.recipients and not audience.skipped:
            return
        self.ledger.save_plan(
            Plan(
                alert=change.number,
                version=change.version,
                channel=audience.channel.value,
                kind=change.kind.value,
                sequence=change.sequence,
                recipients=len(audience.recipients),
                skipped=audience.skipped,
                updated_at=self.clock(),
            )
        )

    def _settled(self, change: AlertChange, keys: Iterable[DeliveryKey]) -> tuple[bool, Held]:
        """Whether every planned delivery of ``change`` is settled, and those still held
        by another run (this run has recorded all of its own claims by now)."""
        mine = [key for key in keys if key.alert == change.number]
        if not mine:
            return True, Held()
        recorded = self.ledger.deliveries(change.number, change.version)
        planned = [recorded[key] for key in mine if key in recorded]
        settled = len(planned) == len(mine) and all(d.settled() for d in planned)
        return settled, held_counts(planned, self.clock())

    def _run(self, work: list[Callable[[], FanoutReport]]) -> list[FanoutReport]:
        """Run the batches on a bounded pool; a crash in one stops the rest and is raised."""
        if not work:
            return []
        with ThreadPoolExecutor(max_workers=max(1, self.concurrency)) as pool:
            futures = [pool.submit(job) for job in work]
            done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
            for future in done:
                error = future.exception()
                if error is not None:
                    raise error
            return [future.result() for future in futures if not future.cancelled()]

    # -- sending ----------------------------------------------------------------------

    def _send_email_chunk(
        self, change: AlertChange, email: Any, chunk: list[Recipient]
    ) -> FanoutReport:
        if not self._may_claim(Channel.EMAIL, len(chunk)):
            return _deferred(Channel.EMAIL, len(chunk), self.deadline)
        report = FanoutReport()
        claimed = self._claim(change, Channel.EMAIL, chunk)
        for call in _chunks(claimed, self._email_call_size()):
            report.merge(self._send_email_call(change, email, call))
        return report

    def _email_call_size(self) -> int:
        """Addresses in one mailer call: as many as the provider accepts as one message
        (SES: 50 in ``Bcc``; the outbox: 1), no more than one ledger write records, and
        no more than the pace allows in one second (SES counts each address)."""
        limits = [getattr(self.mailer, "batch_limit", 1), getattr(self.ledger, "record_limit", 1)]
        rate = self._pace(Channel.EMAIL).rate
        if rate is not None:
            limits.append(int(rate))
        return max(1, min(limits))

    def _send_email_call(
        self, change: AlertChange, email: Any, recipients: list[Recipient]
    ) -> FanoutReport:
        """One provider call, recorded in one ledger write the moment it returns."""
        try:
            self._call(
                lambda: self.mailer.send_to_many(
                    [r.address for r in recipients], email.subject, email.text, email.html
                ),
                self._pace(Channel.EMAIL),
                len(recipients),
            )
        except Exception as error:
            if not (is_permanent(error) and len(recipients) > 1):
                return self._failed(change, Channel.EMAIL, recipients, error)
            report = FanoutReport()
            for recipient in recipients:  # find the one bad address, send the others
                report.merge(self._send_email_call(change, email, [recipient]))
            return report
        self.ledger.record_sent(_keys(change, Channel.EMAIL, recipients), self.clock())
        self.progress.advance(len(recipients))
        return FanoutReport(sent=Counter({Channel.EMAIL.value: len(recipients)}))

    def _send_sms_batch(
        self, change: AlertChange, region: str, texts: _SMSTexts, batch: list[Recipient]
    ) -> FanoutReport:
        if not self._may_claim(Channel.SMS, len(batch)):
            return _deferred(Channel.SMS, len(batch), self.deadline)
        claimed = self._claim(change, Channel.SMS, batch)
        size = self._sms_call_size()
        if size > 1:  # a texter that writes many in one call (the outbox): as e-mail
            report = FanoutReport()
            for call in _chunks(claimed, size):
                report.merge(self._send_sms_call(change, texts, call))
            return report
        report = FanoutReport()
        for recipient in claimed:
            key = _key(change, Channel.SMS, recipient)
            try:
                text = compose_sms(
                    change,
                    region,
                    self.site_url,
                    discreet=recipient.discreet,
                    language=recipient.language,
                )
                self._call(
                    lambda text=text, to=recipient.address: self.texter.send(to, text),
                    self._pace(Channel.SMS),
                )
            except Exception as error:
                report.merge(self._failed(change, Channel.SMS, [recipient], error))
                continue
            self.ledger.record_sent([key], self.clock())
            report.sent[Channel.SMS.value] += 1
            self.progress.advance(1)
        return report

    def _sms_call_size(self) -> int:
        """SMS in one texter call: 1 unless the texter takes many (``send_many``), then
        no more than one ledger write records, nor than the pace allows in a second."""
        limits = [getattr(self.texter, "batch_limit", 1), getattr(self.ledger, "record_limit", 1)]
        rate = self._pace(Channel.SMS).rate
        if rate is not None:
            limits.append(int(rate))
        return max(1, min(limits))

    def _send_sms_call(
        self, change: AlertChange, texts: _SMSTexts, recipients: list[Recipient]
    ) -> FanoutReport:
        """One ``send_many`` call, recorded in one ledger write the moment it returns; a
        call refused for a permanent reason is sent again one SMS at a time."""
        send_many = self.texter.send_many  # type: ignore[attr-defined] - batch_limit > 1
        try:
            messages = [(r.address, texts.for_recipient(r)) for r in recipients]
            self._call(lambda: send_many(messages), self._pace(Channel.SMS), len(recipients))
        except Exception as error:
            if not (is_permanent(error) and len(recipients) > 1):
                return self._failed(change, Channel.SMS, recipients, error)
            report = FanoutReport()
            for recipient in recipients:
                report.merge(self._send_sms_call(change, texts, [recipient]))
            return report
        self.ledger.record_sent(_keys(change, Channel.SMS, recipients), self.clock())
        self.progress.advance(len(recipients))
        return FanoutReport(sent=Counter({Channel.SMS.value: len(recipients)}))

    def _claim(self, change: AlertChange, channel: Channel, batch: list[Recipient]):
        keys = dict(zip(_keys(change, channel, batch), batch, strict=True))
        claimed = self.ledger.claim(list(keys), self.clock())
        return [keys[key] for key in claimed]

    def _call(self, send: Callable[[], None], pace: Pace, recipients: int = 1) -> None:
        """``send`` at ``pace``, retried at once with back-off on a transient error; a
        throttle halves the pace, a spent daily quota is not retried."""
        for attempt in range(1, IMMEDIATE_RETRIES + 1):
            pace.acquire(recipients)
            try:
                send()
                return
            except Exception as error:
                code = error_code(error)
                if code in THROTTLE_CODES and pace.bucket is not None:
                    pace.bucket.slow_down()
                if code in DAILY_QUOTA_CODES:
                    pace.budget.exhaust()
                    raise
                if is_permanent(error) or attempt == IMMEDIATE_RETRIES:
                    raise
                self.sleep(0.5 * 2**attempt + random.uniform(0, 0.5))  # noqa: S311 - jitter

    # -- pacing -----------------------------------------------------------------------

    def _read_paces(self) -> None:
        """Each channel's pace, read from the provider once per run."""
        if self._paces:
            return
        for channel, sender in ((Channel.EMAIL, self.mailer), (Channel.SMS, self.texter)):
            self._paces[channel] = Pace.of(
                sending_quota(sender), self.rate_share, self.monotonic, self.sleep
            )

    def _pace(self, channel: Channel) -> Pace:
        self._read_paces()
        return self._paces[channel]

    def _may_claim(self, channel: Channel, count: int) -> bool:
        """Whether a chunk of ``count`` may be claimed now: every thread's chunk can be
        sent at the pace before the deadline's margin, and the day's quota has room."""
        pace = self._pace(channel)
        in_flight = count * max(1, self.concurrency)
        return self.deadline.allows(pace.seconds_for(in_flight)) and pace.budget.take(count)

    def _failed(
        self, change: AlertChange, channel: Channel, recipients: list[Recipient], error: Exception
    ) -> FanoutReport:
        now = self.clock()
        code = error_code(error)
        report = FanoutReport()
        retry: list[DeliveryKey] = []
        give_up: list[DeliveryKey] = []
        for recipient in recipients:
            key = _key(change, channel, recipient)
            attempts = self._attempts_before.get(key, 0) + 1  # this run's claim counted one
            final = is_permanent(error) or attempts >= MAX_ATTEMPTS
            (give_up if final else retry).append(key)
        if retry:
            attempts = max(self._attempts_before.get(key, 0) + 1 for key in retry)
            self.ledger.record_failed(retry, now, code, now + retry_delay(attempts))
            report.retrying[channel.value] += len(retry)
        if give_up:
            self.ledger.record_failed(give_up, now, code, None)
            report.failed[channel.value] += len(give_up)
            self.progress.advance(len(give_up))
        return report


def sending_quota(sender: Any) -> SendingQuota | None:
    """What ``sender``'s provider lets the account send (None: not paced, as the
    outbox). If the account cannot be read, one recipient a second (SES's sandbox
    rate): slow, but never throttled."""
    read = getattr(sender, "sending_quota", None)
    if read is None:
        return None
    try:
        return read()
    except Exception as error:  # any failure: the slowest safe pace
        logger.warning("could not read the sending quota (%s): 1 a second", error_code(error))
        return SendingQuota(1.0)


def _settled_by_this_run(report: FanoutReport, planned: int) -> bool:
    """Whether every planned delivery is settled by the counts alone: each was settled
    before this run or sent or given up in it (its outcome recorded; sent and given up
    are final), so the ledger need not be read again (12,000 rows at 10,000 members).
    Anything held, left to retry or deferred leaves the count short: then it is read."""
    settled = report.sent.total() + report.failed.total() + report.already_done.total()
    return settled == planned and not report.retrying.total() and not report.deferred.total()


def _deferred(channel: Channel, count: int, deadline: Deadline) -> FanoutReport:
    return FanoutReport(deferred=Counter({channel.value: count}), out_of_time=deadline.reached)


class _SMSTexts:
    """An alert's SMS text for each kind of reader (language, discreet), composed once
    (two threads may both compose one kind: the same text)."""

    def __init__(self, change: AlertChange, region: str, site_url: str) -> None:
        self.change, self.region, self.site_url = change, region, site_url
        self.texts: dict[tuple[str, bool], str] = {}

    def for_recipient(self, recipient: Recipient) -> str:
        kind = (recipient.language, recipient.discreet)
        if kind not in self.texts:
            self.texts[kind] = compose_sms(
                self.change,
                self.region,
                self.site_url,
                discreet=recipient.discreet,
                language=recipient.language,
            )
        return self.texts[kind]


def _key(change: AlertChange, channel: Channel, recipient: Recipient) -> DeliveryKey:
    return DeliveryKey(change.number, change.version, channel.value, recipient.member_id)


def _keys(
    change: AlertChange, channel: Channel, recipients: Sequence[Recipient]
) -> list[DeliveryKey]:
    """Each recipient's key (the channel's value read once: an enum's is slow to read)."""
    number, version, value = change.number, change.version, channel.value
    return [DeliveryKey(number, version, value, r.member_id) for r in recipients]


def _by_language(recipients: list[Recipient]) -> dict[str, list[Recipient]]:
    """Recipients by their language, in order: one e-mail text per language."""
    found: dict[str, list[Recipient]] = {}
    for recipient in recipients:
        found.setdefault(recipient.language, []).append(recipient)
    return found


def _chunks(items: list[Recipient], size: int) -> list[list[Recipient]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _bind(function: Callable[..., FanoutReport], *arguments: Any) -> Callable[[], FanoutReport]:
    return lambda: function(*arguments)


def _generated(publication: Publication) -> datetime:
    return datetime.fromisoformat(publication.generated_at.replace("Z", "+00:00"))
