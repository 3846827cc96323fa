from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html_join

from .forms import NoteworthyItemForm, StoryForm, StoryFormSet
from .models import (
    TOP_FIVE,
    Credit,
    DocumentAgency,
    Issue,
    NoteworthyItem,
    PolicyDocument,
    Story,
)


class DocumentAgencyInline(admin.TabularInline):
    model = DocumentAgency
    autocomplete_fields = ["agency"]
    extra = 1


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label", "issuing_agencies", "date"]
    list_filter = ["label", ("date", admin.DateFieldListFilter)]
    search_fields = ["title_en", "title_zh", "issuers__agency__abbreviation"]
    date_hierarchy = "date"
    inlines = [DocumentAgencyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("issuers__agency")

    @admin.display(description="issued by")
    def issuing_agencies(self, document):
        return ", ".join(issuer.agency.abbreviation for issuer in document.issuers.all())


class StoryInline(admin.StackedInline):
    model = Story
    form = StoryForm
    formset = StoryFormSet
    max_num = len(TOP_FIVE)
    autocomplete_fields = ["document"]
    fieldsets = [
        (None, {"fields": ["position", "headline"]}),
        ("At a glance", {"fields": ["glance_intro", "glance_bullets", "glance_outro"]}),
        (None, {"fields": ["comment", "document"]}),
        ("Boxed explainer", {"fields": ["box_title", "box_body"], "classes": ["collapse"]}),
    ]

    def get_extra(self, request, obj=None, **kwargs):
        return len(TOP_FIVE) - (obj.stories.count() if obj else 0)


class NoteworthyInline(admin.TabularInline):
    model = NoteworthyItem
    form = NoteworthyItemForm
    fields = ["section", "date", "text", "sources", "cited_agencies", "position"]
    extra = 3


class CreditInline(admin.TabularInline):
    model = Credit
    autocomplete_fields = ["person"]
    fields = ["role", "person", "role_title", "position"]
    extra = 1


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Issue.objects.dates("publication_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(publication_date__year=int(self.value()))
        return queryset


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "publication_date", "state", "updated_at"]
    list_filter = ["status", YearFilter]
    search_fields = [
        "title",
        "slug",
        "stories__headline",
        "stories__document__title_en",
        "stories__document__title_zh",
    ]
    date_hierarchy = "publication_date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["state", "publish_at", "reading_time", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "publication_date", "standfirst"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        (
            "Publication",
            {"fields": ["state", "publish_at", "reading_time", "created_at", "updated_at"]},
        ),
        ("Editorial note", {"fields": ["editorial_note"], "classes": ["collapse"]}),
    ]
    inlines = [StoryInline, CreditInline, NoteworthyInline]
    actions = ["publish_issues", "unpublish_issues"]
    change_form_template = "admin/briefings/issue/change_form.html"

    def view_on_site(self, issue):
        return issue.get_absolute_url()

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, StoryInline):
            taken = set(obj.stories.values_list("position", flat=True)) if obj.pk else set()
            kwargs["initial"] = [{"position": p} for p in TOP_FIVE if p not in taken]
        return kwargs

    @admin.display(description="status")
    def state(self, issue):
        if issue.is_scheduled:
            return f"Scheduled for {issue.publish_at:%Y-%m-%d %H:%M}"
        return issue.get_status_display()

    @admin.display(description="reading time")
    def reading_time(self, issue):
        return f"{issue.reading_time()} min" if issue.pk else "–"

    # Publishing ------------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("briefings.publish_issue")

    @admin.action(description="Publish selected issues", permissions=["publish"])
    def publish_issues(self, request, queryset):
        refused = {issue: issue.publish_problems() for issue in queryset}
        refused = {issue: problems for issue, problems in refused.items() if problems}
        if refused:
            for issue, problems in refused.items():
                self._report_problems(request, issue, problems)
            self.message_user(request, "Nothing was published.", messages.ERROR)
            return
        with transaction.atomic():
            for issue in queryset:
                issue.publish()
        self.message_user(request, f"Published {len(queryset)} issue(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected issues", permissions=["publish"])
    def unpublish_issues(self, request, queryset):
        with transaction.atomic():
            for issue in queryset:
                issue.unpublish()
        self.message_user(request, f"Unpublished {len(queryset)} issue(s).", messages.SUCCESS)

    def _report_problems(self, request, issue, problems):
        self.message_user(
            request,
            format_html_join(
                "",
                "{}<br>",
                [(f"“{issue.title}” cannot be published:",)] + [(p,) for p in problems],
            ),
            messages.ERROR,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="briefings_issue_publish",
            ),
            path(
                "<path:object_id>/unpublish/",
                self.admin_site.admin_view(self.unpublish_view),
                name="briefings_issue_unpublish",
            ),
            *super().get_urls(),
        ]

    def _transition(self, request, object_id, change):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = get_object_or_404(Issue, pk=unquote(object_id))
        if not self.has_publish_permission(request, issue):
            raise PermissionDenied
        change(issue)
        return HttpResponseRedirect(reverse("admin:briefings_issue_change", args=[issue.pk]))

    def publish_view(self, request, object_id):
        def publish(issue):
            try:
                issue.publish()
            except ValidationError as error:
                self._report_problems(request, issue, error.messages)
            else:
                self.message_user(request, f"“{issue.title}” is published.", messages.SUCCESS)

        return self._transition(request, object_id, publish)

    def unpublish_view(self, request, object_id):
        def unpublish(issue):
            issue.unpublish()
            self.message_user(request, f"“{issue.title}” is back to draft.", messages.SUCCESS)

        return self._transition(request, object_id, unpublish)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = bool(obj) and self.has_publish_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
