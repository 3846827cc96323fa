"""Previews: staff see an issue as it will read — a draft, a scheduled issue, or a live
issue with its pending changes — at its own address, and a share link shows the same to
a reviewer without an account. Nothing here is cached, indexed or linked from public
pages."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from .. import editing, rendering, sharing
from ..filters import agency_ids_in_print, person_ids_in_print
from ..models import Issue


def _banner(issue, shared):
    if issue.pending_revision_id:
        text = "Preview of changes not yet published: readers still see the published issue."
    elif issue.is_live:
        return "Preview: this is the issue as published." if not shared else ""
    elif issue.is_scheduled:
        text = f"Preview: this issue is not published until {issue.publish_at:%d %B %Y, %H:%M}."
    else:
        text = "Preview: this issue is not published."
    if shared:
        text = "Shared p" + text[1:] + " Please don’t pass this link on."
    return text


def _render(request, issue, shared):
    # Agencies and people with a public page: those published issues show. Read before the
    # pending changes are applied below; a draft's newcomers are not linked.
    public = {
        "public_agencies": set(agency_ids_in_print()),
        "public_people": set(person_ids_in_print()),
    }
    with editing.working_copy(issue):
        issue = Issue.objects.with_content().get(pk=issue.pk)
        context = {
            "issue": issue,
            "preview": True,
            "shared": shared,
            "banner": _banner(issue, shared),
            "description": rendering.description(issue),
            **public,
        }
        response = render(request, "briefings/issue_detail.html", context)
    _private(response)
    return response


def _private(response):
    # Nobody may keep, index or pass on what a preview shows.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"


@staff_member_required
def staff_preview(request, pk):
    issue = get_object_or_404(Issue.objects.select_related("pending_revision"), pk=pk)
    if not request.user.has_perm("briefings.view_issue"):
        raise PermissionDenied
    return _render(request, issue, shared=False)


def share_preview(request, token):
    """An issue shown to whoever holds a valid share link, and nothing else."""
    try:
        link = sharing.resolve(token)
    except sharing.Invalid as error:
        raise Http404("No such share link.") from error
    except sharing.Gone:
        response = render(request, "briefings/share_gone.html", status=410)
        _private(response)
        return response
    issue = Issue.objects.select_related("pending_revision").get(pk=link.issue_id)
    return _render(request, issue, shared=True)
