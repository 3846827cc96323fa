"""What the reader could not place and where it had to guess, in the uploaded file's lines."""

from __future__ import annotations

from .results import Guess, Unplaced


class Findings:
    """Collects fragments by the index of their line in the structure; reports them by the
    number of the line in the uploaded file (``origin``, 1-based, one entry per line)."""

    def __init__(self, origin: list[int]):
        self.origin = origin
        self.unplaced: list[Unplaced] = []
        self.guesses: list[Guess] = []

    def line(self, index: int) -> int:
        if 0 <= index < len(self.origin):
            return self.origin[index]
        return index + 1

    def unplaced_at(self, index: int, text: str) -> None:
        self.unplaced.append(Unplaced(self.line(index), text))

    def guess_at(self, index: int, text: str, what: str) -> None:
        self.guesses.append(Guess(self.line(index), excerpt(text), what))


def excerpt(text: str, length: int = 160) -> str:
    """The start of a fragment a guess is about; its line number leads to the rest."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
