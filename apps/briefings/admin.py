import datetime

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join
from import_export.admin import ImportExportModelAdmin
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from . import history, resources, revisions, sharing, workflow
from .forms import (
    TEXT_FIELDS,
    ImportBriefingForm,
    IssueForm,
    NoteworthyItemForm,
    StoryForm,
    StoryFormSet,
)
from .importer.parse import NotABriefing
from .importer.save import DuplicateBriefing, import_briefing
from .models import (
    TOP_FIVE,
    Credit,
    DocumentAgency,
    Issue,
    IssueTransition,
    NoteworthyItem,
    PolicyDocument,
    ShareLink,
    Story,
)
from .sources import format_sources


class DocumentAgencyInline(admin.TabularInline):
    model = DocumentAgency
    autocomplete_fields = ["agency"]
    extra = 1


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ImportExportModelAdmin):
    resource_classes = [resources.PolicyDocumentResource]
    formfield_overrides = TEXT_FIELDS
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


def can_edit(user, issue):
    """Contributors edit drafts and issues in review; published ones only editors."""
    if issue is None or issue.status != Issue.Status.PUBLISHED:
        return True
    return user.has_perm(workflow.PUBLISH)


class IssuePartInline:
    """An inline of an issue, editable only while its issue is."""

    formfield_overrides = TEXT_FIELDS

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_edit(request.user, obj)


class StoryInline(IssuePartInline, admin.StackedInline):
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


class NoteworthyInline(IssuePartInline, admin.TabularInline):
    model = NoteworthyItem
    form = NoteworthyItemForm
    fields = ["section", "date", "text", "sources", "cited_agencies", "position"]
    readonly_fields = ["source_list", "agency_list"]
    extra = 3

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


class CreditInline(IssuePartInline, admin.TabularInline):
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


PRESENCE_MINUTES = 20
revisions.register()  # before VersionAdmin would register the models its own way


