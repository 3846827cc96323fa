"""An issue's parts: the inlines of its change form (Top 5 stories, credits, noteworthy
items), and lists of stories and noteworthy items across issues for finding, importing
and exporting them. Parts are written on their issue's page or by a spreadsheet import,
both through the editing layer."""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .. import editing, resources
from ..forms import TEXT_FIELDS, NoteworthyItemForm, StoryForm, StoryFormSet
from ..models import TOP_FIVE, Credit, NoteworthyItem, Story
from ..sources import format_sources
from .autocomplete import SafeAutocomplete
from .spreadsheets import SpreadsheetAdmin


class IssuePartInline:
    """An inline of an issue, editable only while its issue is."""

    formfield_overrides = TEXT_FIELDS

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and editing.may_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and editing.may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and editing.may_edit(request.user, obj)


class StoryInline(SafeAutocomplete, IssuePartInline, admin.StackedInline):
    model = Story
    template = "admin/briefings/issue/stories_inline.html"
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


class NoteworthyInline(IssuePartInline, admin.TabularInline):
    model = NoteworthyItem
    template = "admin/briefings/issue/noteworthy_inline.html"
    form = NoteworthyItemForm
    fields = ["section", "date", "text", "sources", "cited_agencies", "position"]
    readonly_fields = ["source_list", "agency_list"]
    extra = 1

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        # Read-only: the form's own fields give way to their displays.
        return ["section", "date", "text", "source_list", "agency_list", "position"]

    @admin.display(description="sources")
    def source_list(self, item):
        return format_sources(item.sources.all())

    @admin.display(description="cited agencies")
    def agency_list(self, item):
        return ", ".join(agency.abbreviation for agency in item.agencies.all())


class CreditInline(SafeAutocomplete, IssuePartInline, admin.TabularInline):
    model = Credit
    autocomplete_fields = ["person"]
    fields = ["role", "person", "role_title", "position"]
    extra = 1


class IssuePartAdmin(SpreadsheetAdmin):
    """A list of an issue's parts across issues: for finding, importing and exporting.
    They are written on their issue's page, where the version check applies; deleting
    one happens there too (the delete permission still lets an issue go with its parts)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        opts = self.opts
        return request.user.has_perm(
            f"{opts.app_label}.add_{opts.model_name}"
        ) and request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        part = get_object_or_404(self.model, pk=unquote(object_id))
        self.message_user(request, "Delete it on its issue's page.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:briefings_issue_change", args=[part.issue_id]))

    def process_result(self, result, request):
        response = super().process_result(result, request)
        for issue in getattr(result, "pending_issues", []):
            self.message_user(
                request,
                f"“{issue.title}” is live: the imported rows are kept as its pending changes. "
                "Publish them on its page.",
                messages.WARNING,
            )
        return response


@admin.register(Story)
class StoryAdmin(IssuePartAdmin):
    """Top 5 stories across issues."""

    resource_classes = [resources.StoryResource]
    list_display = ["headline", "position", "issue"]
    list_filter = [("issue__publication_date", admin.DateFieldListFilter), "issue__status"]
    search_fields = ["headline", "issue__title", "issue__slug"]
    list_select_related = ["issue"]


@admin.register(NoteworthyItem)
class NoteworthyItemAdmin(IssuePartAdmin):
    """Noteworthy items across issues."""

    resource_classes = [resources.NoteworthyItemResource]
    list_display = ["__str__", "section", "issue"]
    list_filter = ["section", ("date", admin.DateFieldListFilter)]
    search_fields = ["text", "issue__title", "issue__slug"]
    list_select_related = ["issue"]
    date_hierarchy = "date"
    fields = ["issue", "section", "date", "text", "source_list", "position"]
    readonly_fields = ["source_list"]

    @admin.display(description="sources")
    def source_list(self, item):
        return format_sources(item.sources.all())
