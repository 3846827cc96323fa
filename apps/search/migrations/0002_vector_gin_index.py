from django.db import migrations

from apps.briefings.db import RunSQLOnPostgres


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("search", "0001_search_entries")]

    operations = [
        RunSQLOnPostgres(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_entry_vector_gin "
            "ON search_searchentry USING gin (vector)",
            "DROP INDEX CONCURRENTLY IF EXISTS search_entry_vector_gin",
        )
    ]
