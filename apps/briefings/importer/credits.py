"""The credits: authors, contributors and editors, each with the title printed for them.

A credit is printed as "Name" then "Title, MERICS" on the next line(s), as
"Name, Title[, MERICS]" on one line, or as a name alone. A line that reads as a person's name
always starts a new credit: it never becomes the title of the person before.
"""

from __future__ import annotations

import re

from .findings import Findings
from .inline import MD_LINK, clean
from .patterns import CREDIT_HEAD, CREDIT_HEAD_INLINE, is_boilerplate, starts_lower
from .results import ParsedCredit

TITLE_WORDS = {
    "adviser",
    "advisor",
    "analyst",
    "assistant",
    "associate",
    "chair",
    "chief",
    "consultant",
    "coordinator",
    "correspondent",
    "deputy",
    "designer",
    "director",
    "economist",
    "editor",
    "executive",
    "expert",
    "fellow",
    "founder",
    "head",
    "intern",
    "journalist",
    "junior",
    "lead",
    "lecturer",
    "manager",
    "managing",
    "member",
    "officer",
    "president",
    "producer",
    "professor",
    "program",
    "programme",
    "research",
    "researcher",
    "scholar",
    "scientist",
    "secretary",
    "senior",
    "specialist",
    "staff",
    "strategist",
    "student",
    "team",
    "trainee",
    "vice",
    "visiting",
    "writer",
}
# Lower-case words that belong to names ("Ursula von der Leyen").
_NAME_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "ter", "bin"}
_ORGANISATION = re.compile(r"^(.*?)(?:,\s*|\s+|\s*\(\s*)MERICS\s*\)?\.?$")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÞĀ-ſ][\w'’.-]*$")
_EMPHASIS = re.compile(r"\*+|__")
_CHINESE_NAME = re.compile(r"^[\u3400-\u9fff]{2,5}$")


def _words(text: str) -> list[str]:
    return [w.strip(".,;:()") for w in text.split()]


def _has_title_word(text: str) -> bool:
    return any(w.lower() in TITLE_WORDS for w in _words(text))


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words (particles allowed), none of them a title word; or a
    name in Chinese characters."""
    if _CHINESE_NAME.match(text):
        return True
    words = text.split()
    if not 2 <= len(words) <= 5 or _has_title_word(text) or any(c.isdigit() for c in text):
        return False
    return all(_NAME_WORD.match(w) or w in _NAME_PARTICLES for w in words)


def looks_like_title(text: str) -> bool:
    return (
        _has_title_word(text)
        or starts_lower(text)
        or (len(text.split()) == 1 and not looks_like_name(text))
    )


def _looks_like_sentence(text: str) -> bool:
    words = text.split()
    return len(words) >= 8 or (len(words) >= 4 and text.rstrip().endswith((".", "!", "?")))


def _role(word: str) -> str:
    word = word.lower()
    if word.startswith(("author", "written")):
        return "author"
    if word.startswith(("with support", "contributor")):
        return "contributor"
    return "editor"


def parse_credits(
    lines: list[str], start: int, end: int, findings: Findings
) -> tuple[list[ParsedCredit], int]:
    """Credits blocks from ``start``; returns the credits and the index where they end."""
    credits: list[ParsedCredit] = []
    role: str | None = None
    name: str | None = None
    title_parts: list[str] = []

    def flush() -> None:
        nonlocal name, title_parts
        if name and role:
            credits.append(ParsedCredit(role=role, name=name, role_title=" ".join(title_parts)))
        name, title_parts = None, []

    def credit(person: str, title: str = "") -> None:
        flush()
        if role:
            credits.append(ParsedCredit(role=role, name=person, role_title=title))

    i = start
    while i < end:
        # Names and titles are plain text: a name linked to a profile page keeps its text.
        text = " ".join(_EMPHASIS.sub("", MD_LINK.sub(r"\1", clean(lines[i]))).split())
        if not text:
            i += 1
            continue
        head = CREDIT_HEAD.match(text)
        if head:
            flush()
            role = _role(head.group(1))
            i += 1
            continue
        inline_head = CREDIT_HEAD_INLINE.match(text)
        if inline_head:
            flush()
            role = _role(inline_head.group(1))
            text = inline_head.group(2).strip()
        elif (
            role is None
            or is_boilerplate(text)
            or text.casefold() == "publisher"
            or "@" in text
            or (_looks_like_sentence(text) and not _has_title_word(text))
        ):
            break

        org = _ORGANISATION.match(text)
        body = org.group(1).strip(" ,") if org else text
        parts = [p.strip() for p in body.split(",") if p.strip()]
        if org and not parts:
            i += 1  # "MERICS" alone
            continue
        if len(parts) > 1 and not (name is not None and looks_like_title(parts[0])):
            if all(looks_like_name(p) for p in parts):
                for person in parts:
                    credit(person)
                findings.guess_at(i, text, "names separated by commas read as separate people")
            else:
                credit(parts[0], ", ".join(parts[1:]))
                findings.guess_at(i, text, "role title read after the comma")
        elif name is not None and (looks_like_title(body) or (org and not looks_like_name(body))):
            title_parts.append(body)
            if org:
                flush()
        elif org:
            words = body.split()
            cut = next((k for k, w in enumerate(words) if w.lower() in TITLE_WORDS), None)
            if cut == 0 or (cut is None and starts_lower(body)):
                findings.unplaced_at(i, text)  # a title, but whose?
            elif cut is None and looks_like_name(body):
                credit(body)
            else:
                if cut is None:
                    cut = 2 if len(words) > 2 else len(words)
                person, title = " ".join(words[:cut]), " ".join(words[cut:])
                credit(person, title)
                if title:
                    findings.guess_at(i, text, f"name and role title split before “{words[cut]}”")
        elif name is None and looks_like_title(body) and not looks_like_name(body):
            findings.unplaced_at(i, text)
        else:
            flush()
            name = body
        i += 1
    flush()
    return credits, i


def read_credits(lines: list[str], start: int, findings: Findings) -> list[ParsedCredit]:
    """The credits from ``start`` and, after them, the publisher's boilerplate; any other
    line there is unplaced."""
    credits, stop = parse_credits(lines, start, len(lines), findings)
    publisher = False
    for i in range(stop, len(lines)):
        line = clean(lines[i])
        if not line:
            continue
        if line.casefold() == "publisher":
            publisher = True
        if publisher or is_boilerplate(line) or "@" in line:
            continue
        findings.unplaced_at(i, line)
    return credits
