"""Canonical JSON: one value, one sequence of bytes, so signatures can be over bytes.

Bundles, signature files, manifests and change records are all written in this form,
and two runs over the same input write the same bytes. The rules (``docs/bundles.md``):

- UTF-8, no byte order mark; characters outside ASCII are written as themselves, and
  only ``"``, ``\\`` and the controls U+0000–U+001F are escaped (``\\n``, ``\\u001f``…);
- object keys are strings, sorted by Unicode code point, each key once;
- no whitespace between tokens, no trailing newline;
- values are objects, arrays, strings, ``true``, ``false``, ``null`` and integers
  between -(2⁵³-1) and 2⁵³-1 (exact in every JSON reader); floats are refused.

Strings are not Unicode-normalised: the same code points give the same bytes, and a
string containing a lone surrogate is refused (it has no UTF-8 form).

>>> canonical_bytes({"b": [1, "é"], "a": None})
b'{"a":null,"b":[1,"\\xc3\\xa9"]}'
"""

from __future__ import annotations

import json
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


class CanonicalJSONError(ValueError):
    """A value that has no canonical JSON form (a float, a non-string key, …)."""


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON bytes of ``value`` (see the module docstring for the rules)."""
    _check(value, "$")
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CanonicalJSONError(f"a string has no UTF-8 form: {error.reason}") from None


def assemble_object(members: dict[str, bytes]) -> bytes:
    """The canonical bytes of an object whose member values are already canonical bytes.

    Lets a large document (a bundle of 10,000 alerts) be put together from parts that
    were each encoded once: ``assemble_object({"a": canonical_bytes(x)})`` equals
    ``canonical_bytes({"a": x})``.
    """
    parts = [canonical_bytes(key) + b":" + members[key] for key in sorted(members)]
    return b"{" + b",".join(parts) + b"}"


def assemble_array(items: list[bytes]) -> bytes:
    """The canonical bytes of an array whose items are already canonical bytes."""
    return b"[" + b",".join(items) + b"]"


def is_canonical(data: bytes) -> bool:
    """True when ``data`` is exactly the canonical form of the JSON it holds."""
    try:
        return canonical_bytes(json.loads(data)) == data
    except (ValueError, RecursionError):
        return False


def _check(value: Any, where: str) -> None:
    # bool before int: True is an int in Python and is fine as it is.
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise CanonicalJSONError(f"{where}: integer {value} is outside ±(2**53 - 1)")
        return
    if isinstance(value, float):
        raise CanonicalJSONError(f"{where}: floats have no canonical form ({value!r})")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJSONError(f"{where}: object key {key!r} is not a string")
            _check(item, f"{where}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
        return
    raise CanonicalJSONError(f"{where}: {type(value).__name__} is not a JSON value")
