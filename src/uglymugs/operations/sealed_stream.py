"""A stream sealed to the report key: how a backup archive is encrypted.

A backup is as sensitive as the vault and must be made by a machine that holds no
private key (a nightly job), so it is sealed to the *public* half of the current
report key: a fresh random key for libsodium's ``crypto_secretstream_xchacha20poly1305``
is sealed in a sealed box, and the archive is pushed through the stream in chunks.
Opening it needs the report key's private half, that is the key passphrase. The
stream authenticates every chunk and their order, and a final tag marks the end, so
a changed, reordered, truncated or extended file is refused, never half-read.

File format ``uglymugs.backup/1``::

    uglymugs.backup/1\\n
    u32 length, JSON header {"key_id", "sealed_key", "stream_header", "chunk_size"}
    u32 length, chunk 1 (authenticated with the magic line and header as extra data)
    ...
    u32 length, last chunk (tag FINAL; may be empty), then nothing

Integers are big-endian; binary header fields are standard base64. Memory use is a
few chunks, whatever the size of the archive.

>>> with SealedWriter(out, "report-abc", public_key) as sealed:  # doctest: +SKIP
...     sealed.write(data)
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

import nacl.bindings as sodium
import nacl.exceptions
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

MAGIC = b"uglymugs.backup/1\n"
CHUNK_SIZE = 64 * 1024
MAX_HEADER = 4096
_LENGTH = struct.Struct(">I")
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL


class BackupFormatError(ValueError):
    """The file is not a backup made by ``uglymugs backup``."""


class DamagedBackupError(ValueError):
    """The backup was changed, cut short or extended after it was made."""


class SealedWriter:
    """A write-only file object that seals what is written to ``out``, chunk by chunk."""

    def __init__(
        self, out: BinaryIO, key_id: str, public_key: bytes, chunk_size: int = CHUNK_SIZE
    ) -> None:
        self._out = out
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        stream_key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
        stream_header = sodium.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, stream_key
        )
        header = {
            "key_id": key_id,
            "sealed_key": _b64(SealedBox(PublicKey(public_key)).encrypt(stream_key)),
            "stream_header": _b64(stream_header),
            "chunk_size": chunk_size,
        }
        header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
        out.write(MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes)
        self._associated: bytes | None = MAGIC + header_bytes
        self.closed = False

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) >= self._chunk_size:
            self._push(bytes(self._buffer[: self._chunk_size]), _TAG_MESSAGE)
            del self._buffer[: self._chunk_size]
        return len(data)

    def close(self) -> None:
        """Seal what is left with the final tag. ``out`` itself stays open."""
        if not self.closed:
            self._push(bytes(self._buffer), _TAG_FINAL)
            self._buffer.clear()
            self.closed = True

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.close()

    def _push(self, chunk: bytes, tag: int) -> None:
        sealed = sodium.crypto_secretstream_xchacha20poly1305_push(
            self._state, chunk, self._associated, tag
        )
        self._associated = None
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)


@dataclass(frozen=True)
class BackupHeader:
    """What precedes the sealed chunks: which report key opens them, and how."""

    key_id: str
    fields: Mapping[str, Any]
    raw: bytes  # authenticated with the first chunk


def read_header(source: BinaryIO) -> BackupHeader:
    """Read a backup's header: the caller then unlocks the report key it names."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupFormatError("this file is not an uglymugs backup (uglymugs.backup/1)")
    length = _read_length(source)
    if length > MAX_HEADER:
        raise BackupFormatError("this backup's header is too long to be one")
    raw = source.read(length)
    try:
        fields = json.loads(raw)
        key_id = fields["key_id"]
    except (ValueError, TypeError, KeyError):
        raise DamagedBackupError("this backup's header is damaged") from None
    if not isinstance(key_id, str):
        raise DamagedBackupError("this backup's header is damaged")
    return BackupHeader(key_id, fields, raw)


class SealedReader:
    """A read-only file object over a sealed stream, opened with the report key's private half."""

    def __init__(self, source: BinaryIO, header: BackupHeader, private_key: PrivateKey):
        self._source = source
        fields = header.fields
        try:
            stream_key = SealedBox(private_key).decrypt(_unb64(fields["sealed_key"]))
            stream_header = _unb64(fields["stream_header"])
            self._max_chunk = int(fields["chunk_size"]) + _ABYTES
        except (KeyError, TypeError, ValueError, nacl.exceptions.CryptoError):
            raise DamagedBackupError("this backup's key cannot be opened: it was changed") from None
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        try:
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(
                self._state, stream_header, stream_key
            )
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            raise DamagedBackupError("this backup's stream header is damaged") from None
        self._associated: bytes | None = MAGIC + header.raw
        self._buffer = bytearray()
        self._finished = False
        self.position = 0  # sealed bytes read so far, for error messages

    def read(self, size: int = -1) -> bytes:
        while not self._finished and (size < 0 or len(self._buffer) < size):
            self._pull()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _pull(self) -> None:
        length = _read_length(self._source, ended=self._ended)
        if not _ABYTES <= length <= self._max_chunk:
            raise self._damaged()
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise self._ended()
        try:
            chunk, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                self._state, sealed, self._associated
            )
        except (nacl.exceptions.CryptoError, ValueError):
            raise self._damaged() from None
        self._associated = None
        self.position += _LENGTH.size + length
        self._buffer += chunk
        if tag == _TAG_FINAL:
            self._finished = True
            if self._source.read(1):
                raise DamagedBackupError("this backup has bytes after its end: it was changed")

    def _damaged(self) -> DamagedBackupError:
        return DamagedBackupError(
            f"this backup was changed or damaged after byte {self.position}; it cannot be trusted"
        )

    def _ended(self) -> DamagedBackupError:
        return DamagedBackupError("this backup ends before its last chunk: it was cut short")


def _read_length(source: BinaryIO, ended: Any = None) -> int:
    raw = source.read(_LENGTH.size)
    if len(raw) != _LENGTH.size:
        if ended is not None:
            raise ended()
        raise BackupFormatError("this file is not an uglymugs backup (too short)")
    return _LENGTH.unpack(raw)[0]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError("not base64") from None
