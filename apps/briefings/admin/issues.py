"""The issue's change form, list, workflow, share links and pending changes.

Every save goes through apps.briefings.editing: the change form runs inside an
`IssueChange`, so the version check, the rules of the issue's state and the revision
apply to the form and its inlines alike. On a live issue the form edits the issue's
pending content; readers keep the live issue until an editor presses “Publish changes”.
"""

import datetime
import json

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join

from .. import editing, sharing, workflow
from ..forms import TEXT_FIELDS, IssueForm, kept_instances
from ..models import Issue, ShareLink, Via, author_name
from . import conflicts
from .history import IssueHistoryMixin
from .importing import ImportBriefingMixin
from .parts import CreditInline, NoteworthyInline, StoryInline

PRESENCE_MINUTES = 20


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


class StateFilter(admin.SimpleListFilter):
    """The workflow's states, scheduled included (a published issue whose time is to come)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATE_LABELS.items())

    def queryset(self, request, queryset):
        state = self.value()
        if state == "scheduled":
            return queryset.scheduled()
        if state == "published":
            return queryset.published()
        if state in (Issue.Status.DRAFT, Issue.Status.IN_REVIEW):  # the state is the status
            return queryset.filter(status=state)
        return queryset


STATE_LABELS = {
    "draft": "Draft",
    "review": "In review",
    "scheduled": "Scheduled",
    "published": "Published",
}
# "… is now in review."
STATE_WORDS = {**{k: v.lower() for k, v in STATE_LABELS.items()}, "draft": "a draft"}


class PendingFilter(admin.SimpleListFilter):
    title = "pending changes"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("yes", "Pending changes"), ("review", "Pending changes in review")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pending_revision__isnull=False)
        if self.value() == "review":
            return queryset.filter(pending_revision__isnull=False, pending_in_review=True)
        return queryset


@admin.register(Issue)
class IssueAdmin(IssueHistoryMixin, ImportBriefingMixin, admin.ModelAdmin):
    form = IssueForm
    formfield_overrides = TEXT_FIELDS
    list_display = ["title", "publication_date", "state", "updated_at"]
    list_filter = [StateFilter, PendingFilter, YearFilter]
    list_select_related = ["pending_revision"]
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

    def view_on_site(self, issue):
        if issue.is_live and not issue.pending_revision_id:
            return issue.get_absolute_url()
        return reverse("briefings:preview", kwargs={"pk": issue.pk})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, StoryInline):
            taken = set(obj.stories.values_list("position", flat=True)) if obj.pk else set()
            kwargs["initial"] = [{"position": p} for p in range(1, 6) if p not in taken]
        return kwargs

    @admin.display(description="status")
    def state(self, issue):
        if issue.is_scheduled:
            text = f"Scheduled for {timezone.localtime(issue.publish_at):%Y-%m-%d %H:%M}"
        else:
            text = issue.get_status_display()
        if issue.pending_revision_id:
            text += ", changes in review" if issue.pending_in_review else ", changes pending"
        return text

    @admin.display(description="reading time")
    def reading_time(self, issue):
        return f"{issue.reading_time()} min" if issue.pk else "–"

    # Permissions -----------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and editing.may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or editing.may_delete(request.user, obj)
        )

    def has_publish_permission(self, request, obj=None):
        return editing.may_publish(request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not self.has_publish_permission(request):
            actions.pop("delete_selected", None)  # it could reach published issues
        return actions

    def delete_model(self, request, obj):
        editing.delete_issue(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for issue in queryset:
            editing.delete_issue(issue, user=request.user)

    # Saving through the editing layer ----------------------------------------------------

    def _issue(self, object_id):
        if object_id is None:
            return None
        try:
            return (
                Issue.objects.select_related("pending_revision")
                .filter(pk=unquote(object_id))
                .first()
            )
        except (ValueError, ValidationError):
            return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        issue = self._issue(object_id)
        if object_id is not None and issue is None:  # the admin says it is missing
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method != "POST":
            if issue is None:
                return super().changeform_view(request, object_id, form_url, extra_context)
            # Editors edit a live issue's pending content, not the live one.
            with editing.working_copy(issue):
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if hasattr(response, "render"):
                    response.render()
            return response
        if issue is not None:
            request.POST = conflicts.apply_choices(request.POST)
            if conflicts.is_stale(request.POST, issue):
                # Refused once more, but with their changes taken in and the fields both
                # changed set side by side, so nobody retypes anything.
                current = conflicts.current_values(self, request, issue)
                request.POST, found = conflicts.merge(request.POST, current, issue.version)
                request.issue_conflicts = found
                extra_context = {**(extra_context or {}), "conflicts": found}
        try:
            with editing.change(issue, user=request.user, via=Via.ADMIN) as change:
                request.issue_change = change
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if not getattr(request, "issue_saved", False):
                    if hasattr(response, "render"):
                        response.render()  # the form with its errors, before the rollback
                    change.abandon()
        except ValidationError as error:  # a rule the forms could not see
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        if getattr(request, "issue_saved", False) and change.pending:
            if change.revision is not None:
                self.message_user(
                    request,
                    "The issue is live, so your changes are pending: readers see them once "
                    "an editor publishes them.",
                    messages.WARNING,
                )
            if "_publish" in request.POST:
                return self._publish_changes(request, change.issue)
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        found = getattr(request, "issue_conflicts", None)
        if found is None:
            return form
        return type(form.__name__, (form,), {"conflicts": found})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request.issue_change.attach(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.issue_saved = True

    def log_addition(self, request, obj, message):
        self._summarise(request, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._summarise(request, message)
        return super().log_change(request, obj, message)

    def _summarise(self, request, message):
        change = getattr(request, "issue_change", None)
        if change is not None:
            text = message if isinstance(message, str) else json.dumps(message)
            change.summary = LogEntry(change_message=text).get_change_message()

    def _publish_changes(self, request, issue):
        try:
            editing.publish_changes(
                issue, user=request.user, note=request.POST.get("correction_note", "")
            )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        except ValidationError as error:
            self._report_problems(request, issue, error.messages, verb="updated")
        else:
            self.message_user(request, f"Published the changes to “{issue.title}”.")
        return self._back(issue)

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
            editing.transition(issue, "publish", user=request.user)
        self.message_user(request, f"Published {len(issues)} issue(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected issues", permissions=["publish"])
    def unpublish_issues(self, request, queryset):
        issues = [issue for issue in queryset if issue.state in ("published", "scheduled")]
        for issue in issues:
            editing.transition(issue, "unpublish", user=request.user)
        self.message_user(request, f"Unpublished {len(issues)} issue(s).", messages.SUCCESS)

    def _report_problems(self, request, issue, problems, verb="published"):
        self.message_user(
            request,
            format_html_join(
                "",
                "{}<br>",
                [(f"“{issue.title}” cannot be {verb}:",)] + [(p,) for p in problems],
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
            view(self.checklist_view, "<path:object_id>/checklist/", "checklist"),
            view(self.share_view, "<path:object_id>/share/", "share"),
            view(self.revoke_view, "<path:object_id>/share/<int:link_id>/revoke/", "revoke"),
            *self.history_urls(view),
            *self.import_urls(view),
            *super().get_urls(),
        ]

    def _back(self, issue):
        return HttpResponseRedirect(reverse("admin:briefings_issue_change", args=[issue.pk]))

    PENDING_ACTIONS = {
        "submit_changes": (editing.submit_changes, "The changes are submitted for review."),
        "discard_changes": (editing.discard_changes, "The pending changes are discarded."),
    }

    def workflow_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(object_id)
        if issue is None:
            return self._missing(request)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action in self.PENDING_ACTIONS:
            function, done = self.PENDING_ACTIONS[action]
            try:
                function(issue, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(request, done)
            return self._back(issue)
        at = None
        if request.POST.get("publish_at"):
            try:
                at = parse_datetime(request.POST["publish_at"].strip())
            except ValueError:  # well formed, but no such time (30 February, +99:00)
                at = None
            if at is None:
                self.message_user(
                    request,
                    f"“{request.POST['publish_at'][:40]}” is not a time that exists. "
                    "Give the time as YYYY-MM-DD HH:MM.",
                    messages.ERROR,
                )
                return self._back(issue)
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        try:
            _, issue = editing.transition(issue, action, user=request.user, at=at)
        except ValidationError as error:
            if action in ("publish", "schedule"):
                self._report_problems(request, issue, error.messages)
            else:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            label = workflow.TRANSITIONS[action].label
            self.message_user(
                request,
                f"{label}: “{issue.title}” is now {STATE_WORDS[issue.state]}.",
                messages.SUCCESS,
            )
        return self._back(issue)

    def checklist_view(self, request, object_id):
        """The publish checklist of what the form holds now, unsaved: the form posts itself
        here as the editor types (static/js/checklist.js); nothing is written."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(object_id)
        if issue is None:
            raise Http404("No such issue.")
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        parts = {}
        for formset_class, inline in self.get_formsets_with_inlines(request, issue):
            prefix = formset_class.get_default_prefix()
            formset = formset_class(
                request.POST, instance=issue, prefix=prefix, queryset=inline.get_queryset(request)
            )
            try:
                formset.is_valid()  # fills each form's instance with what it holds
                parts[prefix] = kept_instances(formset)
            except ValidationError:  # a management form tampered with
                parts[prefix] = []
        problems = issue.publish_problems(
            stories=parts.get("stories", []), credits=parts.get("credits", [])
        )
        return JsonResponse({"problems": [str(problem) for problem in problems]})

    def _missing(self, request):
        self.message_user(request, "That issue does not exist.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:briefings_issue_changelist"))

    def share_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(object_id)
        if issue is None:
            return self._missing(request)
        if not request.user.has_perm("briefings.add_sharelink"):
            raise PermissionDenied
        link = sharing.create(issue, request.user)
        url = request.build_absolute_uri(sharing.url(link))
        self.message_user(request, f"Share link, valid for {sharing.DAYS} days: {url}")
        return self._back(issue)

    def revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._issue(object_id)
        if issue is None:
            return self._missing(request)
        link = get_object_or_404(ShareLink, pk=link_id, issue=issue)
        if not request.user.has_perm("briefings.change_sharelink"):
            raise PermissionDenied
        sharing.revoke(link)
        self.message_user(request, "The share link is revoked.")
        return self._back(link.issue)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        issue = self._issue(object_id)
        if issue is not None:
            pending = issue.pending_revision
            extra_context.update(
                transitions=workflow.available(issue, request.user),
                share_links=[
                    (link, request.build_absolute_uri(sharing.url(link)))
                    for link in issue.share_links.all()
                    if link.is_active
                ],
                can_share=request.user.has_perm("briefings.add_sharelink"),
                others_editing=self._presence(request, issue),
                now=timezone.localtime(),
                office_zone=settings.TIME_ZONE,
                checklist=None if issue.is_live else issue.publish_problems(),
                pending=pending,
                may_publish_changes=issue.is_live and editing.may_publish(request.user),
                preview_url=reverse("briefings:preview", kwargs={"pk": issue.pk}),
            )
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
            seen[request.user.pk] = (author_name(request.user), now)
            cache.set(key, seen, PRESENCE_MINUTES * 60)
        return others
