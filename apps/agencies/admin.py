from django.contrib import admin
from django.db.models import Count

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
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
