"""A readable comparison of two contents of an issue (see apps.briefings.content), part by
part, field by field: what an editor sees on the History and “Compare” pages."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Credit, Issue, NoteworthyItem, Story


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


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _text(value) -> str:
    return "" if value is None else str(value)


class _Reader:
    """Turns one content's rows into the texts an editor compares."""

    def __init__(self, content):
        self.content = content

    def document(self, pk):
        if not pk:
            return ""
        document = self.content["documents"].get(str(pk))
        if document is None:
            return f"document {pk}"
        agencies = ", ".join(
            self.content["agencies"].get(str(a), "?") for a in document["agencies"]
        )
        parts = [document["title_en"], document["title_zh"]]
        title = " ".join(part for part in parts if part)
        return f"{title} ({agencies}{', ' + document['date'] if document['date'] else ''})"

    def issue(self):
        row = self.content["issue"]
        return {_label(Issue, name): _text(value) for name, value in row.items()}

    def story(self, row):
        fields = {_label(Story, name): _text(row[name]) for name in row if name not in {"id"}}
        fields[_label(Story, "document")] = self.document(row.get("document"))
        return fields

    def item(self, row):
        return {
            "section": NoteworthyItem.Section(row["section"]).label,
            _label(NoteworthyItem, "date"): row["date"],
            _label(NoteworthyItem, "text"): row["text"],
            _label(NoteworthyItem, "position"): _text(row["position"]),
            "sources": "; ".join(
                " ".join(
                    part
                    for part in (
                        s["label"],
                        f"({s['language']})" if s["language"] else "",
                        s["url"],
                    )
                    if part
                )
                for s in row["sources"]
            ),
            "cited agencies": ", ".join(
                sorted(self.content["agencies"].get(str(a), "?") for a in row["agencies"])
            ),
        }

    def credit(self, row):
        return {
            "person": self.content["people"].get(str(row["person"]), str(row["person"])),
            "role": Credit.Role(row["role"]).label,
            _label(Credit, "role_title"): row["role_title"],
            _label(Credit, "position"): _text(row["position"]),
        }

    def describe(self, kind, row):
        if kind == "stories":
            return f"{row['position']}. {row['headline']}"
        if kind == "noteworthy_items":
            text = row["text"]
            return f"{row['date']}: {text[:80]}{'…' if len(text) > 80 else ''}"
        person = self.content["people"].get(str(row["person"]), row["person"])
        return f"{person} ({Credit.Role(row['role']).label})"


PARTS = [
    ("stories", "Top 5 story", "story"),
    ("noteworthy_items", "noteworthy item", "item"),
    ("credits", "credit", "credit"),
]


def _fields(before: dict, after: dict) -> list[FieldChange]:
    return [
        FieldChange(name, before.get(name, ""), value, word_diff(before.get(name, ""), value))
        for name, value in after.items()
        if before.get(name, "") != value
    ]


def compare(older, newer) -> list[ObjectChange]:
    """What changed from one content of an issue to another."""
    a, b = _Reader(older), _Reader(newer)
    changes = []
    issue_fields = _fields(a.issue(), b.issue())
    if issue_fields:
        changes.append(ObjectChange("changed", "issue", newer["issue"]["title"], issue_fields))
    for kind, name, method in PARTS:
        old_rows = {row["id"]: row for row in older[kind]}
        new_rows = {row["id"]: row for row in newer[kind]}
        for pk, row in old_rows.items():
            if pk not in new_rows:
                changes.append(ObjectChange("removed", name, a.describe(kind, row)))
        for pk, row in new_rows.items():
            if pk not in old_rows:
                changes.append(ObjectChange("added", name, b.describe(kind, row)))
                continue
            fields = _fields(getattr(a, method)(old_rows[pk]), getattr(b, method)(row))
            if fields:
                changes.append(ObjectChange("changed", name, b.describe(kind, row), fields))
    return changes
