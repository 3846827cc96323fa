from django.contrib import admin
from django.db.models import Count
from import_export.admin import ImportExportModelAdmin

from apps.briefings.resources import AgencyResource

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(ImportExportModelAdmin):
    resource_classes = [AgencyResource]
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
