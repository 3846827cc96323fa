"""What the briefing parser returns: plain dataclasses, no database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class NotABriefing(ValueError):
    """A file that cannot be read as a briefing; str(error) is a clear message for an editor."""


@dataclass
class ParsedSource:
    label: str
    language: str
    # Empty when the export lost the address ("(Link)", "[text](#)"): never invented.
    url: str = ""


@dataclass
class ParsedDocument:
    label: str
    title_en: str
    title_zh: str
    url: str
    agencies: list[str]
    issuer_note: str
    date: datetime.date | None


@dataclass
class ParsedStory:
    position: int
    headline: str
    glance_intro: str
    glance_bullets: list[str]
    glance_outro: str
    comment: str
    box_title: str
    box_body: str
    document: ParsedDocument | None
    line: int


@dataclass
class ParsedItem:
    section: int
    date: datetime.date
    text: str
    sources: list[ParsedSource]
    line: int


@dataclass
class ParsedCredit:
    role: str
    name: str
    role_title: str


@dataclass
class Unplaced:
    """A fragment of the file that went nowhere; ``line`` is 1-based in the file as uploaded."""

    line: int
    text: str


@dataclass
class Guess:
    """A place where the parser had to assume something an editor should check.

    ``line`` is 1-based in the file as uploaded, ``text`` the fragment concerned and ``what``
    the assumption, e.g. "role title read after the comma".
    """

    line: int
    text: str
    what: str


@dataclass
class ParsedBriefing:
    title: str
    publication_date: datetime.date | None
    date_estimated: bool
    hero_caption: str
    stories: list[ParsedStory]
    items: list[ParsedItem]
    credits: list[ParsedCredit]
    unplaced: list[Unplaced] = field(default_factory=list)
    guesses: list[Guess] = field(default_factory=list)
