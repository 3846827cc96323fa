"""Text within a line: Chinese characters, links, and the cleanup every field gets."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\U00020000-\U0002ffff]")
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2FFFF
    )


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


# A link whose address the export lost ("#" or nothing) keeps only its text; a real
# address stays a Markdown link.
# Link texts hold no brackets, which keeps every pattern here linear in the line's length.
_LOST_LINK = re.compile(r"\[([^\[\]\n]*)\]\(#?\)")
# Any Markdown link; the address may hold one level of parentheses.
MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)")
URL = re.compile(r"https?://[^\s)\]<>\"]+")
_U_JOIN = re.compile(r"</u>\s*<u>", re.I)
_U_TAG = re.compile(r"</?u>", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
# OCR reads "AI" as "Al"; names that really are "Al …" are left alone.
_AL = re.compile(r"\bAl\b(?![ -](?:Jazeera|Arabiya|Gore|Qaeda|Capone))")


def clean(text: str) -> str:
    """Inline cleanup used for every field."""
    text = _LOST_LINK.sub(r"\1", text)
    text = _U_JOIN.sub(" ", text)
    text = _U_TAG.sub("", text)
    text = text.replace("\\(", "(").replace("\\)", ")")
    text = _AL.sub("AI", text)
    return _SPACES.sub(" ", text).strip()


def is_web_address(url: str) -> bool:
    return url.startswith(("http://", "https://")) and len(url) > len("https://")


def balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
