"""The sections of a briefing: preamble, Top 5, noteworthy and credits, found in its lines."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .dates import make_date, parse_date
from .findings import Findings
from .inline import clean
from .patterns import (
    CREDIT_HEAD,
    CREDIT_HEAD_INLINE,
    HEADLINE,
    NOTEWORTHY,
    contents_leader,
    is_boilerplate,
    is_glance,
    norm_key,
)
from .results import NotABriefing

_ID_LINE = re.compile(r"^[^\n]{0,200}_(\d{6})\s*$")


@dataclass
class Sections:
    """Line indexes: ``stories`` holds (index, number, headline) of each story's headline;
    the Top 5 ends at ``story_stop``."""

    contents: set[int]
    contents_titles: dict[str, str]
    stories: list[tuple[int, int, str]]
    story_stop: int
    noteworthy_at: int | None
    credits_at: int | None


@dataclass
class Preamble:
    publication_date: datetime.date | None = None
    hero_caption: str = ""
    # Lines before the first story that are neither a date, a caption nor boilerplate.
    leftovers: list[tuple[int, str]] = field(default_factory=list)


def _contents_block(lines: list[str]) -> set[int]:
    """Indexes of the CONTENTS table lines (the heading up to the first blank after entries)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if line.strip().casefold() == "contents":
            found.add(i)
            seen_entry = gap = False
            for j in range(i + 1, len(lines)):
                if not lines[j].strip():
                    gap = seen_entry
                    continue
                # Entries end with a page number, a tab or a dot leader; an export that
                # lost those keeps the entries together without blank lines.
                if gap and contents_leader(lines[j]) is None:
                    break
                seen_entry = True
                found.add(j)
            break
    for i, line in enumerate(lines):
        if HEADLINE.match(line) and contents_leader(line) is not None:
            found.add(i)
    return found


def _contents_titles(lines: list[str], block: set[int]) -> dict[str, str]:
    titles = {}
    for i in sorted(block):
        leader = contents_leader(lines[i])
        text = lines[i] if leader is None else lines[i][:leader]
        m = HEADLINE.match(text)
        text = clean(m.group(2) if m else text).rstrip(". ")
        if text:
            titles[norm_key(text)] = text
    return titles


def _find_stories(lines: list[str], skip: set[int], stop: int) -> list[tuple[int, int, str]]:
    """(line index, number, headline) of the story headlines."""
    candidates = [
        (i, int(m.group(1)), m.group(2))
        for i, line in enumerate(lines[:stop])
        if i not in skip and (m := HEADLINE.match(line))
    ]
    stories: list[tuple[int, int, str]] = []
    for k, (i, number, headline) in enumerate(candidates):
        if stories and number <= stories[-1][1]:
            continue
        nxt = candidates[k + 1][0] if k + 1 < len(candidates) else stop
        if any(is_glance(x) for x in lines[i + 1 : nxt]):
            stories.append((i, number, headline))
    return stories


def locate(lines: list[str]) -> Sections:
    """Where each section starts; NotABriefing when there is no Top 5."""
    contents = _contents_block(lines)
    titles = _contents_titles(lines, contents)

    def is_at(i: int, pattern: re.Pattern) -> bool:
        return i not in contents and bool(pattern.match(lines[i]))

    noteworthy_at = next((i for i in range(len(lines)) if is_at(i, NOTEWORTHY)), None)
    # Credits follow the noteworthy section or, without one, the last "At a glance".
    credits_from = noteworthy_at
    if credits_from is None:
        credits_from = next(
            (i for i in range(len(lines) - 1, -1, -1) if is_glance(lines[i])), len(lines)
        )
    credits_at = next(
        (
            i
            for i in range(credits_from, len(lines))
            if is_at(i, CREDIT_HEAD) or is_at(i, CREDIT_HEAD_INLINE)
        ),
        None,
    )
    story_stop = min(x for x in (noteworthy_at, credits_at, len(lines)) if x is not None)
    stories = _find_stories(lines, contents, story_stop)
    if not stories:
        raise NotABriefing(
            "No “MERICS Top 5” found: the file has no numbered story with an “At a glance” "
            "paragraph, so it does not look like a China Industries briefing."
        )
    return Sections(contents, titles, stories, story_stop, noteworthy_at, credits_at)


def read_preamble(lines: list[str], sections: Sections, findings: Findings) -> Preamble:
    """Caption, publication date and the candidates for the topic line."""
    first_story = sections.stories[0][0]
    preamble = Preamble()
    briefs_at = next(
        (i for i in range(first_story) if clean(lines[i]).casefold() == "merics briefs"), None
    )
    for i in range(first_story):
        line = clean(lines[i])
        if not line or i in sections.contents:
            continue
        if m := _ID_LINE.match(line):
            d = m.group(1)
            date = make_date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
            if date is not None:
                preamble.publication_date = date
                findings.guess_at(i, line, f"publication date read from the code “{d}”")
                continue
        if (d := parse_date(line)) is not None:
            if preamble.publication_date is None:
                preamble.publication_date = d
            elif d != preamble.publication_date:
                findings.unplaced_at(i, line)  # a second date: which one is it?
            continue
        if is_boilerplate(line):
            continue
        if briefs_at is not None and i < briefs_at and not preamble.hero_caption:
            preamble.hero_caption = line
            findings.guess_at(i, line, "read as the caption of the cover image")
            continue
        preamble.leftovers.append((i, line))
    return preamble


def choose_title(
    leftovers: list[tuple[int, str]],
    headings: dict[int, int],
    credit_names: set[str],
    findings: Findings,
) -> str:
    """The topic line: the most prominent heading before the stories or, in plain text, the
    first line there. The rest is reported as unplaced; a cover byline of the credited
    people ("ALEXANDER BROWN, GREGOR SEBASTIAN") is left out."""
    candidates = []
    for i, line in leftovers:
        names = [n.strip().casefold() for n in line.split(",")]
        if credit_names and all(n in credit_names for n in names):
            continue
        candidates.append((i, line))
    titled = [(headings[i], i) for i, line in candidates if i in headings]
    chosen = None
    if titled:
        chosen = min(titled)[1]
    else:
        chosen = next((i for i, line in candidates if not HEADLINE.match(line)), None)
        if chosen is not None and len(candidates) > 1:
            line = dict(candidates)[chosen]
            findings.guess_at(chosen, line, "read as the topic line (the first line)")
    title = ""
    for i, line in candidates:
        if i == chosen:
            title = line
        else:
            findings.unplaced_at(i, line)
    return title
