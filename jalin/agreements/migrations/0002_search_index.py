"""Full-text search index on PostgreSQL (GIN over the 'simple' tsvector of search_text).

SQLite has no GIN indexes; there the list search falls back to substring matching, which
is fine for one government's register.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("search_text", config="simple"), name="agreement_search_gin")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("agreements", "Agreement"), INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("agreements", "Agreement"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
