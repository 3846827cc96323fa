"""How the briefing parser's time grows with hostile input.

Each input is parsed at two sizes, n and 4n. A parser that is linear in its input takes about
four times as long on the larger one; a quadratic one takes about sixteen times. The script
prints both times and their ratio and exits with status 1 when a ratio passes 8 or an input of
the larger size takes more than 5 seconds.

Run: .venv/bin/python bench/parse_hostile.py
"""

import contextlib
import os
import random
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from apps.briefings.importer.parse import NotABriefing, parse_briefing  # noqa: E402

SMALL = (
    "## Topic\n\n**MERICS Briefs** x\n\n1. A story\n\nAt a glance: Something.\n\n- b\n\n"
    "MERICS comment: A comment.\n\nPolicy name: A (中) (Link)\nIssuing body: MIIT\n"
    "Date: March 3, 2024\n\nNoteworthy\n\nPolicy news\n\n- March 1: x (MIIT notice (CN))\n\n"
    "Authors\n\nJane Doe, Analyst\n"
)
SEED = ROOT / "tests" / "data" / "seeds" / "003_58a481ad6d8988ec.txt"
RANDOM = random.Random(7)
BRIEFING_HTML = ROOT / "tests" / "data" / "briefings" / "2024-05_robots.html"


def padded_html(n):
    text = BRIEFING_HTML.read_text(encoding="utf-8")
    at = text.index("<h2>Noteworthy</h2>")
    padding = '<div class="x"><p>Text with <a href="https://a.example/b">a link</a>.</p></div>\n'
    return text[:at] + padding * n + text[at:]


def deep_inline(n):
    text = SMALL.replace("Something.", "<b><i>" * n + "x" + "</i></b>" * n)
    return "<html><body>" + text.replace("\n", "<br>") + "</body></html>"


# Each input as a function of its size n, with the n of the smaller run.
INPUTS = {
    "a briefing padded with HTML": (padded_html, 2_500),
    "2 MB of <div>": (lambda n: "<div>" * n, 100_000),
    "<": (lambda n: "<" * n, 25_000),
    "<!--": (lambda n: "<!--" * n, 25_000),
    "<a href='": (lambda n: "<a href='" * n, 5_000),
    "<ul><li>": (lambda n: "<ul><li>" * n, 25_000),
    "<h1>x</h1>": (lambda n: "<h1>x</h1>" * n, 25_000),
    "<header> then headings": (lambda n: "<header>" * n + "<h1>x</h1>" * (n // 2), 25_000),
    "**": (lambda n: "**" * n, 50_000),
    "[ then ](": (lambda n: "[" * n + "](" * n, 25_000),
    "---": (lambda n: "---\n" * n, 25_000),
    "character references": (lambda n: "&#99999999;&#x110000;&bogus;" * n, 2_500),
    "</a ": (lambda n: "</a " * n, 25_000),
    "<?": (lambda n: "<?" * n, 25_000),
    "one long paragraph": (lambda n: "<p>" + "x" * n + "</p>", 250_000),
    "comment of [": (lambda n: SMALL.replace("A comment.", "[" * n), 75_000),
    "comment of [x](": (lambda n: SMALL.replace("A comment.", "[x](" * n), 25_000),
    "title of (http://a": (lambda n: SMALL.replace("A (中) (Link)", "(http://a" * n), 7_500),
    "agencies of (via": (lambda n: SMALL.replace("MIIT\n", "MIIT " + "(via " * n + "\n"), 12_500),
    "many short lines": (lambda n: SMALL.replace("- b", "- b" + "\nc" * n), 37_500),
    "a list in a comment": (
        lambda n: SMALL.replace("A comment.", "A comment.\n" + "1. x\n" * n),
        15_000,
    ),
    "em spaces in a name": (
        lambda n: SMALL.replace("Jane Doe, Analyst", "Jane Doe" + "\u2003" * n + "MERICS"),
        75_000,
    ),
    "deep inline markup": (deep_inline, 12_500),
    "a seed briefing repeated": (lambda n: (SEED.read_text(encoding="utf-8") + "\n") * n, 20),
    "printable noise": (lambda n: "".join(RANDOM.choices(string.printable, k=n)), 500_000),
    "letters and list marks": (
        lambda n: "".join(RANDOM.choices(string.ascii_letters + " \n.:1-", k=n)),
        125_000,
    ),
}


def seconds(text):
    started = time.perf_counter()
    with contextlib.suppress(NotABriefing):
        parse_briefing(text)
    return time.perf_counter() - started


def main():
    failed = False
    print(f"{'input':32} {'n s':>8} {'4n s':>8} {'4n/n':>6}")
    for name, (make, n) in INPUTS.items():
        small, large = make(n), make(4 * n)
        small_s = min(seconds(small) for _ in range(3))
        large_s = min(seconds(large) for _ in range(3))
        ratio = large_s / small_s if small_s else 0.0
        flag = ""
        if ratio > 8 or large_s > 5:
            failed = True
            flag = "  <- grows faster than its input"
        print(f"{name:32} {small_s:8.3f} {large_s:8.3f} {ratio:6.1f}{flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
