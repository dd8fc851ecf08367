"""The scheme's keys: report key (sealed boxes) and bundle key (signatures).

The public API is re-exported here; see :mod:`uglymugs.crypto.keys` for the files and
:mod:`uglymugs.crypto.passphrase_box` for how private halves are sealed.
"""

from uglymugs.crypto.keys import (
    BUNDLE,
    CASE,
    REPORT,
    CorruptKeyFileError,
    EmptyPassphraseError,
    KeysExistError,
    KeysMissingError,
    KeyStoreError,
    PublicKeys,
    WrongPassphraseError,
    add_case_key,
    create_keys,
    ensure_dev_keys,
    key_id_for,
    load_public_keys,
    rotate_report_key,
    unlock_bundle_key,
    unlock_case_keys,
    unlock_report_keys,
)
from uglymugs.crypto.passphrase_box import DEFAULT_KDF, TEST_KDF, KdfParams

__all__ = [
    "BUNDLE",
    "CASE",
    "DEFAULT_KDF",
    "REPORT",
    "TEST_KDF",
    "CorruptKeyFileError",
    "EmptyPassphraseError",
    "KdfParams",
    "KeyStoreError",
    "KeysExistError",
    "KeysMissingError",
    "PublicKeys",
    "WrongPassphraseError",
    "add_case_key",
    "create_keys",
    "ensure_dev_keys",
    "key_id_for",
    "load_public_keys",
    "rotate_report_key",
    "unlock_bundle_key",
    "unlock_case_keys",
    "unlock_report_keys",
]
