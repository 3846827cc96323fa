"""Home, archive, issue, story and document pages: published content only, the same for
every visitor (staff preview drafts and pending changes at their own addresses)."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from apps.addresses import slug_address

from .. import rendering, structured_data
from ..filters import IssueFilter
from ..markdown import plain_text
from ..models import Issue, PolicyDocument, Story, rendering_fields
from ..pagecache import serving_version
from ..paginators import RememberingPaginator
from ..prepared import Prepared


class HomeView(TemplateView):
    """The latest issue with its five headlines, then the issues before it."""

    template_name = "briefings/home.html"

    def get_context_data(self, **kwargs):
        issues = Issue.objects.published().order_by("-publication_date", "-id")
        latest = issues.defer(*rendering_fields()).prefetch_related("stories").first()
        recent = issues.only("title", "slug", "publication_date")[1:7] if latest else []
        return super().get_context_data(latest=latest, recent=recent, **kwargs)


class ArchiveView(FilterView):
    """Every published issue, grouped by year, filtered by year, agency, person, section."""

    filterset_class = IssueFilter
    template_name = "briefings/archive.html"
    context_object_name = "issues"
    paginate_by = 20

    def get_queryset(self):
        return Issue.objects.published().only("title", "slug", "publication_date")

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():  # shows no issues
            return super().get_paginator(queryset, per_page, **kwargs)
        data, names = self.filterset.data, sorted(self.filterset.filters)
        chosen = "&".join(f"{name}={data.get(name, '')}" for name in names)
        return RememberingPaginator(
            queryset, per_page, key=f"archive?{chosen}", date_field="publication_date", **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        context["filtered"] = any(query.values())
        return context


@dataclass(frozen=True)
class Neighbour:
    """The issue before or after, as its page links to it."""

    slug: str
    title: str

    def get_absolute_url(self):
        return slug_address("briefings:issue", slug=self.slug)


class IssueDetailView(DetailView):
    """A published issue in full, from its rendering (`apps.briefings.rendering`)."""

    template_name = "briefings/issue_detail.html"
    context_object_name = "issue"

    # The most read page: its query is compiled once per process (`prepared`), and reads
    # only what the page shows beside its rendered article (not the feed entry), with the
    # issues before and after it as found for the current content version.
    query = Prepared(
        lambda slug, now: (
            Issue.objects.published(now)
            .filter(slug=slug)
            .order_by()
            .only(
                "title",
                "slug",
                "publication_date",
                "updated_at",
                "hero_image",
                "rendered",
                "rendered_article",
                "neighbours",
            )
        ),
        slug=Issue._meta.get_field("slug"),
        now=Issue._meta.get_field("publish_at"),
    )

    def get_object(self, queryset=None):
        found = self.query(slug=self.kwargs["slug"], now=timezone.now())
        if not found:
            raise Http404("No published issue at this address.")
        return found[0]

    def get_context_data(self, **kwargs):
        issue = self.object
        rendered = rendering.of(issue)
        neighbours = rendering.neighbours(issue, serving_version())
        before, after = neighbours["previous"], neighbours["next"]
        return super().get_context_data(
            previous_issue=before and Neighbour(**before),
            next_issue=after and Neighbour(**after),
            article=issue.rendered_article,
            json_ld=structured_data.issue(issue, rendered, self.request),
            description=rendered["description"],
            **kwargs,
        )


class StoryDetailView(DetailView):
    """A permalink for one Top 5 story."""

    template_name = "briefings/story_detail.html"
    context_object_name = "story"

    def get_object(self, queryset=None):
        issue = get_object_or_404(
            Issue.objects.published().defer(*rendering_fields()).prefetch_related("stories"),
            slug=self.kwargs["issue_slug"],
        )
        story = get_object_or_404(
            Story.objects.with_document().filter(issue=issue), slug=self.kwargs["slug"]
        )
        story.issue = issue  # with its prefetched stories, for the contents
        return story

    def get_context_data(self, **kwargs):
        story = self.object
        return super().get_context_data(
            issue=story.issue,
            json_ld=structured_data.story(story, self.request),
            description=plain_text(story.glance_intro)[:300],
            **kwargs,
        )


class DocumentDetailView(DetailView):
    """A policy document and every published story that discussed it."""

    template_name = "briefings/document_detail.html"
    context_object_name = "document"
    queryset = PolicyDocument.objects.prefetch_related("issuers__agency")

    def get_context_data(self, **kwargs):
        stories = (
            Story.objects.published()
            .filter(document=self.object)
            .select_related("issue")
            .defer(*rendering_fields("issue"))
            .order_by("-issue__publication_date")
        )
        stories = list(stories)
        if not stories:
            raise Http404("No published story discusses this document.")
        return super().get_context_data(stories=stories, **kwargs)
