"""Recovering a refused stale save in place.

Each compared text field of the issue form comes back with the value it showed when the
editor opened it (`forms.KeepsWhatItShowed`): the base. Against what a form opened now
shows (theirs) and what the editor sent (mine), each field is one of:

- changed by nobody, or only by me: mine stays;
- changed only by them: theirs goes into the form, so saving does not undo it;
- changed by both, differently: a conflict, shown beside the form with “Keep mine” (the
  default) and “Take theirs”.

The form comes back once more with the current version and theirs as its new base, so
the next save goes through with what the editor chose (`apply_choices`).
"""

from __future__ import annotations

import dataclasses
import re

from django.http import QueryDict

from .. import editing

INLINE_ID = re.compile(r"^(?P<prefix>stories|noteworthy_items)-(?P<index>\d+)-id$")
INLINE_LABELS = {"stories": "Top 5 story", "noteworthy_items": "Noteworthy item"}


@dataclasses.dataclass
class Conflict:
    name: str  # the field's name in the form, e.g. "stories-1-comment"
    label: str
    mine: str
    theirs: str


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _text(value) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n")


def current_values(model_admin, request, issue) -> dict[tuple, dict[str, tuple[str, str]]]:
    """What a form opened now shows of each compared field, by row — ("", "") for the
    issue's own fields, (prefix, id) for an inline's — then by field name: (label, value)."""
    values = {}
    with editing.working_copy(issue):
        obj = model_admin.get_object(request, str(issue.pk))
        form = model_admin.get_form(request, obj, change=True)(instance=obj)
        forms = [("", "", form)]
        for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
            prefix = formset_class.get_default_prefix()
            formset = formset_class(
                instance=obj, prefix=prefix, queryset=inline.get_queryset(request)
            )
            forms += [(prefix, str(f.instance.pk), f) for f in formset.initial_forms]
        for prefix, pk, each in forms:
            row = values.setdefault((prefix, pk), {})
            for name, field in each.fields.items():
                if field.show_hidden_initial:
                    label = str(field.label or name)
                    if prefix:
                        part = f"{INLINE_LABELS.get(prefix, prefix)} “{_brief(each.instance)}”"
                        label = f"{part}: {label}"
                    row[name] = (label, _text(each[name].value()))
    return values


def _brief(instance) -> str:
    text = str(instance)
    return text if len(text) <= 60 else text[:59] + "…"


def merge(post: QueryDict, current: dict, version: int) -> tuple[QueryDict, list[Conflict]]:
    """The form's data with their changes taken in, the current version and theirs as
    the new base; and the fields both changed."""
    # Where each row's fields are in the form: an inline's by the index its id was sent at.
    rows = {("", ""): ""}
    for key, value in post.items():
        if match := INLINE_ID.match(key):
            rows[(match["prefix"], value)] = f"{match['prefix']}-{match['index']}-"
    merged = post.copy()
    conflicts = []
    for row, form_prefix in rows.items():
        for name, (label, theirs) in current.get(row, {}).items():
            html_name = form_prefix + name
            initial = f"initial-{html_name}"
            if initial not in post:
                continue  # not shown as a field (read-only), or a form from before
            # A text field sent without a value is empty, as the form reads it.
            base, mine = _text(post[initial]), _text(post.get(html_name, ""))
            if _same(theirs, base):
                pass  # only mine changed, or nothing did
            elif _same(mine, base):
                merged[html_name] = theirs
            elif not _same(mine, theirs):
                conflicts.append(Conflict(html_name, label, mine, theirs))
            merged[initial] = theirs
    merged["loaded_version"] = str(version)
    return merged, conflicts


def apply_choices(post: QueryDict) -> QueryDict:
    """“Take theirs” chosen for a field: its value is theirs, which the form carries as
    the field's base since the conflict was shown."""
    chosen = [key.removeprefix("resolve-") for key, value in post.items()
              if key.startswith("resolve-") and value == "theirs"]  # fmt: skip
    if not chosen:
        return post
    post = post.copy()
    for name in chosen:
        if f"initial-{name}" in post:
            post[name] = post[f"initial-{name}"]
    return post


def is_stale(post: QueryDict, issue) -> bool:
    return post.get("loaded_version") not in (None, "", str(issue.version))
