"""What the pages say when an API refuses a request, in the page's own language.

The APIs' ``error.message`` is English written for developers (``docs/api.md``); the
pages never show it. Each page that talks to an API carries this table, translated,
in its ``data-errors`` attribute, and the scripts look a refusal up by
``"<code>:<field>"``, then ``"<code>"``, falling back to the page's general message.
Codes the scripts handle by status (``storage_unavailable``, ``not_logged_in``,
``unknown_key`` …) need no entry.
"""

from __future__ import annotations

from collections.abc import Callable

from uglymugs.i18n import N_

API_MESSAGES = {
    "login_failed": N_("That username or password is not right. Please try again."),
    "account_not_active": N_(
        "This membership is not active just now, so you cannot log in. Please contact the scheme."
    ),
    "too_many_attempts": N_(
        "Too many wrong tries: logging in is paused for this account for a while. "
        "Please try again later, or ask for a new password."
    ),
    "rate_limited": N_(
        "Too many tries in a short time. Please wait a few minutes, then try again."
    ),
    "weak_password": N_(
        "Please choose a password of at least 10 characters that is not your username."
    ),
    "link_unknown": N_("This link is not one we sent. Please use the newest link in your e-mail."),
    "link_expired": N_("This link has expired. Links work for a limited time, for your safety."),
    "link_used": N_("This link has already been used. Each link works only once."),
    "too_large": N_("This is too long to send. Please shorten it, then try again."),
    "invalid_field:username": N_(
        "A username has 3 to 32 letters (A–Z, without accents), digits, dots, dashes or "
        "underscores, and starts with a letter or a digit."
    ),
    "invalid_field:email": N_(
        "That e-mail address does not look right: it should look like name@example.org."
    ),
    "invalid_field:mobile": N_(
        "That does not look like a mobile phone number. Please check it, or leave it empty."
    ),
    "invalid_field:organisation": N_(
        "Please give the name of your project, site or establishment, in at most 200 characters."
    ),
    "invalid_field:contact_role": N_("Please say what your role is, in at most 100 characters."),
    "invalid_field:accept_terms": N_(
        "To join, please read and accept the terms of membership and the code of conduct."
    ),
    "invalid_field:value": N_(
        "That does not look like the kind of detail you chose. Please check what you typed."
    ),
    "too_many_tokens": N_("You have 10 API tokens. Please revoke one before making another."),
    "invalid_field:name": N_("Please give the token a name of at most 60 characters."),
    "already_answered": N_("You have already answered this survey. Thank you."),
    "survey_closed": N_("This survey has closed. Thank you for wanting to answer."),
    "invalid_field:comment": N_(
        "Please keep your comment to at most 1,000 characters of ordinary text."
    ),
    "invalid_field:channels": N_(
        "Alerts by text message need a mobile number on your membership. "
        "Please contact the scheme to add one."
    ),
}


def api_messages(gettext: Callable[[str], str]) -> dict[str, str]:
    """The table, translated with ``gettext``."""
    return {key: gettext(message) for key, message in API_MESSAGES.items()}
