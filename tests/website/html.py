"""A tiny HTML reader for the tests: every tag with its attributes, and the visible text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar


@dataclass
class Tag:
    name: str
    attrs: dict[str, str | None]
    depth: int
    text: list[str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class _Reader(HTMLParser):
    VOID: ClassVar[set[str]] = {
        "meta",
        "link",
        "input",
        "br",
        "img",
        "hr",
        "source",
        "area",
        "base",
        "col",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.text: list[str] = []
        self.open: list[Tag] = []

    def handle_starttag(self, tag, attrs):
        element = Tag(tag, dict(attrs), len(self.open))
        self.tags.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop().name == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        for element in self.open:
            element.text.append(data)


@dataclass
class Document:
    tags: list[Tag]
    text: str

    def find(self, tag: str, **attrs: str) -> list[Tag]:
        """Tags named ``tag`` with these attribute values (``class_``, ``for_`` for keywords)."""
        return [
            t
            for t in self.tags
            if t.name == tag and all(t.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> Tag:
        (tag,) = [t for t in self.tags if t.get("id") == element_id]
        return tag


def parse(html: str) -> Document:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Document(reader.tags, " ".join(reader.text))
