"""Form widgets: for the public pages, and the admin's autocomplete fields made safe."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """A <select> rendered in Python: the archive's filters have dozens of options, and
    Django renders each option through a template of its own, which costs more than the
    rest of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, " selected" if str(option_value) in chosen else "", label)
                for option_value, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", forms.utils.flatatt(attrs), options)


class _OddValuesLeftOut:
    """Django's autocomplete widgets look the chosen values up again to show them when a
    form comes back with errors; a value that is not an id at all (`abc` for a number, or a
    number too large for the database) makes that lookup fail with a 500. Such values are
    left out of the lookup instead: the form says the choice is not valid, as any select
    would."""

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        return super().optgroups(name, [v for v in value if could_be(target, v)], attr)


def could_be(field, value) -> bool:
    """Whether `value` could be stored in the model field `field`: of its type and, for a
    number, within the database's range (the field's own validators know that range)."""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class SafeAutocompleteSelect(_OddValuesLeftOut, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_OddValuesLeftOut, AutocompleteSelectMultiple):
    pass
