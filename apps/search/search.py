"""Search over published issues, Top 5 stories and noteworthy items (the search index of
`apps.search.index`).

On PostgreSQL a query is matched against the stored, GIN-indexed vectors: English words
stemmed (`websearch_to_tsquery`), Chinese as phrases of character pairs (a single
character as itself), all terms required; results are ranked (`ts_rank`: titles and
headlines weigh most, then summaries and news, then comments) and paginated in the
database, under a statement timeout so that no query holds a worker for long, in one
round trip (a page of results and how many there are); a word found in thousands of
entries is ranked among its newest 1,001 matches (as many as a count says: “more than
1,000”). Elsewhere
every term must occur as a substring; the newest candidates are ranked by weighted
occurrences. Snippets with highlighted terms are made the same way on both.
"""

from __future__ import annotations

import datetime
import re
from collections import namedtuple
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import OperationalError, connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .index import CJK_RUN
from .models import SearchEntry

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
PER_PAGE = 20
MAX_COUNT = 1000  # beyond this a count says “more than 1,000”
# Ranked: the newest this many matches, as many as are counted. A word in most entries
# would otherwise rank tens of thousands of them for every page of results.
RANK_WINDOW = MAX_COUNT + 1
CANDIDATES = 200  # the substring fallback ranks at most this many
SNIPPET_CHARS = 220
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
WEIGHTS = {"text_a": 5, "text_b": 2, "text_c": 1}


class TooSlow(Exception):
    """The database gave up on the query (statement timeout)."""


@dataclass
class Result:
    kind: str
    title: SafeString
    url: str
    date: datetime.date
    snippet: SafeString
    context: str = ""
    dated_to_the_day: bool = False  # news items are; issues and stories by their month

    @property
    def date_text(self) -> str:
        """“March 4, 2025” for news, “March 2025” for issues and stories."""
        day = f" {self.date.day}," if self.dated_to_the_day else ""
        return f"{self.date:%B}{day} {self.date.year}"


@dataclass
class Page:
    """One page of results, shaped like a paginator's page for the templates."""

    results: list[Result]
    count: int  # at most MAX_COUNT + 1
    number: int

    @property
    def more_than(self) -> bool:
        return self.count > MAX_COUNT

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.count, MAX_COUNT) // PER_PAGE))

    @property
    def paginator(self):
        return self

    @property
    def object_list(self):
        return self.results

    def __iter__(self):
        return iter(self.results)

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def has_other_pages(self):
        return self.num_pages > 1

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def start_index(self):
        return (self.number - 1) * PER_PAGE + 1


def terms_of(query: str) -> list[str]:
    """The words of a query: control characters dropped, length and number bounded."""
    return _CONTROL.sub(" ", query[:MAX_QUERY_LENGTH]).split()[:MAX_TERMS]


def search(query: str, page: int = 1) -> Page:
    """One page of published entries matching every term of a query, best first."""
    terms = terms_of(query)
    if not terms:
        return Page([], 0, page)
    entries = SearchEntry.objects.filter(publish_at__lte=timezone.now())
    offset = (page - 1) * PER_PAGE
    if connections[router.db_for_read(SearchEntry)].vendor == "postgresql":
        found, count = _full_text(entries, terms, offset)
    else:
        found, count = _substring(entries, terms, offset)
    return Page([_result(entry, terms) for entry in found], count, page)


# PostgreSQL ----------------------------------------------------------------------------------


def tsquery(terms: list[str]) -> SearchQuery | None:
    """English words as a web search; every Chinese run as a phrase of character pairs."""
    latin = " ".join(CJK_RUN.sub(" ", term) for term in terms).strip()
    query = SearchQuery(latin, search_type="websearch", config="english") if latin else None
    for term in terms:
        for run in CJK_RUN.findall(term):
            pairs = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
            phrase = SearchQuery(" <-> ".join(pairs), search_type="raw", config="simple")
            query = phrase if query is None else query & phrase
    return query


FIELDS = ["id", "kind", "title", "url", "date", "text_a", "text_b", "text_c", "context"]
# A page's entries as read: only what a result shows is needed, not model instances.
Found = namedtuple("Found", FIELDS)


