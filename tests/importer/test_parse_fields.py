"""Fields the briefing parser used to miss or misread: sources written as links, Chinese
titles inside English ones, credit lines, and the places where it has to guess.

No database.
"""

import dataclasses
import datetime
from pathlib import Path

import pytest

from apps.briefings.importer.parse import (
    Guess,
    ParsedBriefing,
    ParsedSource,
    decode,
    parse_briefing,
    split_sources,
    split_title,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"


def seed(name: str) -> ParsedBriefing:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return parse_briefing(decode(path.read_bytes()))


def briefing(
    *, document: str = "Policy name: A plan (一个计划) (Link)", items: str = "", credits: str = ""
) -> str:
    """A small plain-text briefing: one story, optional noteworthy items and credits."""
    return (
        "Topic line\n\n"
        "March 4, 2024\n\n"
        "1. A story\n\n"
        "At a glance: Something happened.\n\n"
        "- A bullet\n\n"
        "MERICS comment: A comment.\n\n"
        f"{document}\n"
        "Issuing body: MIIT\n"
        "Date: February 27, 2024\n\n"
        "Noteworthy\n\n"
        "Policy news\n\n"
        f"{items or '- March 1: Something else (MIIT notice (CN))'}\n\n"
        f"{credits}\n"
    )


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


# --------------------------------------------------------------------------- the API


def test_result_types():
    assert [f.name for f in dataclasses.fields(ParsedSource)] == ["label", "language", "url"]
    assert ParsedSource("MIIT notice", "CN").url == ""
    assert [f.name for f in dataclasses.fields(Guess)] == ["line", "text", "what"]
    assert [f.name for f in dataclasses.fields(ParsedBriefing)][-2:] == ["unplaced", "guesses"]


# --------------------------------------------------------------------------- sources


def labels(found: list[ParsedSource]) -> list[tuple[str, str, str]]:
    return [(s.label, s.language, s.url) for s in found]


def test_sources_written_as_links_keep_their_addresses():
    text, found = split_sources(
        "NDRC sets prices ([NDRC notice (CN)](https://www.ndrc.gov.cn/x.html); "
        "[Reuters article (EN)](https://reuters.com/y))"
    )
    assert text == "NDRC sets prices"
    assert labels(found) == [
        ("NDRC notice", "CN", "https://www.ndrc.gov.cn/x.html"),
        ("Reuters article", "EN", "https://reuters.com/y"),
    ]


def test_language_after_the_link_and_sources_without_links():
    text, found = split_sources(
        "MIIT acts ([MIIT notice](https://www.miit.gov.cn/a.html) (CN); Xinhua article (EN))"
    )
    assert text == "MIIT acts"
    assert labels(found) == [
        ("MIIT notice", "CN", "https://www.miit.gov.cn/a.html"),
        ("Xinhua article", "EN", ""),
    ]


def test_lost_addresses_are_never_invented():
    text, found = split_sources(
        "CAC acts ([CAC notice (CN)](#); [SCMP article (EN)](); [Blog post](www.example.org))"
    )
    assert text == "CAC acts"
    assert labels(found) == [
        ("CAC notice", "CN", ""),
        ("SCMP article", "EN", ""),
        ("Blog post", "", ""),
    ]


def test_links_in_the_item_text_stay_and_addresses_may_hold_parentheses():
    text, found = split_sources(
        "MIIT [announced](https://www.miit.gov.cn/a) new rules "
        "([Wikipedia article (EN)](https://en.wikipedia.org/wiki/MIIT_(China)))"
    )
    assert text == "MIIT [announced](https://www.miit.gov.cn/a) new rules"
    assert labels(found) == [
        ("Wikipedia article", "EN", "https://en.wikipedia.org/wiki/MIIT_(China)")
    ]


def test_unclosed_source_list_with_links():
    text, found = split_sources("NDRC acts ([NDRC notice (CN)](https://www.ndrc.gov.cn/x.html)")
    assert text == "NDRC acts"
    assert labels(found) == [("NDRC notice", "CN", "https://www.ndrc.gov.cn/x.html")]


def test_items_of_a_plain_text_briefing_keep_source_addresses():
    text = briefing(
        items="- March 1: NDRC sets prices ([NDRC notice (CN)](https://www.ndrc.gov.cn/x.html);"
        " [Reuters article (EN)](https://reuters.com/y))"
    )
    (item,) = parse_briefing(text).items
    assert item.text == "NDRC sets prices"
    assert labels(item.sources) == [
        ("NDRC notice", "CN", "https://www.ndrc.gov.cn/x.html"),
        ("Reuters article", "EN", "https://reuters.com/y"),
    ]


def test_html_sources_as_anchors():
    page = (
        "<!doctype html><html><body><main>"
        "<h3>1. A story</h3><p><strong>At a glance:</strong> Something happened.</p>"
        "<ul><li>A bullet</li></ul>"
        "<p><strong>Date:</strong> February 27, 2024</p>"
        "<h2>Noteworthy</h2><h4>Policy news</h4><ul>"
        '<li><strong>March 1:</strong> NDRC sets prices (<a href="https://www.ndrc.gov.cn/x.html">'
        'NDRC notice</a> (CN); <a href="https://reuters.com/y">Reuters article</a> (EN))</li>'
        "</ul></main></body></html>"
    )
    (item,) = parse_briefing(page).items
    assert item.text == "NDRC sets prices"
    assert labels(item.sources) == [
        ("NDRC notice", "CN", "https://www.ndrc.gov.cn/x.html"),
        ("Reuters article", "EN", "https://reuters.com/y"),
    ]


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Shanghai to build AI hub (上海打造人工智能高地) (https://example.gov.cn/a.html)",
            ("Shanghai to build AI hub", "上海打造人工智能高地", "https://example.gov.cn/a.html"),
        ),
        (
            "Shanghai to build AI hub （上海打造人工智能高地） (Link)",
            ("Shanghai to build AI hub", "上海打造人工智能高地", ""),
        ),
        (
            "Shanghai to build AI hub 《上海打造人工智能高地》 (Link)",
            ("Shanghai to build AI hub", "上海打造人工智能高地", ""),
        ),
        (
            "Shanghai to build AI hub / 上海打造人工智能高地",
            ("Shanghai to build AI hub", "上海打造人工智能高地", ""),
        ),
        (
            "[Shanghai to build AI hub (上海打造人工智能高地)](https://example.gov.cn/a.html)",
            ("Shanghai to build AI hub", "上海打造人工智能高地", "https://example.gov.cn/a.html"),
        ),
        (
            "[Shanghai to build AI hub](https://example.gov.cn/a.html) (上海打造人工智能高地)",
            ("Shanghai to build AI hub", "上海打造人工智能高地", "https://example.gov.cn/a.html"),
        ),
        (
            "上海打造人工智能高地 (Shanghai to build AI hub) (Link)",
            ("Shanghai to build AI hub", "上海打造人工智能高地", ""),
        ),
        (
            "Notice on Hukou (户口) reform (关于户口改革的通知) ([Link](#))",
            ("Notice on Hukou (户口) reform", "关于户口改革的通知", ""),
        ),
        (
            "Safety Requirements (Draft) 《电池安全要求（征求意见稿）》 (Link)",
            ("Safety Requirements (Draft)", "电池安全要求（征求意见稿）", ""),
        ),
        (
            'Plan on "AI+" (“人工智能+”行动方案) (原文)',
            ('Plan on "AI+"', "“人工智能+”行动方案", ""),
        ),
    ],
)
def test_split_title_separates_chinese_titles(raw, expected):
    assert split_title(raw) == expected


