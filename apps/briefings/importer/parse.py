"""Read an exported *MERICS China Industries* briefing: plain text, Markdown or a saved web
page.

The reading goes in stages, each a module of this package:

1. ``encoding``: the uploaded bytes to text (:func:`decode`);
2. ``markup``: Markdown and HTML to the line structure plain text already has (headings and
   paragraphs as lines, list items as ``- …`` lines, links as ``[text](url)``, page chrome
   left out), each line remembering where it starts in the file;
3. ``sections``: the preamble, the Top 5, the noteworthy section and the credits;
4. ``stories``, ``noteworthy`` and ``credits``: the content of each section.

The parser is a tolerant reader of the briefing's structure, not a set of special cases per
file. It never touches the database: :func:`parse_briefing` returns plain dataclasses that
the importer saves, with what it could not place (``unplaced``) and where it had to guess
(``guesses``), both by line of the uploaded file.
"""

from __future__ import annotations

import datetime

from .credits import read_credits
from .dates import first_working_day_after_month, parse_date
from .encoding import decode
from .findings import Findings, excerpt
from .inline import clean
from .markup import to_lines
from .noteworthy import date_items, parse_noteworthy, split_sources
from .results import (
    Guess,
    NotABriefing,
    ParsedBriefing,
    ParsedCredit,
    ParsedDocument,
    ParsedItem,
    ParsedSource,
    ParsedStory,
    Unplaced,
)
from .sections import choose_title, locate, read_preamble
from .stories import read_stories, split_title

__all__ = [
    "MAX_CHARS",
    "Guess",
    "NotABriefing",
    "ParsedBriefing",
    "ParsedCredit",
    "ParsedDocument",
    "ParsedItem",
    "ParsedSource",
    "ParsedStory",
    "Unplaced",
    "clean",
    "decode",
    "first_working_day_after_month",
    "parse_briefing",
    "parse_date",
    "split_sources",
    "split_title",
]

MAX_CHARS = 2 * 1024 * 1024
FAILED = (
    "The file could not be read as a briefing: its layout confused the importer. "
    "Try the plain-text export of the briefing."
)


def parse_briefing(text: str) -> ParsedBriefing:
    """Parse the text of one exported briefing (plain text, Markdown or HTML).

    Raises NotABriefing, with a message for the editor, and no other exception.
    """
    if not isinstance(text, str) or not text.strip():
        raise NotABriefing("The file is empty.")
    if len(text) > MAX_CHARS:
        raise NotABriefing("The file is too large to be a briefing (more than 2 MB of text).")
    try:
        return _parse(text)
    except NotABriefing:
        raise
    except Exception as error:
        # An upload must end in a message, not a server error; the cause stays chained.
        raise NotABriefing(FAILED) from error


def _estimated_publication_date(
    stories: list[ParsedStory], items: list[ParsedItem], findings: Findings
) -> datetime.date | None:
    """The first working day of the month after the newest dated item or document."""
    dated = [(item.date, item.line, item.text) for item in items] + [
        (story.document.date, story.line, story.headline)
        for story in stories
        if story.document and story.document.date
    ]
    if not dated:
        return None
    newest, line, text = max(dated)
    estimate = first_working_day_after_month(newest)
    findings.guesses.append(
        Guess(
            line,
            excerpt(text),
            f"publication date estimated as {estimate.isoformat()}: the first working day "
            f"after the newest date, {newest.isoformat()}",
        )
    )
    return estimate


def _parse(text: str) -> ParsedBriefing:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    structure = to_lines(text)
    lines = structure.lines
    if not any(line.strip() for line in lines):
        if structure.kind == "text":
            raise NotABriefing("The file is empty.")
        raise NotABriefing(
            f"The {structure.kind} file holds no briefing text, only markup (scripts, "
            "styles, navigation or other page chrome)."
        )
    findings = Findings(structure.origin)
    sections = locate(lines)
    preamble = read_preamble(lines, sections, findings)

    stories = read_stories(lines, sections, findings)
    raw_items = []
    if sections.noteworthy_at is not None:
        note_end = sections.credits_at if sections.credits_at is not None else len(lines)
        raw_items = parse_noteworthy(lines, sections.noteworthy_at + 1, note_end, findings)
    credits: list[ParsedCredit] = []
    if sections.credits_at is not None:
        credits = read_credits(lines, sections.credits_at, findings)
    title = choose_title(
        preamble.leftovers,
        structure.headings,
        {c.name.casefold() for c in credits},
        findings,
    )

    # Item years come from the publication date; without one, from the newest document.
    publication_date = preamble.publication_date
    doc_dates = [s.document.date for s in stories if s.document and s.document.date]
    if publication_date is not None:
        reference, reference_name = publication_date, "publication date"
    elif doc_dates:
        reference, reference_name = max(doc_dates), "newest document's date"
    else:
        reference, reference_name = None, ""
    items = date_items(raw_items, reference, reference_name, findings)

    date_estimated = False
    if publication_date is None:
        publication_date = _estimated_publication_date(stories, items, findings)
        date_estimated = publication_date is not None

    findings.unplaced.sort(key=lambda u: u.line)
    findings.guesses.sort(key=lambda g: g.line)
    return ParsedBriefing(
        title=title,
        publication_date=publication_date,
        date_estimated=date_estimated,
        hero_caption=preamble.hero_caption,
        stories=stories,
        items=items,
        credits=credits,
        unplaced=findings.unplaced,
        guesses=findings.guesses,
    )
