"""The shapes of lines in a briefing's structure, shared by the section readers."""

from __future__ import annotations

import re

from .inline import clean

HEADLINE = re.compile(r"^\s*([1-5])\.\s+(\S.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
BULLET = re.compile(r"^(\s*)[-•*‣◦▪–]\s+(\S.*)$")
# A label may be in bold ("**Date:**", "**Date**:"); emphasis in the value stays.
_LABEL = re.compile(
    r"^\s*(\**)\s*(at a glance|merics comment|policy name|article name|article|document"
    r"|issuing bod(?:y|ies)|issued by|date)\s*(?:\1)?\s*(?::\s*(?:\1)?\s*(.*)|$)",
    re.I,
)
# A web page may set these two as headings, without the colon.
_ALONE = {"at a glance", "merics comment"}
EXPLAINER = re.compile(r"^\s*(explainer|box|background)\s*:\s*\S", re.I)
TERMINAL = re.compile(r"[.!?:;,…)\]\"”’']\s*$")

NOTEWORTHY = re.compile(r"^\s*(worth\s+noting|noteworthy)\s*:?\s*$", re.I)
SUBSECTION = re.compile(r"^\s*(policy|corporate)\s+news\s*:?\s*$", re.I)
_CREDIT_WORDS = (
    r"authors?|author\(s\)|written by|with support from|contributors?|editorial staff"
    r"|editors?|editor\(s\)|edited by"
)
CREDIT_HEAD = re.compile(rf"^\s*({_CREDIT_WORDS})\s*:?\s*$", re.I)
CREDIT_HEAD_INLINE = re.compile(rf"^\s*({_CREDIT_WORDS})\s*:\s*(\S.*)$", re.I)
_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^merics\s+briefs$",
        r"^merics\s+china\s+industries(\s+briefing)?$",
        r"^\d+\s+min(ute)?s?\s+read$",
        r"^merics[’']?s?\s+top\s*5:?$",
        r"^contents$",
        r"^merics\s*\|\s*mercator institute for china studies$",
        r"^for more information",
        r"^\S+@\S+$",
        r"^(tel|phone|mail|e-mail|fax)\.?:",
        r"^(www\.)?merics\.(org|de)/?$",
        r"^(©|\(c\)\s|copyright\b)",
        r"^all rights reserved\.?$",
    )
]


def contents_leader(line: str) -> int | None:
    """Where the dot leader or tab and page number that end a contents entry start
    ("Policy news.....	7"); None when the line does not end like one."""
    end = len(line)
    while end and line[end - 1].isspace():
        end -= 1
    digits = end
    while digits and line[digits - 1].isdigit():
        digits -= 1
    space = digits
    while space and line[space - 1].isspace():
        space -= 1
    if line[max(0, space - 2) : space] == "..":
        start = space - 2
        while start and line[start - 1] == ".":
            start -= 1
        return start
    tab = line.find("\t", space)
    return tab if tab >= 0 else None


def is_boilerplate(text: str) -> bool:
    text = text.strip()
    return any(p.search(text) for p in _BOILERPLATE)


def norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", clean(text).rstrip(". \t")).casefold()


def starts_lower(text: str) -> bool:
    text = text.lstrip()
    return bool(text) and text[0].islower()


def ends_open(text: str) -> bool:
    """True when a paragraph ends without terminal punctuation (a page break may follow)."""
    return not TERMINAL.search(text)


def match_label(line: str) -> tuple[str, str] | None:
    """("policy name", "Plan (规划) (Link)") for "Policy name: Plan (规划) (Link)"."""
    m = _LABEL.match(line)
    if not m:
        return None
    key = re.sub(r"\s+", " ", m.group(2).lower())
    if m.group(3) is None and key not in _ALONE:
        return None
    return key, m.group(3) or ""


def is_glance(line: str) -> bool:
    label = match_label(line)
    return label is not None and label[0] == "at a glance"


def is_label(line: str) -> bool:
    return match_label(line) is not None


def heading_like(text: str) -> bool:
    text = clean(text)
    if not text or is_label(text) or HEADLINE.match(text) or BULLET.match(text):
        return False
    if EXPLAINER.match(text):
        return True
    if TERMINAL.search(text) and not text.endswith(("?", "!")):
        return False
    return text[0].isupper() and len(text.split()) <= 16 and len(text) <= 140


def has_body_after(lines: list[str], i: int, end: int) -> bool:
    """A heading is followed by a paragraph or a list (not a label or the end)."""
    for j in range(i + 1, min(end, i + 6)):
        nxt = lines[j]
        if not nxt.strip():
            continue
        return not is_label(nxt) and not heading_like(nxt)
    return False
