"""Source lines of noteworthy items, as printed: “MIIT notice (CN); Reuters article (EN)”.

Editors type one source per line (or several separated by “; ”): a label, an optional
language in parentheses and an optional address, e.g. `MIIT notice (CN) https://…`.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

LANGUAGES = {"cn": "CN", "en": "EN", "other": "other"}

_SOURCE = re.compile(
    r"^(?P<label>.*?)\s*(?:\((?P<language>CN|EN|other)\))?\s*(?P<url>\S+://\S*)?$",
    re.IGNORECASE,
)
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Source:
    label: str
    language: str = ""
    url: str = ""

    def __str__(self) -> str:
        text = f"{self.label} ({self.language})" if self.language else self.label
        return f"{text} {self.url}" if self.url else text


def parse_sources(text: str) -> list[Source]:
    """Sources from an editor's text; raises ValidationError naming each bad line."""
    sources, errors = [], []
    pieces = [
        (number, piece.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        for piece in line.split("; ")
        if piece.strip()
    ]
    for number, piece in pieces:
        match = _SOURCE.match(piece)
        label = match["label"].strip() if match else ""
        if not label:
            errors.append(f"Line {number}: “{piece}” needs a label, e.g. “MIIT notice (CN)”.")
            continue
        url = match["url"] or ""
        if url:
            try:
                _validate_url(url)
            except ValidationError:
                errors.append(f"Line {number}: “{url}” is not a valid web address.")
                continue
        if len(label) > 200:
            errors.append(f"Line {number}: the label is longer than 200 characters.")
            continue
        language = LANGUAGES.get((match["language"] or "").lower(), "")
        sources.append(Source(label, language, url))
    if errors:
        raise ValidationError(errors)
    return sources


def format_sources(sources) -> str:
    """The editable text of a list of sources (anything with label, language, url)."""
    return "\n".join(str(Source(s.label, s.language, s.url)) for s in sources)
