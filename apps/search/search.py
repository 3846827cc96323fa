"""Search over published issues, Top 5 stories and noteworthy items.

On PostgreSQL, words are matched with full-text search (English stemming, weighted:
headlines and document titles first, then summaries, then comments) and ranked with
`SearchRank`. Elsewhere, and for any query in Chinese (which has no spaces between
words to stem), every term must occur as a substring and results are ranked by weighted
occurrences. Snippets with highlighted terms are made the same way on both.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.briefings.markdown import plain_text
from apps.briefings.models import Issue, NoteworthyItem, Story

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
CANDIDATES = 200
SNIPPET_CHARS = 220
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class Result:
    kind: str
    title: SafeString
    url: str
    date: datetime.date
    snippet: SafeString
    score: float
    context: str = ""


def terms_of(query: str) -> list[str]:
    return query[:MAX_QUERY_LENGTH].split()[:MAX_TERMS]


def search(query: str) -> list[Result]:
    """Published issues, stories and noteworthy items matching a query, best first."""
    terms = terms_of(query)
    if not terms:
        return []
    full_text = connection.vendor == "postgresql" and not _CJK.search(query)
    issues, stories, items = (_full_text if full_text else _substring)(terms)
    results = [
        *(_issue_result(issue, terms) for issue in issues),
        *(_story_result(story, terms) for story in stories),
        *(_item_result(item, terms) for item in items),
    ]
    if full_text:
        for result, found in zip(results, [*issues, *stories, *items], strict=True):
            result.score = found.rank
    return sorted(results, key=lambda r: (-r.score, -r.date.toordinal()))


# Fields searched, with their weight in the substring ranking.
ISSUE_FIELDS = {"title": 5, "standfirst": 2}
STORY_FIELDS = {
    "headline": 5,
    "document__title_en": 4,
    "document__title_zh": 4,
    "glance_intro": 2,
    "glance_bullets": 2,
    "glance_outro": 2,
    "comment": 1,
}
ITEM_FIELDS = {"text": 2}


def _querysets():
    return (
        Issue.objects.published(),
        Story.objects.published().select_related("issue", "document"),
        NoteworthyItem.objects.published().select_related("issue"),
    )


def _matching_all(queryset, fields, terms):
    for term in terms:
        queryset = queryset.filter(_any(Q(**{f"{field}__icontains": term}) for field in fields))
    return list(queryset.order_by("-pk")[:CANDIDATES])


def _any(conditions):
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def _substring(terms):
    issues, stories, items = _querysets()
    return (
        _matching_all(issues, ISSUE_FIELDS, terms),
        _matching_all(stories, STORY_FIELDS, terms),
        _matching_all(items, ITEM_FIELDS, terms),
    )


def _full_text(terms):
    query = SearchQuery(" ".join(terms), search_type="websearch", config="english")
    issues, stories, items = _querysets()
    vectors = [
        (issues, SearchVector("title", weight="A", config="english")
         + SearchVector("standfirst", weight="B", config="english")),
        (stories, SearchVector("headline", "document__title_en", weight="A", config="english")
         + SearchVector("glance_intro", "glance_bullets", "glance_outro", weight="B",
                        config="english")
         + SearchVector("comment", weight="C", config="english")),
        (items, SearchVector("text", weight="B", config="english")),
    ]  # fmt: skip
    return tuple(
        list(
            queryset.annotate(document_vector=vector, rank=SearchRank(vector, query))
            .filter(document_vector=query)
            .order_by("-rank")[:CANDIDATES]
        )
        for queryset, vector in vectors
    )


def _score(obj, fields, terms):
    score = 0
    for field, weight in fields.items():
        value = _value(obj, field).lower()
        score += weight * sum(value.count(term.lower()) for term in terms)
    return score


def _value(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name, None) if obj is not None else None
    return obj or ""


def _pattern(terms):
    # Match a term's stem-ish prefix so “standards” also lights up “standard”.
    stems = sorted({re.escape(_stem(term)) for term in terms}, key=len, reverse=True)
    return re.compile("|".join(stems), re.IGNORECASE)


def _stem(term):
    if _CJK.search(term) or len(term) < 6:
        return term
    return re.sub(r"(ies|es|s|ing|ed)$", "", term, flags=re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escaped text with every term wrapped in <mark>."""
    pattern = _pattern(terms)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(texts: list[str], terms: list[str]) -> SafeString:
    """A short passage around the first match in the first text that has one."""
    pattern = _pattern(terms)
    for text in texts:
        text = plain_text(text)
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - SNIPPET_CHARS // 3)
            if start:
                start = text.find(" ", start) + 1 or start
            passage = text[start : start + SNIPPET_CHARS]
            prefix = "…" if start else ""
            suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
            return mark_safe(f"{prefix}{highlight(passage, terms)}{suffix}")
    first = plain_text(texts[0]) if texts else ""
    return mark_safe(escape(first[:SNIPPET_CHARS]) + ("…" if len(first) > SNIPPET_CHARS else ""))


def _issue_result(issue, terms):
    return Result(
        kind="Issue",
        title=highlight(issue.title, terms),
        url=issue.get_absolute_url(),
        date=issue.publication_date,
        snippet=snippet([issue.standfirst, issue.title], terms),
        score=_score(issue, ISSUE_FIELDS, terms),
    )


def _story_result(story, terms):
    document = story.document
    texts = [story.glance_intro, story.glance_bullets, story.glance_outro, story.comment]
    if document:
        texts = [document.title_zh, document.title_en, *texts]
    return Result(
        kind="Top 5 story",
        title=highlight(story.headline, terms),
        url=story.get_absolute_url(),
        date=story.issue.publication_date,
        snippet=snippet(texts, terms),
        score=_score(story, STORY_FIELDS, terms),
        context=story.issue.title,
    )


def _item_result(item, terms):
    return Result(
        kind=item.get_section_display(),
        title=mark_safe(f"{item.date:%B} {item.date.day}, {item.date.year}"),
        url=f"{item.issue.get_absolute_url()}#item-{item.pk}",
        date=item.date,
        snippet=snippet([item.text], terms),
        score=_score(item, ITEM_FIELDS, terms),
        context=item.issue.title,
    )