@pytest.mark.parametrize("label", ["Policy name", "Article", "Article name", "Document"])
def test_every_document_label_splits_the_chinese_title(label):
    text = briefing(
        document=f"{label}: Shanghai to build AI hub (上海打造人工智能高地) "
        "(https://www.shanghai.gov.cn/a.html)"
    )
    doc = parse_briefing(text).stories[0].document
    assert (doc.label, doc.title_en, doc.title_zh, doc.url) == (
        label,
        "Shanghai to build AI hub",
        "上海打造人工智能高地",
        "https://www.shanghai.gov.cn/a.html",
    )


def test_article_label_in_markdown_and_html():
    markdown = briefing(
        document="**Article:** Shanghai to build AI hub （上海打造人工智能高地） "
        "([Link](https://www.shanghai.gov.cn/a.html))\n\n## Notes"
    )
    doc = parse_briefing(markdown).stories[0].document
    assert (doc.label, doc.title_en, doc.title_zh, doc.url) == (
        "Article",
        "Shanghai to build AI hub",
        "上海打造人工智能高地",
        "https://www.shanghai.gov.cn/a.html",
    )
    page = (
        "<!doctype html><html><body><h3>1. A story</h3>"
        "<p><strong>At a glance:</strong> Something happened.</p><ul><li>A bullet</li></ul>"
        '<p><strong>Article:</strong> <a href="https://www.shanghai.gov.cn/a.html">Shanghai '
        "to build AI hub (上海打造人工智能高地)</a></p></body></html>"
    )
    doc = parse_briefing(page).stories[0].document
    assert (doc.label, doc.title_en, doc.title_zh, doc.url) == (
        "Article",
        "Shanghai to build AI hub",
        "上海打造人工智能高地",
        "https://www.shanghai.gov.cn/a.html",
    )


