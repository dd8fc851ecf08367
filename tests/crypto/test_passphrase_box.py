"""A secret sealed under a passphrase opens with it and only with it."""

import pytest

from uglymugs.crypto.passphrase_box import (
    DEFAULT_KDF,
    TEST_KDF,
    MalformedSecretError,
    PassphraseMismatchError,
    open_secret,
    seal_secret,
)


def test_round_trip_and_parameters_are_stored():
    sealed = seal_secret(b"secret", "correct horse", TEST_KDF)
    assert (sealed["opslimit"], sealed["memlimit"]) == (TEST_KDF.opslimit, TEST_KDF.memlimit)
    assert open_secret(sealed, "correct horse") == b"secret"


def test_each_seal_has_its_own_salt():
    first, second = (seal_secret(b"secret", "pw", TEST_KDF) for _ in range(2))
    assert first["salt"] != second["salt"]
    assert first["sealed"] != second["sealed"]


def test_wrong_passphrase():
    with pytest.raises(PassphraseMismatchError):
        open_secret(seal_secret(b"secret", "right", TEST_KDF), "wrong")


def test_default_is_moderate_and_stronger_than_the_test_setting():
    assert DEFAULT_KDF.memlimit == 256 * 1024 * 1024
    assert DEFAULT_KDF.opslimit > TEST_KDF.opslimit


@pytest.mark.parametrize(
    "change",
    [
        {"kdf": "scrypt"},
        {"opslimit": 10**9},
        {"memlimit": 2**40},
        {"opslimit": "3"},
        {"salt": "AAAA"},
        {"sealed": "not base64"},
        {"sealed": "AAAA"},
    ],
)
def test_malformed_seals_are_refused_before_any_work(change):
    sealed = {**seal_secret(b"secret", "pw", TEST_KDF), **change}
    with pytest.raises(MalformedSecretError):
        open_secret(sealed, "pw")
