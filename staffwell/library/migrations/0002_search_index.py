"""Full-text index on resources: FTS5 (with triggers) on SQLite, a GIN tsvector index on PostgreSQL."""

from django.db import migrations

from staffwell.library.search import create_index, drop_index


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
