"""A synthetic archive for measuring the site at scale: published issues shaped like the
seed briefings — texts of the same lengths, made of the seed archive's own words; about
30 agencies, a few very often and most rarely; about 20 people; five stories and 10–15
noteworthy items with sources each; some documents discussed by several stories.

It writes in bulk, not through the editing layer: this is data for benchmarks, not
editorial content, and the issues it makes say so in their editorial note and slug.
"""

from __future__ import annotations

import datetime
import json
import random
import re
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.agencies.models import Agency
from apps.people.models import Person

from . import bulk
from .derived import bulk_writes
from .models import (
    Credit,
    DocumentAgency,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    PolicyDocument,
    SourceLink,
    Story,
    unique_slug,
)
from .signals import published_content_changed

SLUG_PREFIX = "synthetic-"
NOTE = "Synthetic issue made by generate_archive for measurements; not editorial content."
AGENCIES = [
    "MIIT", "NDRC", "State Council", "MOST", "MOF", "MOFCOM", "CAC", "SAMR", "PBOC", "NEA",
    "MEE", "MNR", "CAAC", "NHSA", "MOE", "MOHRSS", "SASAC", "CSRC", "NBS", "MPS", "MOT",
    "NHC", "CBIRC", "GACC", "SAFE", "NMPA", "MCA", "MWR", "MARA", "SPC",
]  # fmt: skip
PEOPLE = [
    "Alexander Brown", "Gregor Sebastian", "Rebecca Arcesati", "Jeroen Groenewegen-Lau",
    "Antonia Hmaidi", "François Chimits", "Max J. Zenglein", "Vincent Brussee", "Nis Grünberg",
    "Katja Drinhausen", "Mikko Huotari", "Claudia Wessling", "Fiona Bewley", "Jacob Gunter",
    "Wendy Chang", "Helena Legarda", "Grzegorz Stec", "Caroline Meinhardt", "Kai von Carnap",
    "Tashi Götzmann",
]  # fmt: skip
# Syllables of company names: every noteworthy item names one, and most names are rare,
# as in real news (the benchmarks search for one).
SYLLABLES = [
    "an", "bai", "bao", "bei", "chang", "chen", "da", "de", "dong", "fang", "feng", "fu",
    "gao", "guang", "hai", "hang", "hong", "hua", "hui", "jia", "jian", "jin", "jing", "kai",
    "kang", "lan", "li", "lian", "long", "lu", "mei", "ming", "nan", "ning", "peng", "qi",
    "qian", "rong", "rui", "sheng", "shi", "tai", "tian", "tong", "wei", "xiang", "xin", "xing",
    "ya", "yang", "yi", "yong", "yu", "yuan", "zhi", "zhong", "zhou",
]  # fmt: skip
SOURCES = [
    ("{a} notice", "CN"), ("Xinhua article", "EN"), ("Reuters article", "EN"),
    ("Caixin article", "CN"), ("SCMP article", "EN"), ("{a} document", "CN"),
    ("Bloomberg article", "EN"), ("People's Daily article", "CN"),
]  # fmt: skip


class RealContent(Exception):
    """The database holds content that is not synthetic."""


def _words():
    """The seed archive's English words and Chinese characters, to write with."""
    fixture = json.loads((Path(settings.BASE_DIR) / "fixtures" / "seed.json").read_text())
    english, chinese = [], []
    for obj in fixture:
        for value in obj["fields"].values():
            if isinstance(value, str) and "<" not in value:
                english += re.findall(r"[A-Za-z][a-z]{2,}", value)
                chinese += re.findall(r"[\u4e00-\u9fff]", value)
    return english, chinese


