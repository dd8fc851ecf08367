"""Directories of YAML files kept by staff in git (partners, local support projects):
which files to read, and each read as a mapping with the line of every key, so a check
can say ``path:line: message`` as ``alerts check`` does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class YamlMapping:
    data: dict[str, Any]
    lines: dict[str, int]  # the 1-based line of each top-level key


@dataclass(frozen=True)
class FileProblem:
    """One problem a check found in one file, printed ``path:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class YamlFileError(Exception):
    """A file that is not a readable YAML mapping, and the line that says so."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def yaml_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Each file named, and the ``*.yaml`` files of each directory named, in order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.yaml"))
        else:
            yield path


def read_mapping(path: Path, what: str) -> YamlMapping:
    """``path`` as a mapping; :class:`YamlFileError` with the line when it is not one
    (``what`` names the kind of file in the message: "a partner file")."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as error:
        raise YamlFileError(1, f"cannot be read: {error}") from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise YamlFileError(line, f"YAML: {error.problem}") from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise YamlFileError(1, f"{what} is a mapping of keys to values")
    return YamlMapping(data, {key.value: key.start_mark.line + 1 for key, _ in node.value})
