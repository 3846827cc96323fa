from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.views.generic import TemplateView

from apps.briefings.views.caching import PublicCacheMixin

from .search import MAX_QUERY_LENGTH, search


class SearchView(PublicCacheMixin, TemplateView):
    template_name = "search/search.html"
    per_page = 20

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        results = search(query) if query else []
        try:
            page = Paginator(results, self.per_page).page(self.request.GET.get("page", 1))
        except InvalidPage as error:
            raise Http404("No such page of results.") from error
        return super().get_context_data(query=query, page_obj=page, count=len(results), **kwargs)