def test_seed_000_article_titles_hold_no_chinese():
    docs = [s.document for s in seed("000").stories]
    assert [d.label for d in docs] == ["Article"] * 5
    for doc in docs:
        assert doc.title_en and doc.title_zh
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in doc.title_en)
        assert "(" not in doc.title_en[-3:] and doc.url == ""
    assert docs[0].title_zh == "算力基础设施高质量发展行动计划"


# --------------------------------------------------------------------------- credits


def credits_of(block: str) -> list[tuple[str, str, str]]:
    return [
        (c.role, c.name, c.role_title) for c in parse_briefing(briefing(credits=block)).credits
    ]


def test_name_comma_role():
    assert credits_of("Authors\n\nRebecca Arcesati, Senior Analyst\nAlexander Brown, Analyst") == [
        ("author", "Rebecca Arcesati", "Senior Analyst"),
        ("author", "Alexander Brown", "Analyst"),
    ]


def test_name_comma_role_comma_organisation():
    assert credits_of("Authors\n\nRebecca Arcesati, Senior Analyst, MERICS") == [
        ("author", "Rebecca Arcesati", "Senior Analyst")
    ]


def test_name_then_role_on_the_next_line():
    block = "Authors\n\nRebecca Arcesati\nSenior Analyst\n\nAlexander Brown\nAnalyst, MERICS"
    assert credits_of(block) == [
        ("author", "Rebecca Arcesati", "Senior Analyst"),
        ("author", "Alexander Brown", "Analyst"),
    ]


def test_a_name_alone_followed_by_another_name_alone():
    assert credits_of("Authors\n\nRebecca Arcesati\nAlexander Brown\n\nEditors\n\nJane Roe") == [
        ("author", "Rebecca Arcesati", ""),
        ("author", "Alexander Brown", ""),
        ("editor", "Jane Roe", ""),
    ]


def test_the_next_author_is_never_a_role_title():
    block = "Authors\n\nRebecca Arcesati\nAlexander Brown, Analyst\nGregor Sebastian\nAnalyst"
    assert credits_of(block) == [
        ("author", "Rebecca Arcesati", ""),
        ("author", "Alexander Brown", "Analyst"),
        ("author", "Gregor Sebastian", "Analyst"),
    ]


def test_names_on_the_heading_line_and_linked_names():
    assert credits_of("Authors: Rebecca Arcesati, Alexander Brown") == [
        ("author", "Rebecca Arcesati", ""),
        ("author", "Alexander Brown", ""),
    ]
    block = (
        "Editors\n\n**Claudia Wessling**, Director Communications\n"
        "[Alexander Davey](https://merics.org/en/team/alexander-davey), Editor"
    )
    assert credits_of(block) == [
        ("editor", "Claudia Wessling", "Director Communications"),
        ("editor", "Alexander Davey", "Editor"),
    ]


