from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from apps.briefings.resources import PersonResource

from .models import Person


@admin.register(Person)
class PersonAdmin(ImportExportModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "role_title", "organisation"]
    search_fields = ["name", "role_title", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
