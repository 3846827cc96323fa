"""Build the POST data an admin change form would send, from the page's own forms."""

import datetime

from django.urls import reverse


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
    data = {bf.html_name: _value(bf) for bf in form}
    for bf in form:
        if bf.field.show_hidden_initial:  # sent back beside the field, as the page does
            if bf.html_initial_name in form.data:
                data[bf.html_initial_name] = form.data[bf.html_initial_name]
            else:
                initial = bf.initial
                data[bf.html_initial_name] = "" if initial is None else str(initial)
    return data


def admin_form_data(response):
    """Everything the change form shows, as the browser would submit it unchanged."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return {key: value for key, value in data.items() if value != "" or key.startswith("initial-")}


def change_url(issue):
    return reverse("admin:briefings_issue_change", args=[issue.pk])


def save_issue(client, issue, **changes):
    """Open the issue's change form, change what is given, save; the data sent."""
    data = admin_form_data(client.get(change_url(issue)))
    data.update(changes)
    response = client.post(change_url(issue), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return data