class Writer:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.english, self.chinese = _words()

    def words(self, low, high):
        return " ".join(self.random.choices(self.english, k=self.random.randint(low, high)))

    def sentence(self, low=12, high=24):
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences):
        return " ".join(self.sentence() for _ in range(sentences))

    def zh(self, low, high):
        return "".join(
            self.random.choice(self.chinese) for _ in range(self.random.randint(low, high))
        )

    def company(self):
        first, second, third = self.random.choices(SYLLABLES, k=3)
        return f"{(first + second + third).capitalize()} Technology"

    def title(self, low=6, high=12):
        return self.words(low, high).title()


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{p}</p>" for p in text.split("\n\n") if p)


def render_plain_story(story: Story) -> None:
    """`Story.render` for synthetic text, which is only words and full stops (no Markdown,
    nothing to escape): the same HTML and word count without the Markdown parser, which
    would take most of the generator's time."""
    story.glance_intro_html = _paragraphs(story.glance_intro)
    story.bullets_html = "".join(f"<li>{bullet}</li>" for bullet in story.bullets)
    story.glance_outro_html = _paragraphs(story.glance_outro)
    story.comment_html = _paragraphs(story.comment)
    story.box_body_html = _paragraphs(story.box_body)
    texts = [story.headline, story.glance_intro, story.glance_bullets, story.glance_outro]
    story.words = sum(len(text.split()) for text in texts + [story.comment])


def render_plain_item(item: NoteworthyItem) -> None:
    """`NoteworthyItem.render` for synthetic text (see `render_plain_story`)."""
    item.text_html = item.text
    item.words = len(item.text.split())


def has_real_content() -> bool:
    return (
        Issue.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
        or Agency.objects.exclude(abbreviation__in=AGENCIES).exists()
        or Person.objects.exclude(name__in=PEOPLE).exists()
    )


def generate(issues: int, *, force: bool = False, batch: int = 500, progress=None) -> int:
    """Add `issues` synthetic published issues; refuse a database with real content
    unless `force`. Returns the number of issues the archive then holds."""
    if has_real_content() and not force:
        raise RealContent(
            "The database holds real content (issues, agencies or people that are not "
            "synthetic). Use a scratch database, or --force to add synthetic issues anyway."
        )
    start = Issue.objects.filter(slug__startswith=SLUG_PREFIX).count()
    writer = Writer(seed=start)
    agencies = [
        Agency.objects.get_or_create(
            abbreviation__iexact=name,
            defaults={
                "abbreviation": name,
                "slug": unique_slug(Agency.objects.all(), name, max_length=80),
                "kind": "ministry",
            },
        )[0]
        for name in AGENCIES
    ]
    people = [
        Person.objects.filter(name=name).first()
        or Person.objects.create(
            name=name, slug=unique_slug(Person.objects.all(), name, max_length=200)
        )
        for name in PEOPLE
    ]
    # A few agencies appear very often and most rarely (Zipf-like).
    popularity = [1 / (rank + 1) for rank in range(len(agencies))]
    made = 0
    with bulk_writes(alongside=True):
        while made < issues:
            size = min(batch, issues - made)
            with transaction.atomic():
                ids = _write_batch(writer, start + made, size, agencies, popularity, people)
                published_content_changed.send(sender=Issue, issue_ids=set(ids))
            made += size
            if progress:
                progress(made)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner and, outside a transaction, the rows that
        # writing in bulk left behind cleared (search entries are written, then given
        # their vectors), so that no scan steps over them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return Issue.objects.count()


