"""A readable comparison of two revisions of an issue, object by object, field by field."""

import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Credit, Issue, NoteworthyAgency, NoteworthyItem, SourceLink, Story

# The order in which an editor reads an issue.
ORDER = [Issue, Story, NoteworthyItem, SourceLink, NoteworthyAgency, Credit]
# Identity and bookkeeping; the workflow has its own log.
HIDDEN_FIELDS = {
    "id", "issue", "item", "status", "publish_at", "version", "created_at", "updated_at",
}  # fmt: skip


@dataclass
class FieldChange:
    name: str
    before: str
    after: str
    diff: SafeString


@dataclass
class ObjectChange:
    kind: str  # "added", "removed" or "changed"
    model: str
    description: str
    fields: list[FieldChange] = field(default_factory=list)


def _snapshot(revision):
    return {
        (version.content_type.model_class(), version.object_id): version
        for version in revision.version_set.select_related("content_type")
    }


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _text(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def word_diff(before: str, after: str) -> SafeString:
    """The after-text with removed words in <del> and added words in <ins>."""
    a, b = re.findall(r"\s*\S+\s*", before), re.findall(r"\s*\S+\s*", after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))


def compare(older, newer) -> list[ObjectChange]:
    """What changed from one revision to another."""
    a, b = _snapshot(older), _snapshot(newer)
    changes = []
    keys = sorted(
        a.keys() | b.keys(),
        key=lambda key: (ORDER.index(key[0]) if key[0] in ORDER else 99, int(key[1])),
    )
    for key in keys:
        model = key[0]
        name = str(model._meta.verbose_name)
        if key not in b:
            changes.append(ObjectChange("removed", name, a[key].object_repr))
        elif key not in a:
            changes.append(ObjectChange("added", name, b[key].object_repr))
        else:
            before, after = a[key].field_dict, b[key].field_dict
            fields = [
                FieldChange(
                    _label(model, field_name),
                    _text(before.get(field_name)),
                    _text(after.get(field_name)),
                    word_diff(_text(before.get(field_name)), _text(after.get(field_name))),
                )
                for field_name in after
                if field_name not in HIDDEN_FIELDS
                and _text(before.get(field_name)) != _text(after.get(field_name))
            ]
            if fields:
                changes.append(ObjectChange("changed", name, b[key].object_repr, fields))
    return changes
