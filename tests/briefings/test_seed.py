"""The seed archive (fixtures/seed.json) holds the five seed briefings faithfully.

Expected figures are counted from the briefing texts in tests/data/seeds/; every text in
the fixture must also be found in its briefing (after the documented editorial
corrections), so nothing is invented and nothing is dropped.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.agencies.models import Agency
from apps.briefings.markdown import render_markdown
from apps.briefings.models import Issue, NoteworthyItem, PolicyDocument
from apps.people.models import Person

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"

# file, publication date, bullets per story, comment paragraphs per story, policy news,
# corporate news, sources, issuing agencies per story, credits as (role, name, title).
EXPECTED = {
    "003_58a481ad6d8988ec.txt": {
        "date": datetime.date(2021, 7, 6),
        "bullets": [3, 3, 4, 3, 3],
        "paragraphs": [3, 3, 3, 2, 2],
        "policy": 9,
        "corporate": 8,
        "sources": 31,
        "agencies": [
            ["MIIT"],
            ["MIIT", "MOST", "MOF", "MOFCOM"],
            ["MIIT", "CAC"],
            ["Xinhua"],
            ["NDRC", "MNR"],
        ],
        "credits": [
            ("author", "Alexander Brown", "Analyst"),
            ("author", "Gregor Sebastian", "Junior Analyst"),
            ("contributor", "Tashi Götzmann", "Intern"),
            ("editor", "Claudia Wessling", "Director Communications and Publications"),
            ("editor", "Fiona Bewley", "Executive Team Assistant"),
        ],
    },
    "002_a14091ac69cc8d82.txt": {
        "date": datetime.date(2021, 11, 2),
        "bullets": [4, 3, 3, 3, 3],
        "paragraphs": [2, 3, 3, 2, 2],
        "policy": 7,
        "corporate": 6,
        "sources": 16,
        "agencies": [
            ["CCPCC", "State Council"],
            ["CCPCC", "State Council"],
            ["MIIT", "CAC", "MOST", "MEE", "MOHURD", "MOA", "NHC", "NEA"],
            ["CAC", "CCPCPD", "MOE", "MOST", "MIIT", "MPS", "MCT", "SAMR", "NRTA"],
            ["MIIT"],
        ],
        "credits": [],
    },
    "001_37bc1a9cd968a2f4.txt": {
        "date": datetime.date(2021, 12, 1),
        "bullets": [4, 4, 3, 4, 3],
        "paragraphs": [3, 2, 2, 3, 3],
        "policy": 8,
        "corporate": 6,
        "sources": 22,
        "agencies": [["MIIT"], ["State Council"], ["MIIT"], ["NDRC", "MIIT"], ["CAC"]],
        "credits": [],
    },
    "004_2490c8c9a370719f.txt": {
        "date": datetime.date(2022, 10, 4),
        "bullets": [4, 4, 3, 4, 4],
        "paragraphs": [2, 3, 3, 3, 3],
        "policy": 8,
        "corporate": 6,
        "sources": 14,
        "agencies": [
            ["MIIT", "SASAC", "SAMR", "CNIPA"],
            ["MIIT"],
            ["MOT"],
            ["Shanghai Municipal Government"],
            ["Shanghai Municipal People's Congress"],
        ],
        "credits": [
            ("author", "Rebecca Arcesati", "Analyst"),
            ("author", "Alexander Brown", "Analyst"),
            ("author", "Gregor Sebastian", "Analyst"),
            ("editor", "Claudia Wessling", "Director Communications and Publications"),
            ("editor", "Alexander Davey", "Editor"),
        ],
    },
    "000_562a71cf05ffeb37.txt": {
        "date": datetime.date(2023, 11, 1),
        "bullets": [4, 3, 4, 3, 3],
        "paragraphs": [2, 3, 3, 3, 3],
        "policy": 6,
        "corporate": 7,
        "sources": 13,
        "agencies": [
            ["MIIT", "CAC", "MOE", "PBoC", "NHC", "SAMR"],
            ["MIIT", "MOST", "MOF", "CAAC"],
            ["MIIT"],
            ["SAMR"],
            ["State Council"],
        ],
        "credits": [],
    },
}


def normalise(text):
    """Seed or fixture text with link markup, underlines and line breaks taken out."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("<u>", "").replace("</u>", "")
    text = re.sub(r"\bAl\b", "AI", text)  # the documented OCR correction
    text = re.sub(r"\s+", "", text)  # line and page breaks, double spaces
    return text.replace("《", "")  # a restored opening title bracket


