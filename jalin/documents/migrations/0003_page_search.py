"""Full-text index over documents' pages.

PostgreSQL: the `unaccent` extension, a text search configuration `jalin_id` ('simple' —
no stemming, which suits Indonesian better than any of the built-in languages — with
accents removed), a generated `search_vector` column and a GIN index on it.
SQLite: an FTS5 table (unicode61 tokenizer, diacritics removed) kept in step with the pages
by triggers. Neither column nor table is in the model: only jalin.documents.search reads them.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'jalin_id') THEN
            CREATE TEXT SEARCH CONFIGURATION jalin_id (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION jalin_id
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    """ALTER TABLE documents_documentpage ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('jalin_id'::regconfig, text)) STORED""",
    "CREATE INDEX documentpage_search_gin ON documents_documentpage USING gin (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS documentpage_search_gin",
    "ALTER TABLE documents_documentpage DROP COLUMN IF EXISTS search_vector",
]
SQLITE = [
    """CREATE VIRTUAL TABLE documents_page_fts USING fts5(
        text, content='documents_documentpage', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER documents_page_fts_insert AFTER INSERT ON documents_documentpage BEGIN
        INSERT INTO documents_page_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER documents_page_fts_delete AFTER DELETE ON documents_documentpage BEGIN
        INSERT INTO documents_page_fts(documents_page_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER documents_page_fts_update AFTER UPDATE ON documents_documentpage BEGIN
        INSERT INTO documents_page_fts(documents_page_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO documents_page_fts(rowid, text) VALUES (new.id, new.text); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS documents_page_fts_insert",
    "DROP TRIGGER IF EXISTS documents_page_fts_delete",
    "DROP TRIGGER IF EXISTS documents_page_fts_update",
    "DROP TABLE IF EXISTS documents_page_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_text_and_bulk_upload")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
