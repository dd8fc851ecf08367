"""One spelling for each identifier an offender uses, so that lookups find it.

Members check a client's phone number, e-mail, username or number plate against the
alerts before a booking; a number written ``07700 900123`` in an alert must be found
from ``+44 7700 900123``. Alerts store identifiers in the form these functions return,
``uglymugs alerts check`` insists on it, and a lookup normalises its query the same way.

>>> normalise_phone("07700 900123")
'+447700900123'
>>> normalise_email("  Dave.M@Example.ORG ")
'dave.m@example.org'
>>> normalise_plate("cn51 qzx")
'CN51QZX'
>>> normalise_username(" @DaveM ")
'davem'
"""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_PHONE_REGION = "GB"
# Ofcom keeps 07700 900000–900999 for drama: they reach nobody, so examples and tests
# use them. libphonenumber does not know the range and calls them invalid.
_DRAMA_MOBILE = re.compile(r"^7700900\d{3}$")
_EMAIL = re.compile(
    r"^[^@\s]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)
_PLATE_SEPARATORS = re.compile(r"[\s-]+")
_PLATE = re.compile(r"^[A-Z0-9]{1,10}$")
# E.164 as normalise_phone writes it: a plus, a country code and up to 15 digits in all.
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class IdentifierError(ValueError):
    """An identifier that cannot be normalised; the message says why, for staff or members."""


def normalise_phone(text: str, default_region: str = DEFAULT_PHONE_REGION) -> str:
    """``text`` as an E.164 number (``+447700900123``), or :class:`IdentifierError`.

    A number without a country code is read as one of ``default_region``. Only numbers
    that can exist are accepted: libphonenumber's validity, plus Ofcom's drama range.
    """
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise IdentifierError(f"{text!r} is not a phone number") from None
    # The drama range first: a quick look that spares libphonenumber's region search
    # for every example and test number (it calls them invalid after trying them all).
    if not (_is_drama_number(number) or _is_valid(number)):
        raise IdentifierError(f"{text!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(text: str) -> str:
    """``text`` trimmed and lower-cased; :class:`IdentifierError` unless it looks like one.

    Lower-casing the local part is not strictly right by the standard, but no mail
    service people use treats ``Dave`` and ``dave`` as different mailboxes.
    """
    email = text.strip().lower()
    if not _EMAIL.match(email):
        raise IdentifierError(f"{text!r} is not an e-mail address")
    return email


def normalise_plate(text: str) -> str:
    """A number plate upper-cased without spaces or hyphens: ``CN51 QZX`` → ``CN51QZX``.

    Part of a plate is fine (``CN51``); anything but letters and digits is not.
    """
    plate = _PLATE_SEPARATORS.sub("", text).upper()
    if not _PLATE.match(plate):
        raise IdentifierError(f"{text!r} is not a number plate (letters and digits only)")
    return plate


def normalise_username(text: str) -> str:
    """A username for lookups: trimmed, without a leading ``@``, case-folded, spaces single.

    Sites differ on case and on the ``@``; a lookup should not miss ``@DaveM`` for ``davem``.
    """
    username = " ".join(text.strip().lstrip("@").split()).casefold()
    if not username:
        raise IdentifierError(f"{text!r} is not a username")
    return username


def is_e164(text: str) -> bool:
    """True when ``text`` has the form :func:`normalise_phone` gives (``+447700900123``).

    The form only, not the number plan: for phones that ``alerts check`` has already
    normalised (published bundles), where re-parsing with libphonenumber cost seconds.
    """
    return bool(_E164.match(text))


def _is_valid(number: phonenumbers.PhoneNumber) -> bool:
    """libphonenumber's validity, trying the country code's main region first.

    The same answer as ``is_valid_number``, which first works out which of the regions
    sharing the code (GB, GG, IM, JE for +44) the number is in: three times the work
    for the usual number, and most of ``alerts check``'s time for phones.
    """
    main = phonenumbers.region_code_for_country_code(number.country_code or 0)
    return phonenumbers.is_valid_number_for_region(number, main) or phonenumbers.is_valid_number(
        number
    )


def _is_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 44 and bool(_DRAMA_MOBILE.match(str(number.national_number)))
