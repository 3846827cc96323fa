"""Autocomplete fields that survive odd values (see `widgets.SafeAutocompleteSelect`)."""

from ..widgets import SafeAutocompleteSelect


class SafeAutocomplete:
    """For admins and inlines with `autocomplete_fields`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
