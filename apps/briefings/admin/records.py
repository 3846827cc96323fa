"""Shared records: policy documents, agencies and people. Issues link to them; once a
published issue shows one, only editors may change it, and every change is kept (who,
when, before and after) and shown in the history of each issue that shows the record."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from apps.agencies.models import Agency
from apps.people.models import Person

from .. import editing, resources
from ..forms import TEXT_FIELDS
from ..models import DocumentAgency, PolicyDocument, RecordChange, Via
from .autocomplete import SafeAutocomplete
from .spreadsheets import SpreadsheetAdmin


class SharedRecordAdmin(SpreadsheetAdmin):
    """A record that issues link to: saved and deleted through the editing layer."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or editing.may_edit_record(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or editing.may_edit_record(request.user, obj)
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        record = self.get_object(request, unquote(object_id)) if object_id else self.model()
        if record is None:  # the admin answers a missing object itself
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic():
                session = editing.RecordEdit(record, user=request.user, via=Via.ADMIN).begin()
                request.record_edit = session
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if getattr(request, "record_saved", None) is None:
                    if hasattr(response, "render"):
                        response.render()  # inside the transaction, before it rolls back
                    transaction.set_rollback(True)
                else:
                    session.record = request.record_saved
                    session.finish()
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.record_saved = form.instance

    def delete_model(self, request, obj):
        editing.delete_record(obj, user=request.user, via=Via.ADMIN)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            editing.delete_record(record, user=request.user, via=Via.ADMIN)

    def history_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        changes = RecordChange.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=record.pk
        ).select_related("user")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": record,
            "title": f"Changes to {record}",
            "record_changes": changes,
        }
        return TemplateResponse(request, "admin/briefings/record_history.html", context)


class DocumentAgencyInline(SafeAutocomplete, admin.TabularInline):
    model = DocumentAgency
    autocomplete_fields = ["agency"]
    extra = 1

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)

    def _may(self, request, document):
        return document is None or editing.may_edit_record(request.user, document)


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SharedRecordAdmin):
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


@admin.register(Agency)
class AgencyAdmin(SharedRecordAdmin):
    resource_classes = [resources.AgencyResource]
    list_display = ["abbreviation", "name_en", "name_zh", "kind", "document_count"]
    list_filter = ["kind"]
    search_fields = ["abbreviation", "name_en", "name_zh"]
    prepopulated_fields = {"slug": ["abbreviation"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(document_count=Count("issued"))
            .order_by("abbreviation")
        )

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, agency):
        return agency.document_count


@admin.register(Person)
class PersonAdmin(SharedRecordAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ["name", "role_title", "organisation"]
    search_fields = ["name", "role_title", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