@admin.register(Issue)
class IssueAdmin(VersionAdmin):
    form = IssueForm
    formfield_overrides = TEXT_FIELDS
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
        (None, {"fields": ["title", "slug", "publication_date", "standfirst", "loaded_version"]}),
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
    change_list_template = "admin/briefings/issue/change_list.html"
    object_history_template = "admin/briefings/issue/object_history.html"
    history_latest_first = True

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
            return f"Scheduled for {timezone.localtime(issue.publish_at):%Y-%m-%d %H:%M}"
        return issue.get_status_display()

    @admin.display(description="reading time")
    def reading_time(self, issue):
        return f"{issue.reading_time()} min" if issue.pk else "–"

    # Permissions -----------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_edit(request.user, obj)

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm(workflow.PUBLISH)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not self.has_publish_permission(request):
            actions.pop("delete_selected", None)  # it could reach published issues
        return actions

    # Publishing from the list ------------------------------------------------------------

    @admin.action(description="Publish selected issues", permissions=["publish"])
    def publish_issues(self, request, queryset):
        refused = {issue: issue.publish_problems() for issue in queryset}
        refused = {issue: problems for issue, problems in refused.items() if problems}
        if refused:
            for issue, problems in refused.items():
                self._report_problems(request, issue, problems)
            self.message_user(request, "Nothing was published.", messages.ERROR)
            return
        issues = [issue for issue in queryset if issue.state != "published"]
        for issue in issues:
            workflow.apply(issue, "publish", request.user)
        self.message_user(request, f"Published {len(issues)} issue(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected issues", permissions=["publish"])
    def unpublish_issues(self, request, queryset):
        issues = [issue for issue in queryset if issue.state in ("published", "scheduled")]
        for issue in issues:
            workflow.apply(issue, "unpublish", request.user)
        self.message_user(request, f"Unpublished {len(issues)} issue(s).", messages.SUCCESS)

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

    # Views -----------------------------------------------------------------------------

    def get_urls(self):
        def view(function, route, name):
            return path(
                route, self.admin_site.admin_view(function), name=f"briefings_issue_{name}"
            )

        return [
            view(self.workflow_view, "<path:object_id>/workflow/", "workflow"),
            view(self.share_view, "<path:object_id>/share/", "share"),
            view(self.revoke_view, "<path:object_id>/share/<int:link_id>/revoke/", "revoke"),
            view(self.compare_view, "<path:object_id>/history/compare/", "compare"),
            view(self.import_briefing_view, "import-briefing/", "import_briefing"),
            *super().get_urls(),
        ]

    def _back(self, issue):
        return HttpResponseRedirect(reverse("admin:briefings_issue_change", args=[issue.pk]))

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = get_object_or_404(Issue, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        action = request.POST.get("action", "")
        at = None
        if request.POST.get("publish_at"):
            at = parse_datetime(request.POST["publish_at"])
            if at is None:
                self.message_user(request, "Give the time as YYYY-MM-DD HH:MM.", messages.ERROR)
                return self._back(issue)
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        try:
            _, issue = workflow.apply(issue, action, request.user, at=at)
        except ValidationError as error:
            if action in ("publish", "schedule"):
                self._report_problems(request, issue, error.messages)
            else:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            label = workflow.TRANSITIONS[action].label
            self.message_user(
                request, f"{label}: “{issue.title}” is now {issue.state}.", messages.SUCCESS
            )
        return self._back(issue)

    def share_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = get_object_or_404(Issue, pk=unquote(object_id))
        if not request.user.has_perm("briefings.add_sharelink"):
            raise PermissionDenied
        link = sharing.create(issue, request.user)
        url = request.build_absolute_uri(sharing.url(link))
        self.message_user(request, f"Share link, valid for {sharing.DAYS} days: {url}")
        return self._back(issue)

    def revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        link = get_object_or_404(ShareLink, pk=link_id, issue_id=unquote(object_id))
        if not request.user.has_perm("briefings.change_sharelink"):
            raise PermissionDenied
        sharing.revoke(link)
        self.message_user(request, "The share link is revoked.")
        return self._back(link.issue)

    def compare_view(self, request, object_id):
        issue = get_object_or_404(Issue, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        revisions = Revision.objects.filter(
            version__in=Version.objects.get_for_object(issue)
        ).select_related("user")
        try:
            older = revisions.get(pk=request.GET.get("from"))
            newer = revisions.get(pk=request.GET.get("to"))
        except (Revision.DoesNotExist, ValueError, TypeError):
            self.message_user(
                request, "Choose two revisions of this issue to compare.", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:briefings_issue_history", args=[issue.pk]))
        if older.date_created > newer.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "title": f"Changes to “{issue.title}”",
            "older": older,
            "newer": newer,
            "changes": history.compare(older, newer),
        }
        return TemplateResponse(request, "admin/briefings/issue/compare.html", context)

    # Restoring a revision keeps the issue's workflow state and version as they are now:
    # VersionAdmin reverts the whole revision, then runs the change form on the result.
    WORKFLOW_FIELDS = ["status", "publish_at", "version"]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.issue_workflow = (
            Issue.objects.filter(pk=unquote(object_id)).values(*self.WORKFLOW_FIELDS).first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        workflow_state = getattr(request, "issue_workflow", None)
        if object_id and workflow_state:
            Issue.objects.filter(pk=unquote(object_id)).update(**workflow_state)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def import_briefing_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportBriefingForm(
            request.POST if posted else None, request.FILES if posted else None
        )
        if posted and form.is_valid():
            try:
                report = import_briefing(
                    form.cleaned_data["data"],
                    name=form.cleaned_data["name"],
                    replace=form.cleaned_data["replace"],
                )
            except (NotABriefing, DuplicateBriefing) as error:
                form.add_error(None, str(error))
            else:
                summary, *details = report.lines()
                self.message_user(request, summary, messages.SUCCESS)
                for line in details:
                    self.message_user(request, line, messages.WARNING)
                return self._back(report.issue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a briefing",
            "form": form,
        }
        return TemplateResponse(request, "admin/briefings/issue/import_briefing.html", context)

    def history_view(self, request, object_id, extra_context=None):
        transitions = IssueTransition.objects.filter(issue_id=unquote(object_id)).select_related(
            "user"
        )
        return super().history_view(request, object_id, {"transitions": transitions})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        issue = Issue.objects.filter(pk=unquote(object_id)).first()
        if issue is not None:
            extra_context["transitions"] = workflow.available(issue, request.user)
            extra_context["share_links"] = [
                (link, request.build_absolute_uri(sharing.url(link)))
                for link in issue.share_links.all()
                if link.is_active
            ]
            extra_context["can_share"] = request.user.has_perm("briefings.add_sharelink")
            extra_context["others_editing"] = self._presence(request, issue)
            extra_context["now"] = timezone.localtime()
        return super().change_view(request, object_id, form_url, extra_context)

    def _presence(self, request, issue):
        """Who else opened this issue in the last minutes (kept in the shared cache)."""
        key = f"issue-open:{issue.pk}"
        now = timezone.now()
        seen = {
            user_id: (name, at)
            for user_id, (name, at) in (cache.get(key) or {}).items()
            if now - at < datetime.timedelta(minutes=PRESENCE_MINUTES)
        }
        others = [(name, at) for user_id, (name, at) in seen.items() if user_id != request.user.pk]
        if request.method == "GET":
            name = request.user.get_full_name() or request.user.get_username()
            seen[request.user.pk] = (name, now)
            cache.set(key, seen, PRESENCE_MINUTES * 60)
        return others


class IssuePartAdmin(ImportExportModelAdmin):
    """A list of an issue's parts across issues. Deleting one happens on its issue's page
    (the delete permission still lets an issue be deleted with its parts)."""

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        part = get_object_or_404(self.model, pk=unquote(object_id))
        self.message_user(request, "Delete it on its issue's page.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:briefings_issue_change", args=[part.issue_id]))


@admin.register(Story)
class StoryAdmin(IssuePartAdmin):
    """Top 5 stories across issues: for finding, importing and exporting."""

    resource_classes = [resources.StoryResource]
    list_display = ["headline", "position", "issue"]
    list_filter = [("issue__publication_date", admin.DateFieldListFilter), "issue__status"]
    search_fields = ["headline", "issue__title", "issue__slug"]
    list_select_related = ["issue"]

    # Stories are written on their issue's page, where revisions and version checks
    # apply; here they are found, imported and exported.
    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return request.user.has_perm("briefings.add_story") and request.user.has_perm(
            "briefings.change_story"
        )

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NoteworthyItem)
class NoteworthyItemAdmin(IssuePartAdmin):
    """Noteworthy items across issues: for finding, importing and exporting."""

    resource_classes = [resources.NoteworthyItemResource]
    list_display = ["__str__", "section", "issue"]
    list_filter = ["section", ("date", admin.DateFieldListFilter)]
    search_fields = ["text", "issue__title", "issue__slug"]
    list_select_related = ["issue"]
    date_hierarchy = "date"
    fields = ["issue", "section", "date", "text", "source_list", "position"]
    readonly_fields = ["source_list"]

    # Written on their issue's page; here found, imported and exported.
    def has_add_permission(self, request):
        return False

    @admin.display(description="sources")
    def source_list(self, item):
        return format_sources(item.sources.all())

    def has_import_permission(self, request):
        return request.user.has_perm("briefings.add_noteworthyitem") and request.user.has_perm(
            "briefings.change_noteworthyitem"
        )

    def has_change_permission(self, request, obj=None):
        return False
