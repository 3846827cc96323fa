from django.http import Http404
from django.views.generic import TemplateView

from .search import MAX_COUNT, MAX_QUERY_LENGTH, TooSlow, search, terms_of


class SearchView(TemplateView):
    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        query = " ".join(terms_of(self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]))
        number = self.request.GET.get("page", "1")
        if not number.isdigit() or not 1 <= int(number) <= MAX_COUNT:
            raise Http404("No such page of results.")
        page, too_slow = None, False
        if query:
            try:
                page = search(query, int(number))
            except TooSlow:
                too_slow = True
            else:
                if page.number > page.num_pages:
                    raise Http404("No such page of results.")
        return super().get_context_data(
            query=query, page_obj=page, too_slow=too_slow, max_count=MAX_COUNT, **kwargs
        )
