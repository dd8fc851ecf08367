"""Who hears about an alert change, and on which channel: the members' own preferences.

A member is sent a change on a channel when they are approved, chose that channel,
have an address for it (every member has an e-mail address; SMS needs a mobile), and
the alert's region and risk are among those they chose (an empty choice means all).
A withdrawal is matched the same way, on the risk members were told before.
Members whose channel is failing (a permanent bounce, a complaint, an SMS opt-out)
are not sent to; they are counted, so staff see them.

Beside members, the force intelligence bureaus and regional intelligence units of the
partner directory (:class:`AlertPartner`) are sent every change in the force areas
they cover, by e-mail to their contact address: new alerts, corrections and
withdrawals alike. They are recipients like members in the ledger (``partner:ID``), so
each version reaches each partner once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from uglymugs.members.directory import Member, MemberStatus
from uglymugs.notify.ledger import Channel
from uglymugs.notify.publications import AlertChange


@dataclass(frozen=True)
class Recipient:
    """One member on one channel: where to send, and how (discreet SMS)."""

    member_id: str
    address: str  # e-mail address or E.164 mobile number
    discreet: bool = False
    language: str = "en"  # the member's own (a site language code)


@dataclass
class Audience:
    """The recipients of one change on one channel, and how many were left out."""

    channel: Channel
    recipients: list[Recipient] = field(default_factory=list)
    skipped: int = 0  # matched, but the channel is failing


PARTNER_PREFIX = "partner:"
_APPROVED = MemberStatus.APPROVED.value


@dataclass(frozen=True)
class AlertPartner:
    """A partner that receives published alerts: its force areas (empty: every one)."""

    id: str
    contact: str
    force_areas: frozenset[str] = frozenset()

    def covers(self, region: str) -> bool:
        return not self.force_areas or region in self.force_areas

    @property
    def recipient_id(self) -> str:
        """Its id in the notification ledger, apart from every member id."""
        return PARTNER_PREFIX + self.id


def wants(member: Member, change: AlertChange, channel: Channel) -> bool:
    """Whether ``member``'s preferences ask for ``change`` on ``channel``."""
    if member.status != _APPROVED:
        return False
    preferences = member.preferences
    if channel not in preferences.channels:  # a Channel is the str of its value
        return False
    if channel is Channel.SMS and not member.mobile:
        return False
    if preferences.regions and change.region not in preferences.regions:
        return False
    return not (preferences.risks and change.risk and change.risk not in preferences.risks)


def audiences(
    members: Iterable[Member], change: AlertChange, partners: Sequence[AlertPartner] = ()
) -> dict[Channel, Audience]:
    """Every channel's recipients of ``change`` among ``members`` and ``partners``."""
    found = {channel: Audience(channel) for channel in Channel}
    found[Channel.EMAIL].recipients += [
        Recipient(partner.recipient_id, partner.contact)
        for partner in partners
        if partner.covers(change.region)
    ]
    channels = [(channel, channel.value) for channel in Channel]  # read once, not per member
    for member in members:
        for channel, value in channels:
            if not wants(member, change, channel):
                continue
            audience = found[channel]
            if member.channel_failing(value):
                audience.skipped += 1
            elif channel == Channel.EMAIL:
                audience.recipients.append(
                    Recipient(member.id, member.email, language=member.language)
                )
            else:
                audience.recipients.append(
                    Recipient(
                        member.id,
                        member.mobile or "",
                        member.preferences.discreet_sms,
                        member.language,
                    )
                )
    return found
