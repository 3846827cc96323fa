"""Tables derived from published issues — the search index, the trackers' appearances —
made again for the issues a published change touched."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, contextmanager

from . import bulk

# Each app that keeps a derived table may register how it takes many issues at once
# faster (the search index: `apps.search.index.bulk_writes`), called with the keyword
# arguments given to `bulk_writes`.
BULK_WRITERS: list[Callable[..., AbstractContextManager]] = []


@contextmanager
def bulk_writes(**options):
    """Around writing many published issues at once (a generated archive): every derived
    table's own way of taking them."""
    with ExitStack() as stack:
        for writer in BULK_WRITERS:
            stack.enter_context(writer(**options))
        yield


def rebuild(
    model,
    ids: Iterable[int] | None,
    issues,
    rows_for: Callable,
    save: Callable[[list], int] | None = None,
    batch: int = 2000,
) -> int:
    """Delete `model`'s rows of these issues (of all, with None) and make them again from
    `issues` (a queryset of published issues, loaded with what `rows_for(issue)` needs),
    saved `batch` rows at a time by `save` (`bulk.insert` by default); the number made."""
    ids = None if ids is None else set(ids)
    stale = model.objects.all() if ids is None else model.objects.filter(issue_id__in=ids)
    stale.delete()
    if ids is not None:
        issues = issues.filter(pk__in=ids)
    save = save or (lambda rows: len(bulk.insert(rows)))
    made, rows = 0, []
    for issue in issues.iterator(chunk_size=500):
        rows += rows_for(issue)
        if len(rows) >= batch:
            made += save(rows)
            rows = []
    return made + (save(rows) if rows else 0)