def _full_text(entries, terms, offset):
    query = tsquery(terms)
    if query is None:
        return [], 0
    matching = entries.filter(vector=query).order_by("-date", "-id")
    # The newest RANK_WINDOW matches, ranked; one page of them, each row with how many
    # there are; then only that page's entries are read in full. One query for it all.
    newest, params = (
        matching.annotate(rank=SearchRank(F("vector"), query))
        .values_list("id", "date", "rank")[:RANK_WINDOW]
        .query.sql_with_params()
    )
    columns = ", ".join(f'entry."{SearchEntry._meta.get_field(f).column}"' for f in FIELDS)
    sql = (
        f"SELECT {columns}, ranked.matches FROM ("
        f"SELECT id, date, rank, COUNT(*) OVER () AS matches FROM ({newest}) AS newest "
        "ORDER BY rank DESC, date DESC, id DESC LIMIT %s OFFSET %s"
        f") AS ranked JOIN {SearchEntry._meta.db_table} AS entry ON entry.id = ranked.id "
        "ORDER BY ranked.rank DESC, ranked.date DESC, ranked.id DESC"
    )
    rows = _limited(sql, [*params, PER_PAGE, offset])
    if rows:
        count = rows[0][-1]
    elif offset:  # past the last page: how many there are, for its links
        capped, params = matching.values_list("id")[: MAX_COUNT + 1].query.sql_with_params()
        count = _limited(f"SELECT COUNT(*) FROM ({capped}) AS capped", params)[0][0]
    else:
        count = 0
    found = [Found(*row[:-1]) for row in rows]
    return found, min(count, MAX_COUNT + 1)


def _limited(sql, params):
    """The rows of a query, under the search statement timeout, in one round trip.

    `SET LOCAL` and the query go together in one simple-protocol message (Django's
    PostgreSQL cursors bind parameters on the client), which PostgreSQL runs as one
    implicit transaction, starting the query's timeout after the `SET`. Inside a
    transaction (tests, a management command) a savepoint keeps a timed-out query from
    spoiling the rest of it."""
    timeout = f"{int(settings.SEARCH_TIMEOUT_MS)}ms"
    try:
        alias = router.db_for_read(SearchEntry)  # a read replica, for readers' searches
        connection = connections[alias]
        savepoint = (
            transaction.atomic(using=alias) if connection.in_atomic_block else nullcontext()
        )
        with savepoint, connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = '{timeout}'; {sql}", params)
            cursor.nextset()
            return cursor.fetchall()
    except OperationalError as error:
        raise TooSlow from error


# Elsewhere ----------------------------------------------------------------------------------


def _substring(entries, terms, offset):
    for term in terms:
        entries = entries.filter(
            Q(text_a__icontains=term) | Q(text_b__icontains=term) | Q(text_c__icontains=term)
        )
    candidates = list(entries.order_by("-date", "-id")[:CANDIDATES])
    candidates.sort(key=lambda entry: -_score(entry, terms))
    return candidates[offset : offset + PER_PAGE], len(candidates)


def _score(entry, terms):
    return sum(
        weight * sum(getattr(entry, field).lower().count(term.lower()) for term in terms)
        for field, weight in WEIGHTS.items()
    )


# Results ------------------------------------------------------------------------------------


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
        text = " ".join(text.split())
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - SNIPPET_CHARS // 3)
            if start:
                start = text.find(" ", start) + 1 or start
            passage = text[start : start + SNIPPET_CHARS]
            prefix = "…" if start else ""
            suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
            return mark_safe(f"{prefix}{highlight(passage, terms)}{suffix}")
    first = " ".join(next((t for t in texts if t), "").split())
    return mark_safe(escape(first[:SNIPPET_CHARS]) + ("…" if len(first) > SNIPPET_CHARS else ""))


def _result(entry: SearchEntry, terms: list[str]) -> Result:
    if entry.kind == SearchEntry.Kind.STORY:
        titles = entry.text_a.split("\n")[1:]  # the document's titles, after the headline
        texts = [*titles, entry.text_b, entry.text_c]
    elif entry.kind == SearchEntry.Kind.ISSUE:
        texts = [entry.text_b, entry.text_a]
    else:
        texts = [entry.text_b]
    news = entry.kind in (SearchEntry.Kind.POLICY, SearchEntry.Kind.CORPORATE)
    # A news item has no headline: its opening words stand for one.
    title = highlight(opening_words(entry.text_b) if news else entry.title, terms)
    return Result(
        kind=SearchEntry.Kind(entry.kind).label,
        title=title,
        url=entry.url,
        date=entry.date,
        snippet=snippet(texts, terms),
        context=entry.context,
        dated_to_the_day=news,
    )


def opening_words(text: str, count: int = 12) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")
