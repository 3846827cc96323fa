"""Build the POST data an admin change form would send, from the page's own forms."""

import datetime


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, (list, tuple)):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(getattr(value, "pk", value))


def _form_data(form):
    return {bf.html_name: _value(bf) for bf in form}


def admin_form_data(response):
    """Everything the change form shows, as the browser would submit it unchanged."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return {key: value for key, value in data.items() if value != ""}
