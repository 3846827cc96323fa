from django.db import migrations, models

from apps.briefings.db import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    # Built concurrently on PostgreSQL, so the site keeps serving (and saving) meanwhile;
    # that cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("briefings", "0011_appearances"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="issue",
            index=models.Index(fields=["-publication_date", "-id"], name="issue_newest"),
        ),
    ]
