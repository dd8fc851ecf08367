"""Reading an alert file: YAML front matter between ``---`` lines, then the body.

The YAML is read with a deliberately small set of implicit types: every plain scalar
is a string except an empty value or ``null``/``~`` (None). YAML 1.1 would turn
``glasses: yes`` into ``True``, ``time: 21:30`` into ``1290`` and a phone number
``+447700900123`` into an integer; here they stay as written and the model decides.
Every node keeps its position, so a problem can name the line of the offending key.

>>> matter = parse("---\\nnumber: 2026-0042\\nregion: kent\\n---\\nHe refused to pay.\\n")
>>> matter.data["number"], matter.line_of(("region",)), matter.body_line
('2026-0042', 3, 5)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

DELIMITER = "---"
_CLOSERS = ("---", "...")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_NULLS = frozenset(("~", "null", "Null", "NULL", ""))  # what _NULL matches, for a set lookup
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class FrontMatterError(Exception):
    """A file whose front matter cannot be read; ``code`` and ``line`` say where and why."""

    def __init__(self, code: str, line: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.message = message


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that resolves nothing implicitly but null (see the module docstring).

    libyaml's parser (``CSafeLoader``, in PyYAML's wheels) when present: it is several
    times faster than the pure-Python scanner, which dominated ``alerts check``.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag PyYAML's resolver gives with only the null resolver, without its lookups.

        libyaml asks this for every node; the general resolver's look-ups were a fifth
        of libyaml's composing time for an alert.
        """
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULLS else _STR_TAG
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to do: this loader has no path resolvers (libyaml calls it per node)."""

    def ascend_resolver(self) -> None:
        """Nothing to do, as :meth:`descend_resolver`."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(_NULL_TAG, _NULL, ["~", "n", "N", ""])


class _UnusualNodeError(Exception):
    """A node the quick construction leaves to PyYAML's: an alias, a tag, a complex key."""


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter (``data``, its YAML ``node``) and the ``body`` after it."""

    data: Any
    node: yaml.Node | None
    body: str
    body_line: int  # file line (1-based) of the body's first line

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The file line of the key (or list item) at ``loc``, e.g. ``("offender", "sex")``.

        A location that is not in the file (a missing field) gives the line of the
        nearest enclosing key that is, or 1, the opening ``---``.
        """
        node, line = self.node, 1
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = next((pair for pair in node.value if pair[0].value == part), None)
                if found is None:
                    break
                line = _yaml_line(found[0])
                node = found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                line = _yaml_line(node)
            else:
                break
        return line


def parse(text: str) -> FrontMatter:
    """Split ``text`` into front matter and body and read the YAML; or :class:`FrontMatterError`."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].rstrip() != DELIMITER:
        raise FrontMatterError(
            "front-matter", 1, "an alert starts with a line '---', then its front matter"
        )
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in _CLOSERS), None)
    if closing is None:
        raise FrontMatterError(
            "front-matter", 1, "the front matter has no closing '---' line before the text"
        )
    node, data = _load("\n".join(lines[1:closing]))
    return FrontMatter(data, node, "\n".join(lines[closing + 1 :]), closing + 2)


def _load(source: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node and data; :class:`FrontMatterError` for bad YAML or a key given twice."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            if "&" in source:  # perhaps an anchor, so aliases: PyYAML shares their data
                raise _UnusualNodeError
            duplicates: list[yaml.Node] = []
            data = _construct(node, duplicates)
        except _UnusualNodeError:
            data = loader.construct_document(node)
            _check_duplicate_keys(node)
        else:
            if duplicates:
                raise _duplicate_key_error(duplicates[0])
    except yaml.MarkedYAMLError as error:
        mark = error.context_mark or error.problem_mark  # where the construct began
        line = _yaml_line_of_mark(mark) if mark else 1
        raise FrontMatterError("yaml", line, f"YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise FrontMatterError("yaml", 1, f"YAML: {error}") from None
    except RecursionError:  # was a crash of the whole check
        message = "YAML: nested too deeply, or an alias (*name) inside what it names"
        raise FrontMatterError("yaml", 1, message) from None
    finally:
        loader.dispose()
    return node, data


def _construct(node: yaml.Node, duplicates: list[yaml.Node]) -> Any:
    """The data PyYAML's safe constructor gives for plain text, lists and mappings.

    Front matter is nothing else; building it directly is several times quicker than
    the general constructor. Keys given twice are added to ``duplicates`` in the order
    :func:`_check_duplicate_keys` finds them. Anything else (an explicit tag, a key
    that is not text) raises :class:`_UnusualNodeError`, for PyYAML to construct; so
    does YAML with an anchor (``&``), before this is called: an alias's node appears
    twice in the tree, and may even contain itself.
    """
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR_TAG:
            return node.value
        if tag == _NULL_TAG:
            return None
    elif kind is yaml.SequenceNode and tag == _SEQ_TAG:
        return [_construct(item, duplicates) for item in node.value]
    elif kind is yaml.MappingNode and tag == _MAP_TAG:
        mapping: dict[Any, Any] = {}
        keys: set[str] = set()
        for key, value in node.value:
            if type(key) is not yaml.ScalarNode or key.tag not in (_STR_TAG, _NULL_TAG):
                raise _UnusualNodeError
            if key.value in keys:
                duplicates.append(key)
            keys.add(key.value)
            mapping[_construct(key, duplicates)] = _construct(value, duplicates)
        return mapping
    raise _UnusualNodeError


def _check_duplicate_keys(node: yaml.Node | None) -> None:
    """PyYAML keeps the last of two equal keys silently; an alert must not hide one."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise _duplicate_key_error(key)
                seen.add(key.value)
            _check_duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item)


def _duplicate_key_error(key: yaml.Node) -> FrontMatterError:
    return FrontMatterError("duplicate-key", _yaml_line(key), f"{key.value} is given twice")


def _yaml_line(node: yaml.Node) -> int:
    return _yaml_line_of_mark(node.start_mark)


def _yaml_line_of_mark(mark: yaml.Mark) -> int:
    return mark.line + 2  # 0-based within the YAML, which starts on the file's line 2
