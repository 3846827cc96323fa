"""Paginators whose cost does not grow with the archive."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

from .pagecache import memo


class KnownCountPaginator(Paginator):
    """A paginator told its count, which was computed once elsewhere."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self):
        return self._known


class RememberingPaginator(Paginator):
    """A paginator for rows in descending (date, id) order that works out the count, and
    where each page starts, once per content version (`pagecache.memo`, under `key`): a
    deep page is then read from the index at its starting row instead of counting its
    way there with OFFSET, and no request counts the whole list again."""

    def __init__(self, object_list, per_page, *, key: str, date_field: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.key, self.date_field = key, date_field

    @cached_property
    def count(self):
        return memo(f"{self.key}:count", self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        if number == 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        start = memo(f"{self.key}:page:{number}", lambda: self._row_at(bottom))
        if start is None:  # the list changed within this version's lifetime: count anew
            return super().page(number)
        date, pk = start
        rows = self.object_list.filter(
            Q(**{f"{self.date_field}__lt": date}) | Q(**{self.date_field: date, "pk__lte": pk})
        )
        top = min(bottom + self.per_page, self.count)
        return self._get_page(rows[: top - bottom], number, self)

    def _row_at(self, position: int):
        return self.object_list.values_list(self.date_field, "pk")[position : position + 1].first()
