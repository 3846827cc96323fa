"""Spreadsheet imports in the admin (django-import-export), within limits stated on the
page: a small file is previewed, then imported on confirmation, within the request; a file
over IMPORT_BACKGROUND_KB goes to a worker as a job (`apps.briefings.imports`), and the
editor follows it on the job's page."""

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm

from .. import imports
from ..formats import FORMATS, TooManyRows


class LimitedImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = imports.limits()

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; an import takes at most "
                f"{settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB. Split it into several files."
            )
        return upload


class SpreadsheetAdmin(ImportExportModelAdmin):
    """Import and export in the site's formats (formulas defused on export), with limits."""

    formats = FORMATS
    import_form_class = LimitedImportForm

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                upload = form.cleaned_data["import_file"]
                if upload.size > settings.IMPORT_BACKGROUND_BYTES:
                    return self._import_in_background(request, form, upload)
        return super().import_action(request, **kwargs)

    def _import_in_background(self, request, form, upload):
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
        job = imports.start_import(
            resource_class=self.choose_import_resource_class(form, request),
            file_format=file_format,
            upload=upload,
            user=request.user,
        )
        return HttpResponseRedirect(job.get_absolute_url())

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, TooManyRows):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)
