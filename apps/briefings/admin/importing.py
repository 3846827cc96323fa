"""Import a briefing's text (plain text, Markdown or a saved web page) as a draft issue,
with a preview of what would be created and every fragment that could not be placed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from ..forms import ImportBriefingForm
from ..importer.parse import NotABriefing
from ..importer.save import DuplicateBriefing, IncompleteBriefing, import_briefing


class ImportBriefingMixin:
    def import_urls(self, view):
        return [view(self.import_briefing_view, "import-briefing/", "import_briefing")]

    def import_briefing_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = ImportBriefingForm(
            request.POST if posted else None, request.FILES if posted else None
        )
        report = incomplete = None
        if posted and form.is_valid():
            dry_run = "_preview" in request.POST
            try:
                report = self._import(
                    request, form, dry_run=dry_run, incomplete="_incomplete" in request.POST
                )
            except IncompleteBriefing as error:
                # Not saved: shown as a preview, with a way to import it all the same.
                incomplete, dry_run = error.reasons, True
                report = self._import(request, form, dry_run=True)
            except (NotABriefing, DuplicateBriefing, PermissionDenied) as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            if report is not None:
                if not dry_run:
                    summary, *details = report.lines()
                    self.message_user(request, summary, messages.SUCCESS)
                    for line in details:
                        self.message_user(request, line, messages.WARNING)
                    return self._back(report.issue)
                form = ImportBriefingForm(initial=form.preview_initial())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a briefing",
            "form": form,
            "report": report,
            "incomplete": incomplete,
        }
        return TemplateResponse(request, "admin/briefings/issue/import_briefing.html", context)

    def _import(self, request, form, **options):
        return import_briefing(
            form.cleaned_data["data"],
            name=form.cleaned_data["name"],
            replace=form.cleaned_data["replace"],
            user=request.user,
            **options,
        )