def _write_batch(writer, first, size, agencies, popularity, people):
    rnd = writer.random
    now = timezone.now()
    oldest = datetime.date(2000, 1, 3)
    made = bulk.insert(
        [
            Issue(
                title=" + ".join(writer.title(1, 3) for _ in range(3)),
                slug=f"{SLUG_PREFIX}{n}",
                publication_date=oldest + datetime.timedelta(days=3 * n),
                status=Issue.Status.PUBLISHED,
                # Published a second apart, in order: the newest last, all in the past.
                publish_at=now - datetime.timedelta(days=1, seconds=first + size - n),
                standfirst=writer.sentence(20, 40) if rnd.random() < 0.3 else "",
                editorial_note=NOTE,
            )
            for n in range(first, first + size)
        ]
    )
    # Documents: most stories discuss a new one; some discuss one discussed before.
    documents, issuers, reuse = [], [], []
    story_documents = []
    for issue in made:
        for _ in range(5):
            if reuse and rnd.random() < 0.1:
                story_documents.append(rnd.choice(reuse))
                continue
            document = PolicyDocument(
                label=rnd.choice(["Policy name", "Article", "Article name", ""]),
                title_en=writer.title(8, 18),
                title_zh=writer.zh(10, 30),
                url=f"https://www.gov.cn/zhengce/{issue.slug}-{len(documents)}.htm",
                date=issue.publication_date - datetime.timedelta(days=rnd.randint(3, 40)),
            )
            documents.append(document)
            story_documents.append(document)
            reuse.append(document)
    bulk.insert(documents)
    for document in documents:
        chosen = []
        for _ in range(1 if rnd.random() < 0.6 else rnd.randint(2, 4)):
            agency = rnd.choices(agencies, popularity)[0]
            if agency not in chosen:
                chosen.append(agency)
        issuers += [
            DocumentAgency(document=document, agency=agency, position=n)
            for n, agency in enumerate(chosen, start=1)
        ]
    bulk.insert(issuers)
    stories = []
    for index, issue in enumerate(made):
        for position in range(1, 6):
            story = Story(
                issue=issue,
                position=position,
                headline=writer.sentence(8, 14).rstrip("."),
                slug=f"story-{position}",
                glance_intro=writer.paragraph(3),
                glance_bullets="\n".join(writer.sentence(6, 14) for _ in range(rnd.randint(2, 5))),
                glance_outro=writer.sentence() if rnd.random() < 0.2 else "",
                comment="\n\n".join(writer.paragraph(rnd.randint(3, 5)) for _ in range(3)),
                document=story_documents[5 * index + position - 1],
            )
            render_plain_story(story)
            stories.append(story)
    bulk.insert(stories)
    items, sources, cited = [], [], []
    for issue in made:
        for position in range(rnd.randint(10, 15)):
            item = NoteworthyItem(
                issue=issue,
                section=1 if position % 3 else 2,
                date=issue.publication_date - datetime.timedelta(days=rnd.randint(1, 30)),
                text=f"{writer.company()} {writer.sentence(14, 30).lower()}",
                position=position,
            )
            render_plain_item(item)
            items.append(item)
    bulk.insert(items)
    for item in items:
        agency = rnd.choices(agencies, popularity)[0]
        for n in range(rnd.randint(1, 3)):
            label, language = rnd.choice(SOURCES)
            sources.append(
                SourceLink(
                    item=item,
                    label=label.format(a=agency.abbreviation),
                    language=language,
                    url=f"https://example.org/news/{item.pk}-{n}" if rnd.random() < 0.5 else "",
                    position=n,
                )
            )
        if rnd.random() < 0.6:
            cited.append(NoteworthyAgency(item=item, agency=agency))
    bulk.insert(sources)
    bulk.insert(cited)
    credits = []
    for issue in made:
        for n, person in enumerate(rnd.sample(people, 2), start=1):
            credits.append(Credit(issue=issue, person=person, role=Credit.Role.AUTHOR, position=n))
        credits.append(
            Credit(issue=issue, person=rnd.choice(people[-6:]), role=Credit.Role.EDITOR)
        )
    bulk.insert(credits)
    words = {}
    for story in stories:
        words[story.issue_id] = words.get(story.issue_id, 0) + story.words
    for item in items:
        words[item.issue_id] = words.get(item.issue_id, 0) + item.words
    for issue in made:
        issue.words = words.get(issue.pk, 0)
    Issue.objects.bulk_update(made, ["words"], batch_size=500)
    return [issue.pk for issue in made]
