"""Tables derived from published issues — the search index, the trackers' appearances —
made again for the issues a published change touched."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import bulk


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
