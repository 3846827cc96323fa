"""Revisions kept by django-reversion (before the editing layer) become Revision rows.

Each old revision of an issue becomes one Revision holding the whole issue as plain data
(see apps.briefings.content); the old tables are left as they are.
"""

import json

from django.db import migrations

PARTS = {
    "briefings.story": "stories",
    "briefings.noteworthyitem": "noteworthy_items",
    "briefings.credit": "credits",
}
ISSUE_FIELDS = [
    "title", "slug", "publication_date", "standfirst", "hero_image", "hero_width",
    "hero_height", "hero_alt", "hero_caption", "hero_credit", "editorial_note",
]
STORY_FIELDS = [
    "position", "headline", "slug", "glance_intro", "glance_bullets", "glance_outro",
    "comment", "box_title", "box_body",
]


def convert(apps, schema_editor):
    connection = schema_editor.connection
    if "reversion_version" not in connection.introspection.table_names():
        return
    Revision = apps.get_model("briefings", "Revision")
    Issue = apps.get_model("briefings", "Issue")
    PolicyDocument = apps.get_model("briefings", "PolicyDocument")
    Agency = apps.get_model("agencies", "Agency")
    Person = apps.get_model("people", "Person")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, r.date_created, r.user_id, r.comment, v.serialized_data "
            "FROM reversion_revision r JOIN reversion_version v ON v.revision_id = r.id "
            "ORDER BY r.id, v.id"
        )
        rows = cursor.fetchall()
    revisions = {}
    for revision_id, created, user_id, comment, data in rows:
        entry = revisions.setdefault(revision_id, [created, user_id, comment, []])
        entry[3].extend(json.loads(data))
    issue_ids = set(Issue.objects.values_list("pk", flat=True))
    for created, user_id, comment, objects in revisions.values():
        issues = [o for o in objects if o["model"] == "briefings.issue" and o["pk"] in issue_ids]
        if not issues:
            continue
        issue = issues[0]
        content = {
            "format": 1,
            "issue": {name: issue["fields"].get(name, "") for name in ISSUE_FIELDS},
            "stories": [],
            "noteworthy_items": [],
            "credits": [],
            "documents": {},
            "agencies": {},
            "people": {},
        }
        sources, cited = {}, {}
        for obj in objects:
            fields = obj["fields"]
            if obj["model"] == "briefings.sourcelink":
                sources.setdefault(fields["item"], []).append(fields)
            elif obj["model"] == "briefings.noteworthyagency":
                cited.setdefault(fields["item"], []).append(fields["agency"])
        for obj in objects:
            kind, fields = PARTS.get(obj["model"]), obj["fields"]
            if kind is None or fields.get("issue") != issue["pk"]:
                continue
            if kind == "stories":
                row = {name: fields.get(name, "") for name in STORY_FIELDS}
                row["document"] = fields.get("document")
            elif kind == "noteworthy_items":
                row = {name: fields[name] for name in ("section", "date", "text", "position")}
                row["sources"] = [
                    {"label": s["label"], "language": s["language"], "url": s["url"]}
                    for s in sorted(sources.get(obj["pk"], []), key=lambda s: s["position"])
                ]
                row["agencies"] = sorted(cited.get(obj["pk"], []))
            else:
                row = {name: fields[name] for name in ("role", "role_title", "position")}
                row["person"] = fields["person"]
            content[kind].append({"id": obj["pk"], **row})
        documents = {s["document"] for s in content["stories"] if s["document"]}
        for document in PolicyDocument.objects.filter(pk__in=documents):
            issuers = list(
                document.issuers.order_by("position", "id").values_list("agency_id", flat=True)
            )
            content["documents"][str(document.pk)] = {
                "label": document.label,
                "title_en": document.title_en,
                "title_zh": document.title_zh,
                "url": document.url,
                "date": document.date.isoformat() if document.date else None,
                "issuer_note": document.issuer_note,
                "agencies": issuers,
            }
        agencies = {a for d in content["documents"].values() for a in d["agencies"]}
        agencies |= {a for item in content["noteworthy_items"] for a in item["agencies"]}
        content["agencies"] = {
            str(pk): name
            for pk, name in Agency.objects.filter(pk__in=agencies).values_list("pk", "abbreviation")
        }
        people = {credit["person"] for credit in content["credits"]}
        content["people"] = {
            str(pk): name
            for pk, name in Person.objects.filter(pk__in=people).values_list("pk", "name")
        }
        Revision.objects.create(
            issue_id=issue["pk"],
            created_at=created,
            user_id=user_id,
            via="admin",
            kind="saved",
            summary=_summary(comment),
            content=content,
        )


def _summary(comment):
    """reversion kept the admin's change message as JSON; keep its plain words."""
    try:
        messages = json.loads(comment)
    except (TypeError, ValueError):
        return comment or ""
    if not isinstance(messages, list):
        return comment
    words = []
    for message in messages:
        for action, details in message.items():
            name = details.get("name", "") if isinstance(details, dict) else ""
            words.append(f"{action.capitalize()} {name}".strip() + ".")
    return " ".join(words)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0007_pending_changes_and_revisions"),
        ("agencies", "0001_initial"),
        ("people", "0002_checked_images"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