def test_a_title_without_a_name_is_unplaced():
    text = briefing(credits="Authors\n\nSenior Analyst, MERICS\nRebecca Arcesati")
    b = parse_briefing(text)
    assert [(c.name, c.role_title) for c in b.credits] == [("Rebecca Arcesati", "")]
    assert [(u.line, u.text) for u in b.unplaced] == [
        (line_of(text, "Senior Analyst"), "Senior Analyst, MERICS")
    ]


def test_a_sentence_ends_the_credits_and_is_unplaced():
    text = briefing(credits="Authors\n\nJane Doe, Analyst\n\nThank you for reading this issue.")
    b = parse_briefing(text)
    assert [c.name for c in b.credits] == ["Jane Doe"]
    assert [u.text for u in b.unplaced] == ["Thank you for reading this issue."]


# --------------------------------------------------------------------------- guesses


def whats(b: ParsedBriefing) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for guess in b.guesses:
        found.setdefault(guess.line, []).append(guess.what)
    return found


def test_guesses_for_years_commas_and_boxes():
    text = briefing(
        items="- March 1: Something else (MIIT notice (CN))\n"
        "- December 30: Something older (SAMR notice (CN))",
        credits="Authors\n\nJane Doe, Senior Analyst",
    )
    b = parse_briefing(text)
    found = whats(b)
    assert found[line_of(text, "March 1:")] == [
        "item year inferred as 2024 (from the publication date)"
    ]
    assert [i.date for i in b.items] == [datetime.date(2024, 3, 1), datetime.date(2023, 12, 30)]
    assert found[line_of(text, "December 30:")] == [
        "item year inferred as 2023 (from the publication date, the year before)"
    ]
    assert found[line_of(text, "Jane Doe")] == ["role title read after the comma"]
    assert b.unplaced == []


def test_guess_of_an_estimated_publication_date():
    text = briefing().replace("March 4, 2024\n", "")
    b = parse_briefing(text)
    assert (b.publication_date, b.date_estimated) == (datetime.date(2024, 4, 2), True)
    assert (
        line_of(text, "March 1:"),
        "Something else",
        "publication date estimated as 2024-04-02: the first working day after the newest "
        "date, 2024-03-01",
    ) in [(g.line, g.text, g.what) for g in b.guesses]
    year = next(g for g in b.guesses if g.what.startswith("item year"))
    assert year.what == "item year inferred as 2024 (from the newest document's date)"


def test_guesses_in_the_seeds():
    found = whats(seed("004"))
    assert "read as the title of a box" in found[91]
    assert "joined to the paragraph before (split by a page break)" in found[121]
    assert "document title continued on the next line" in found[125]
    assert "name and role title split before “Editor”" in found[178]
    assert "publication date read from the code “211102”" in whats(seed("002"))[1]
    assert "read as the document title (no label printed)" in whats(seed("001"))[12]
    assert "read as the caption of the cover image" in whats(seed("000"))[1]
    for key in ("000", "001", "002", "003", "004"):
        assert seed(key).unplaced == []


def test_a_second_date_before_the_stories_is_unplaced():
    text = briefing().replace("March 4, 2024\n", "March 4, 2024\nMarch 5, 2024\n")
    b = parse_briefing(text)
    assert b.publication_date == datetime.date(2024, 3, 4)
    assert [(u.line, u.text) for u in b.unplaced] == [(line_of(text, "March 5"), "March 5, 2024")]


def test_a_story_cut_before_its_glance_is_reported():
    text = briefing() + "\n"
    text = text.replace("Noteworthy\n", "2. A second story without its glance\n\nNoteworthy\n")
    b = parse_briefing(text)
    assert len(b.stories) == 1
    assert whats(b)[line_of(text, "2. A second")] == [
        "left out: a story headline without “At a glance” (cut off?)"
    ]
