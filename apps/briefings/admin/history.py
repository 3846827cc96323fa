"""An issue's history: its revisions (each the whole issue after one change, with who,
when and how), its workflow steps, the changes to the documents, agencies and people it
shows; comparing any two contents (“Compare with live” for pending changes); restoring a
revision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .. import content, editing, history
from ..models import IssueTransition, Revision


class IssueHistoryMixin:
    def history_urls(self, view):
        return [
            view(self.compare_view, "<path:object_id>/history/compare/", "compare"),
            view(
                self.revision_view,
                "<path:object_id>/history/<int:revision_id>/",
                "revision",
            ),
        ]

    def _history_issue(self, request, object_id):
        issue = self._issue(object_id)
        if issue is not None and not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return issue

    def _context(self, request, issue, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "object": issue,
            "title": title,
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        issue = self._history_issue(request, object_id)
        if issue is None:
            return self._missing(request)
        revisions = list(issue.revisions.select_related("user"))
        transitions = IssueTransition.objects.filter(issue=issue).select_related("user")
        record_changes = editing.record_history(content.snapshot(issue))
        if issue.pending_revision is not None:
            record_changes = {
                *record_changes,
                *editing.record_history(issue.pending_revision.content),
            }
            record_changes = sorted(record_changes, key=lambda c: c.at, reverse=True)
        context = self._context(
            request,
            issue,
            f"History of “{issue.title}”",
            revisions=revisions,
            transitions=transitions,
            record_changes=record_changes,
            pending_id=issue.pending_revision_id,
        )
        return TemplateResponse(request, "admin/briefings/issue/object_history.html", context)

    def _content(self, issue, key):
        """A content to compare: “live” (the issue's rows now), “pending”, or a revision."""
        if key in ("live", "current"):
            return content.snapshot(issue), "the issue as it is now"
        if key == "pending":
            if issue.pending_revision is None:
                raise LookupError
            return issue.pending_revision.content, "the pending changes"
        revision = issue.revisions.select_related("user").get(pk=int(key))
        when = timezone.localtime(revision.created_at)
        return revision.content, f"the revision of {when:%d %B %Y, %H:%M} by {revision.author}"

    def compare_view(self, request, object_id):
        issue = self._history_issue(request, object_id)
        if issue is None:
            return self._missing(request)
        try:
            older, older_name = self._content(issue, request.GET.get("from", ""))
            newer, newer_name = self._content(issue, request.GET.get("to", ""))
        except (LookupError, Revision.DoesNotExist, ValueError, TypeError):
            self.message_user(
                request, "Choose two revisions of this issue to compare.", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:briefings_issue_history", args=[issue.pk]))
        context = self._context(
            request,
            issue,
            f"Changes to “{issue.title}”",
            older_name=older_name,
            newer_name=newer_name,
            changes=history.compare(older, newer),
        )
        return TemplateResponse(request, "admin/briefings/issue/compare.html", context)

    def revision_view(self, request, object_id, revision_id):
        issue = self._history_issue(request, object_id)
        if issue is None:
            return self._missing(request)
        revision = get_object_or_404(issue.revisions.select_related("user"), pk=revision_id)
        if request.method == "POST":
            return self._restore(request, issue, revision)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "POST"])
        current = issue.pending_revision.content if issue.pending_revision else None
        current = current or content.snapshot(issue)
        context = self._context(
            request,
            issue,
            f"Revision of “{issue.title}”",
            revision=revision,
            changes=history.compare(current, revision.content),
            may_restore=self.has_change_permission(request, issue),
            goes_pending=issue.is_live,
        )
        return TemplateResponse(request, "admin/briefings/issue/revision.html", context)

    def _restore(self, request, issue, revision):
        try:
            editing.restore(
                issue,
                revision,
                user=request.user,
                base_version=request.POST.get("loaded_version") or None,
            )
        except PermissionDenied as error:
            self.message_user(request, str(error) or "You may not change it.", messages.ERROR)
        except ValidationError as error:
            self.message_user(
                request,
                "The revision was not restored: " + " ".join(error.messages),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        else:
            if issue.is_live:
                text = "The revision is restored as pending changes: publish them to go live."
            else:
                text = "The revision is restored."
            self.message_user(request, text, messages.SUCCESS)
        return self._back(issue)