@pytest.fixture(scope="module")
def seed_archive(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loaddata", "seed", verbosity=0)
        issues = {}
        for issue in Issue.objects.prefetch_related(
            "stories__document__issuers__agency",
            "noteworthy_items__sources",
            "credits__person",
        ):
            source = next(name for name in EXPECTED if name in issue.editorial_note)
            issues[source] = issue
        yield issues
        Issue.objects.all().delete()
        PolicyDocument.objects.all().delete()
        Agency.objects.all().delete()
        Person.objects.all().delete()


@pytest.fixture(params=sorted(EXPECTED))
def seed(request, seed_archive, db):
    name = request.param
    return seed_archive[name], EXPECTED[name], normalise((SEEDS / name).read_text())


def test_five_published_issues(seed_archive, db):
    assert len(seed_archive) == 5
    assert Issue.objects.published().count() == 5


def test_issue_dates_and_slugs(seed):
    issue, expected, _ = seed
    assert issue.publication_date == expected["date"]
    assert issue.is_live
    assert issue.slug.startswith(f"{expected['date']:%Y-%m}-")


def test_top_five_is_complete(seed):
    issue, expected, text = seed
    stories = list(issue.stories.all())
    assert [story.position for story in stories] == [1, 2, 3, 4, 5]
    for story in stories:
        assert story.missing_fields() == [], story
        assert normalise(story.headline) in text, story.headline
        assert normalise(story.glance_intro) in text, story
    assert [len(story.bullets) for story in stories] == expected["bullets"]
    assert [len(story.comment.split("\n\n")) for story in stories] == expected["paragraphs"]
    rendered = [render_markdown(story.comment) for story in stories]
    assert [html.count("<p>") for html in rendered] == expected["paragraphs"]
    assert not any("<li>" in html for html in rendered)


def test_every_bullet_and_paragraph_is_printed_in_the_briefing(seed):
    issue, _, text = seed
    for story in issue.stories.all():
        for bullet in story.bullets:
            assert normalise(bullet) in text, bullet
        for paragraph in [*story.comment.split("\n\n"), *story.glance_outro.split("\n\n")]:
            assert normalise(paragraph) in text, paragraph
        for paragraph in story.box_body.split("\n\n"):
            lines = [re.sub(r"^\d+\. ", "", line) for line in paragraph.splitlines()]
            assert all(normalise(line) in text for line in lines), paragraph


def test_documents_with_both_titles_agencies_and_dates(seed):
    issue, expected, text = seed
    stories = list(issue.stories.all())
    agencies = [
        [issuer.agency.abbreviation for issuer in story.document.issuers.all()]
        for story in stories
    ]
    assert agencies == expected["agencies"]
    for story in stories:
        document = story.document
        assert document.url == ""  # the seeds print "(Link)" without an address
        assert document.date is not None
        assert document.title_zh and normalise(document.title_zh) in text
        if document.title_en:
            assert normalise(document.title_en) in text
        if document.label:
            assert normalise(f"{document.label}:") in text


def test_noteworthy_items_with_dated_text_and_sources(seed):
    issue, expected, text = seed
    items = list(issue.noteworthy_items.all())
    policy = [item for item in items if item.section == NoteworthyItem.Section.POLICY]
    corporate = [item for item in items if item.section == NoteworthyItem.Section.CORPORATE]
    assert (len(policy), len(corporate)) == (expected["policy"], expected["corporate"])
    assert sum(len(item.sources.all()) for item in items) == expected["sources"]
    period_end = expected["date"]
    for item in items:
        assert period_end - datetime.timedelta(days=70) <= item.date <= period_end, item
        assert normalise(item.text) in text, item.text
        for source in item.sources.all():
            assert normalise(source.label) in text, source.label
            assert source.url == ""


def test_credits_as_printed(seed):
    issue, expected, _ = seed
    credits = [
        (credit.role, credit.person.name, credit.role_title) for credit in issue.credits.all()
    ]
    assert credits == expected["credits"]


def test_text_is_kept_typographically(seed_archive):
    issue = seed_archive["000_562a71cf05ffeb37.txt"]
    story = issue.stories.get(position=1)
    assert "“controllable”" in story.comment
    assert story.document.title_zh == "算力基础设施高质量发展行动计划"
    assert issue.hero_caption == "An aerial view of the China Tower Of Computing Town in Hangzhou"


def test_ocr_slips_are_corrected(seed_archive):
    issue = seed_archive["004_2490c8c9a370719f.txt"]
    headlines = [story.headline for story in issue.stories.all()]
    assert headlines[2].startswith("AI Captain!")
    assert "as AI innovation hub" in headlines[4]
    assert not any(re.search(r"\bAl\b", h) for h in headlines)


def test_estimated_dates_are_marked(seed_archive):
    for name, issue in seed_archive.items():
        estimated = "estimated" in issue.editorial_note.lower()
        assert estimated == (
            name
            in {"001_37bc1a9cd968a2f4.txt", "004_2490c8c9a370719f.txt", "000_562a71cf05ffeb37.txt"}
        ), name
