"""How strong the key passphrase must be before it seals the scheme's private keys.

Whoever copies a key file (a stolen laptop, a backup, a CI log) can guess the
passphrase offline for as long as they like; Argon2id only slows each guess. So
``uglymugs keys init`` and ``keys rotate`` refuse a passphrase shorter than
:data:`MIN_LENGTH` or one that zxcvbn (Dropbox's estimator, which knows common
passwords, names, keyboard patterns and dates) scores below :data:`MIN_SCORE`: "hard
to guess" in its terms, at least 10^8 guesses. ``uglymugs dev`` makes its development
keys with the documented passphrase ``dev`` and never comes here.

>>> check_strength("correct horse battery staple")
>>> check_strength("ugly")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
WeakPassphraseError: the passphrase is too weak: ...
"""

from __future__ import annotations

from uglymugs.crypto.keys import KeyStoreError

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's 0-4 scale; 3 is "safely unguessable: moderate protection"
# zxcvbn refuses longer input; a longer passphrase is at least as strong as its start.
_ESTIMATED_LENGTH = 72
# Words anyone would try first against this scheme's keys.
_SCHEME_WORDS = ("ugly", "mugs", "uglymugs", "ugly mugs", "dev")
ADVICE = (
    "use four or more random words (from a dice word list or a password manager's "
    "generator), and keep them in a password manager"
)


class WeakPassphraseError(KeyStoreError):
    """A passphrase too short or too easy to guess to seal the scheme's private keys."""


def check_strength(passphrase: str) -> None:
    """Raise :class:`WeakPassphraseError` with one line saying why and what to do."""
    from zxcvbn import zxcvbn

    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphraseError(
            f"the passphrase is too weak (shorter than {MIN_LENGTH} characters); {ADVICE}"
        )
    estimate = zxcvbn(passphrase[:_ESTIMATED_LENGTH], user_inputs=list(_SCHEME_WORDS))
    if estimate["score"] < MIN_SCORE:
        reason = estimate["feedback"]["warning"] or "it is easy to guess"
        raise WeakPassphraseError(
            f"the passphrase is too weak ({reason.rstrip('.').lower()}); {ADVICE}"
        )
