"""What staff do to members: approve, reject, suspend, reinstate.

Approving a member who has no password e-mails them a one-time set-password link (at
most one such e-mail per address a day: :mod:`uglymugs.members.account_mail`), and
gives a member who has not chosen their alert preferences the defaults: every alert by
e-mail, and by SMS too when they gave a mobile number. Suspending ends every session
they have at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from uglymugs.members.account_mail import AccountMail
from uglymugs.members.directory import (
    Member,
    MemberDirectory,
    MemberStatus,
    Preferences,
    SessionStore,
)
from uglymugs.members.sessions import LINK_LIFETIME, issue_link

SET_PASSWORD = "set-password"  # noqa: S105 - a link purpose
RESET_PASSWORD = "reset-password"  # noqa: S105 - a link purpose

# action: (statuses it applies to, the status it leaves)
TRANSITIONS = {
    "approve": ({MemberStatus.PENDING, MemberStatus.REJECTED}, MemberStatus.APPROVED),
    "reject": ({MemberStatus.PENDING}, MemberStatus.REJECTED),
    "suspend": ({MemberStatus.APPROVED}, MemberStatus.SUSPENDED),
    "reinstate": ({MemberStatus.SUSPENDED}, MemberStatus.APPROVED),
}
# Changes that hold a member back: staff say why, and the audit trail keeps the reason.
NEEDS_REASON = ("reject", "suspend")
MAX_REASON = 1000


class StatusChangeError(Exception):
    """A change staff asked for that does not apply to this member (says why)."""


@dataclass(frozen=True)
class StaffActions:
    directory: MemberDirectory
    sessions: SessionStore
    mail: AccountMail  # at most one set-password e-mail per address a day
    site_url: str
    clock: Callable[[], datetime]

    def change_status(self, username: str, action: str) -> Member:
        member = self.directory.find(username)
        if member is None or "@" in username:
            raise StatusChangeError(f"there is no member with the username {username!r}")
        allowed, target = TRANSITIONS[action]
        if member.status not in allowed:
            raise StatusChangeError(
                f"{member.username} is {member.status}: only "
                f"{' or '.join(sorted(allowed))} members can be {action.rstrip('e')}ed"
            )
        now = self.clock()
        changes: dict[str, Any] = {"status": target.value}
        if action == "approve" and not member.preferences.chosen:
            changes["preferences"] = Preferences.defaults_for(member.mobile)
        changed = member.changed(now, **changes)
        self.directory.save(changed)
        if action == "suspend":
            self.sessions.delete_sessions_of(member.id)
        if action == "approve" and member.password_hash is None:
            self.mail.send(
                changed.email,
                "set_password",
                changed.language,
                username=changed.username,
                link=lambda: issue_link(self.sessions, changed, SET_PASSWORD, now, self.site_url),
                hours=int(LINK_LIFETIME.total_seconds() // 3600),
            )
        return changed


def member_answers(member: Member) -> dict[str, object]:
    """What staff vet a member on: every answer they gave and their standing; never the
    password hash or the join request's digest."""
    return {
        "username": member.username,
        "type": member.membership_type,
        "status": member.status,
        "organisation": member.organisation,
        "email": member.email,
        "mobile": member.mobile,
        "role": member.contact_role,
        "service_users": list(member.service_users),
        "monitoring": dict(member.monitoring),
        "joined": member.created_at,
        "updated": member.updated_at,
        "alert_preferences": member.preferences.as_document(),
        "failing_channels": dict(member.failing_channels),
    }
