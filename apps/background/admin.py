from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.html import format_html

from . import jobs
from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs as the people who started them follow them: read only, retried when failed.
    Everyone sees their own jobs and the image sizes uploads need; superusers see all.
    Whoever sees a job may retry it."""

    list_display = ["title", "status", "progress", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    change_form_template = "admin/background/job/change_form.html"
    view_on_site = False  # its own page is here
    list_select_related = ["created_by"]

    def get_queryset(self, request):
        jobs = super().get_queryset(request).defer("data")
        if request.user.is_superuser:
            return jobs
        # Their own, and the image sizes every editor's uploads need.
        return jobs.filter(Q(created_by=request.user) | Q(kind=Job.Kind.RENDITIONS))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.finished)

    @admin.display(description="progress")
    def progress(self, job):
        return job.summary()

    change_list_template = "admin/background/job/change_list.html"

    def get_urls(self):
        retry = self.admin_site.admin_view(self.retry_view)
        start = self.admin_site.admin_view(self.start_view)
        return [path("<path:object_id>/retry/", retry, name="background_job_retry"),
                path("start/<str:kind>/", start, name="background_job_start"),
                *super().get_urls()]  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        extra = {"may_start": request.user.is_superuser, **(extra_context or {})}
        return super().changelist_view(request, extra)

    def start_view(self, request, kind):
        """Back up now, or run a restore drill: superusers, by POST."""
        if request.method != "POST" or not request.user.is_superuser:
            raise PermissionDenied
        if kind not in (Job.Kind.BACKUP, Job.Kind.DRILL):
            raise Http404
        job = jobs.start(Job(kind=kind, title=Job.Kind(kind).label, created_by=request.user))
        self.message_user(request, f"“{job.title}” is queued.", messages.SUCCESS)
        return HttpResponseRedirect(job.get_absolute_url())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, unquote(object_id))
        extra = {
            "job": job,
            "may_retry": job is not None and self._may_retry(request, job),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def retry_view(self, request, object_id):
        job = self.get_object(request, unquote(object_id))  # None for an odd address
        if job is None:
            raise Http404("No such job.")
        if request.method != "POST" or not self._may_retry(request, job):
            raise PermissionDenied
        jobs.retry(job)
        self.message_user(request, format_html("“{}” is queued again.", job.title),
                          messages.SUCCESS)  # fmt: skip
        return HttpResponseRedirect(job.get_absolute_url())

    def _may_retry(self, request, job):
        # `job` came through get_queryset: it is one this person may see, and so retry.
        return job.status == Job.Status.FAILED
