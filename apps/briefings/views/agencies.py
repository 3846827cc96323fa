"""Agencies: the index with how often each appears, and each agency's policy tracker."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.views.generic import DetailView, ListView

from apps.agencies.models import Agency

from ..models import Issue, NoteworthyItem, Story


def with_published_counts(agencies):
    published = Issue.objects.published()
    return agencies.annotate(
        story_count=Count(
            "issued__document__stories",
            filter=Q(issued__document__stories__issue__in=published),
            distinct=True,
        ),
        news_count=Count(
            "noteworthy_items", filter=Q(noteworthy_items__issue__in=published), distinct=True
        ),
    )


class AgencyListView(ListView):
    """Every agency in published content, with how often it appears."""

    template_name = "agencies/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self):
        return with_published_counts(Agency.objects.shown_in(Issue.objects.published())).order_by(
            "abbreviation"
        )


class AgencyDetailView(DetailView):
    """A policy tracker: the agency's documents discussed in Top 5 stories, and the news
    that cites it, newest first."""

    template_name = "agencies/agency_detail.html"
    context_object_name = "agency"
    queryset = Agency.objects.all()
    per_page = 25

    def get_context_data(self, **kwargs):
        agency = self.object
        stories = (
            Story.objects.published()
            .filter(document__issuers__agency=agency)
            .with_document()
            .order_by("-issue__publication_date", "position")
        )
        news = (
            NoteworthyItem.objects.published()
            .filter(agencies=agency)
            .select_related("issue")
            .prefetch_related("sources")
            .order_by("-date", "-id")
        )
        story_page = self.page(stories, "page")
        news_page = self.page(news, "news_page")
        if not story_page.paginator.count and not news_page.paginator.count:
            raise Http404("This agency appears in no published issue.")
        return super().get_context_data(story_page=story_page, news_page=news_page, **kwargs)

    def page(self, queryset, parameter):
        try:
            return Paginator(queryset, self.per_page).page(self.request.GET.get(parameter, 1))
        except InvalidPage as error:
            raise Http404("No such page.") from error
