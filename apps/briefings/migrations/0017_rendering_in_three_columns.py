"""An issue's rendered article and feed entry move out of its rendering's JSON into text
columns of their own. Renderings kept in the old shape are emptied (a new rendering code,
`rendering.CODE`, would make them again anyway): each is made again for its next reader.
The columns default to "" in the database too, so the release before, which does not
know them, still adds issues while this one rolls out."""

from django.db import migrations, models


def forget_renderings(apps, schema_editor):
    Issue = apps.get_model("briefings", "Issue")
    Issue.objects.using(schema_editor.connection.alias).exclude(rendered={}).update(rendered={})


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0016_rendering_stamp"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="rendered_article",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="issue",
            name="rendered_feed",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(forget_renderings, migrations.RunPython.noop, elidable=True),
    ]
