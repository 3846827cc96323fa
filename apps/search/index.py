"""The search index: one `SearchEntry` for each published issue, Top 5 story and
noteworthy item, with its text by weight. It follows published content: the editing layer
says which issues changed (`published_content_changed`) and their entries are made again.
Drafts and pending changes are never indexed; a scheduled issue is, and is found from its
publication time on.

On PostgreSQL each entry's `vector` is the weighted English words (titles and headlines
A, summaries and news B, comments C) and, for Chinese, every character and every pair of
neighbouring characters as a word of its own in a `simple` vector: Chinese has no spaces
to split words at, and pairs let one GIN index find any one- or two-character word and,
as a phrase of pairs, any longer one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.html import escape

from apps.briefings import bulk
from apps.briefings.derived import rebuild
from apps.briefings.markdown import plain_text
from apps.briefings.models import Issue, NoteworthyItem, Story

from .models import SearchEntry

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_tokens(text: str) -> str:
    """Every pair of neighbouring Chinese characters in reading order, then every single
    character: the words of the `simple` vector."""
    runs = CJK_RUN.findall(text)
    pairs = [run[i : i + 2] for run in runs for i in range(len(run) - 1)]
    singles = sorted({char for run in runs for char in run})
    return " ".join(pairs + singles)


_TAG = re.compile(r"<[^>]+>")


def _plain(*texts: str) -> str:
    """The words of Markdown texts."""
    return "\n".join(plain_text(text) for text in texts if text)


def _words(*rendered: str) -> str:
    """The words of already rendered (sanitised) HTML: cheaper than rendering again."""
    return "\n".join(
        " ".join(html.unescape(_TAG.sub(" ", text)).split()) for text in rendered if text
    )


def entries_for(issue: Issue) -> list[SearchEntry]:
    """The entries of one issue, with its stories (and their documents) and items loaded."""
    common = {"issue": issue, "publish_at": issue.publish_at}
    url = issue.get_absolute_url()
    entries = [
        SearchEntry(
            kind=SearchEntry.Kind.ISSUE,
            object_id=issue.pk,
            date=issue.publication_date,
            title=issue.title,
            url=url,
            text_a=issue.title,
            text_b=_plain(issue.standfirst),
            **common,
        )
    ]
    for story in issue.stories.all():
        document = story.document
        titles = [document.title_en, document.title_zh] if document else []
        entries.append(
            SearchEntry(
                kind=SearchEntry.Kind.STORY,
                object_id=story.pk,
                date=issue.publication_date,
                title=story.headline,
                context=issue.title,
                url=story.get_absolute_url(),
                text_a="\n".join([story.headline, *[t for t in titles if t]]),
                text_b=_words(
                    story.glance_intro_html, story.bullets_html, story.glance_outro_html
                ),
                text_c=_words(story.comment_html, escape(story.box_title), story.box_body_html),
                **common,
            )
        )
    for item in issue.noteworthy_items.all():
        entries.append(
            SearchEntry(
                kind=(
                    SearchEntry.Kind.POLICY
                    if item.section == NoteworthyItem.Section.POLICY
                    else SearchEntry.Kind.CORPORATE
                ),
                object_id=item.pk,
                date=item.date,
                title=f"{item.date:%B} {item.date.day}, {item.date.year}",
                context=issue.title,
                url=f"{url}#item-{item.pk}",
                text_b=_words(item.text_html),
                **common,
            )
        )
    return entries


def published_issues():
    """Published issues with what `entries_for` reads."""
    return Issue.objects.filter(status=Issue.Status.PUBLISHED).prefetch_related(
        Prefetch("stories", queryset=Story.objects.select_related("document")),
        "noteworthy_items",
    )


def index_issues(ids: Iterable[int] | None = None) -> int:
    """Make the entries of these issues (of all, with None) again; the number made."""
    return rebuild(SearchEntry, ids, published_issues(), entries_for, save=_save)


def _save(entries: list[SearchEntry]) -> int:
    saved = bulk.insert(entries)
    if connection.vendor == "postgresql":
        write_vectors([entry.pk for entry in saved], entries)
    return len(saved)


VECTOR_SQL = """
UPDATE search_searchentry AS entry SET vector =
    setweight(to_tsvector('english', entry.text_a), 'A')
    || setweight(to_tsvector('english', entry.text_b), 'B')
    || setweight(to_tsvector('english', entry.text_c), 'C')
    || setweight(to_tsvector('simple', data.cjk), 'A')
FROM unnest(%s::bigint[], %s::text[]) AS data(id, cjk)
WHERE entry.id = data.id
"""


def write_vectors(pks: list[int], entries: list[SearchEntry]) -> None:
    """Compute the stored vectors of saved entries in the database, in one statement (or,
    inside `bulk_writes(alongside=True)`, once they are committed, on a second
    connection)."""
    cjk = [cjk_tokens(f"{e.text_a}\n{e.text_b}\n{e.text_c}") for e in entries]
    writer = _alongside.get()
    if writer is None:
        _write_vectors(pks, cjk)
    else:
        transaction.on_commit(lambda: writer.append(writer.pool.submit(_write_vectors, pks, cjk)))


def _write_vectors(pks: list[int], cjk: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(VECTOR_SQL, [pks, cjk])


class _Alongside(list[Future]):
    """A thread with its own connection, writing vectors while the first goes on."""

    def __init__(self):
        super().__init__()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-vectors")

    def finish(self) -> None:
        """Wait for every vector; raise the first error met."""
        try:
            for future in self:
                future.result()
        finally:
            self.pool.submit(lambda: connection.close()).result()  # the thread's own
            self.pool.shutdown()


_alongside: ContextVar[_Alongside | None] = ContextVar("search_vectors_alongside", default=None)

VECTOR_INDEX = "search_entry_vector_gin"


@contextmanager
def bulk_writes(*, alongside: bool = False):
    """For writing many entries at once (a generated archive, a whole new index): GIN's
    fast update on while they are written, so that their words wait in the index's pending
    list and go into its tree in large sorted batches — four times faster than entry by
    entry — then off again and the list merged, so that searches read no pending list
    (`0003_vector_gin_without_pending_list`). Switching takes a moment's exclusive lock on
    the index: for commands, not for editors' saves.

    With `alongside`, each transaction's vectors are computed after it commits, by a
    second connection, while this one writes the next (the two cores both at work); the
    block ends when every vector is written. Its entries are found by search only then:
    for synthetic archives. Inside a transaction (a test's) vectors are written at once."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER INDEX {VECTOR_INDEX} SET (fastupdate = on)")
    writer = _Alongside() if alongside and not connection.in_atomic_block else None
    token = _alongside.set(writer)
    try:
        yield
    finally:
        _alongside.reset(token)
        try:
            if writer is not None:
                writer.finish()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER INDEX {VECTOR_INDEX} SET (fastupdate = off)")
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [VECTOR_INDEX])


def follow(sender, issue_ids, **kwargs):
    """Keep the entries of the issues whose published content changed."""
    if issue_ids:
        index_issues(issue_ids)
