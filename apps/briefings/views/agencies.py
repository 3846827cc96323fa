"""Agencies: the index with how often each appears, and each agency's policy tracker."""

from django.core.paginator import InvalidPage
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from apps.agencies.models import Agency

from ..models import (
    Appearance,
    DocumentAgency,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    Story,
    rendering_fields,
)
from ..pagecache import memo
from ..paginators import KnownCountPaginator


def agency_counts() -> dict[int, tuple[int, int]]:
    """{agency id: (stories on documents it issued, noteworthy items citing it)} in
    published issues: two grouped queries, computed once per content version."""

    def count():
        published = Issue.objects.published()
        stories = (
            DocumentAgency.objects.filter(document__stories__issue__in=published)
            .values("agency")
            .annotate(n=Count("document__stories", distinct=True))
            .values_list("agency", "n")
        )
        news = (
            NoteworthyAgency.objects.filter(item__issue__in=published)
            .values("agency")
            .annotate(n=Count("item", distinct=True))
            .values_list("agency", "n")
        )
        counts = {}
        for agency, n in stories:
            counts[agency] = (n, 0)
        for agency, n in news:
            counts[agency] = (counts.get(agency, (0, 0))[0], n)
        return counts

    return memo("agency-appearances", count)


class AgencyListView(TemplateView):
    """Every agency in published content, with how often it appears."""

    template_name = "agencies/agency_list.html"

    def get_context_data(self, **kwargs):
        counts = agency_counts()
        agencies = list(Agency.objects.filter(pk__in=counts).order_by("abbreviation"))
        for agency in agencies:
            agency.story_count, agency.news_count = counts[agency.pk]
        return super().get_context_data(agencies=agencies, **kwargs)


class AgencyDetailView(DetailView):
    """A policy tracker: the agency's documents discussed in Top 5 stories, and the news
    that cites it, newest first."""

    template_name = "agencies/agency_detail.html"
    context_object_name = "agency"
    queryset = Agency.objects.all()
    per_page = 25

    def get_context_data(self, **kwargs):
        agency = self.object
        story_count, news_count = agency_counts().get(agency.pk, (0, 0))
        if not story_count and not news_count:
            raise Http404("This agency appears in no published issue.")
        rows = Appearance.objects.filter(agency=agency, publish_at__lte=timezone.now())
        story_page = self.page(
            rows.filter(kind=Appearance.Kind.STORY).order_by("-date", "-sort"),
            story_count,
            "page",
        )
        news_page = self.page(
            rows.filter(kind=Appearance.Kind.ITEM).order_by("-date", "-sort"),
            news_count,
            "news_page",
        )
        stories = Story.objects.with_document().in_bulk(
            [row.story_pk for row in story_page.object_list]
        )
        items = (
            NoteworthyItem.objects.select_related("issue")
            .defer(*rendering_fields("issue"))
            .prefetch_related("sources")
            .in_bulk([row.item_pk for row in news_page.object_list])
        )
        story_page.object_list = [
            stories[row.story_pk] for row in story_page.object_list if row.story_pk in stories
        ]
        news_page.object_list = [
            items[row.item_pk] for row in news_page.object_list if row.item_pk in items
        ]
        return super().get_context_data(story_page=story_page, news_page=news_page, **kwargs)

    def page(self, rows, count, parameter):
        paginator = KnownCountPaginator(rows.only("story_pk", "item_pk"), self.per_page, count)
        try:
            return paginator.page(self.request.GET.get(parameter, 1))
        except InvalidPage as error:
            raise Http404("No such page.") from error
