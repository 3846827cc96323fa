from django.db import migrations

from apps.briefings.db import RunSQLOnPostgres


class Migration(migrations.Migration):
    """The search index takes new entries straight into its tree. With GIN's fast update
    they wait in a pending list that every search reads through until a vacuum merges it
    (up to 4 MB): writes here are an editor's saves, searches are every reader's."""

    dependencies = [("search", "0002_vector_gin_index")]

    operations = [
        RunSQLOnPostgres(
            [
                "ALTER INDEX search_entry_vector_gin SET (fastupdate = off)",
                "SELECT gin_clean_pending_list('search_entry_vector_gin'::regclass)",
            ],
            "ALTER INDEX search_entry_vector_gin RESET (fastupdate)",
        )
    ]
