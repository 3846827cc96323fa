from django.contrib import admin

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role_title", "organisation"]
    search_fields = ["name", "role_title", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
