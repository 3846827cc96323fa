from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from .models import Issue

PUBLIC_CACHE = {"public": True, "max_age": 300}
PRIVATE_CACHE = {"private": True, "no_cache": True}


class PublicCacheMixin:
    """Published pages may be cached by anyone for five minutes."""

    def cache_headers(self):
        return PUBLIC_CACHE

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_cache_control(response, **self.cache_headers())
        return response


class IssueListView(PublicCacheMixin, ListView):
    template_name = "briefings/issue_list.html"
    context_object_name = "issues"
    paginate_by = 24

    def get_queryset(self):
        return Issue.objects.published().only("title", "slug", "publication_date")


class IssueDetailView(PublicCacheMixin, DetailView):
    """An issue in full. Staff also see drafts and scheduled issues here, as a preview."""

    template_name = "briefings/issue_detail.html"
    context_object_name = "issue"

    def get_queryset(self):
        issues = Issue.objects.all() if self.request.user.is_staff else Issue.objects.published()
        return issues.with_content()

    def cache_headers(self):
        return PUBLIC_CACHE if self.object.is_live else PRIVATE_CACHE
