"""Searching the words of documents: which agreements' live documents contain every typed
word (as the start of a word), and the best snippet of each, with its page.

PostgreSQL: the pages' generated `search_vector` (configuration `jalin_id`, GIN index);
SQLite: the FTS5 table `documents_page_fts`. Both are created by migration 0003. Callers
pass the agreements the user may see (access.agreements_visible_to), so a word of a
document is never found through an agreement the user may not see.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORD = re.compile(r"\w+", re.UNICODE)
START, STOP = "\ue000", "\ue001"  # private-use characters: never in a document's text
MAX_WORDS = 8


def search_words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text or "")][:MAX_WORDS]


def _match(words: list[str]) -> tuple[str, list[str]]:
    """The SQL condition on a page (alias p) and its parameters."""
    if connection.vendor == "postgresql":
        query = " & ".join("'{}':*".format(word.replace("'", "''").replace("\\", "\\\\")) for word in words)
        return "p.search_vector @@ to_tsquery('jalin_id', %s)", [query]
    # FTS5: every word as a quoted prefix term; implicit AND.
    query = " ".join('"{}"*'.format(word.replace('"', '""')) for word in words)
    return "p.id IN (SELECT rowid FROM documents_page_fts WHERE documents_page_fts MATCH %s)", [query]


def agreements_matching(words: list[str]) -> RawSQL:
    """Ids of agreements with a live document whose page has every word: a subquery for
    `pk__in`, to be combined with the caller's visible agreements."""
    condition, params = _match(words)
    join = "documents_documentpage p JOIN documents_document d ON d.id = p.document_id"
    sql = f"SELECT d.agreement_id FROM {join} WHERE d.archived_at IS NULL AND {condition}"  # noqa: S608 - fixed SQL
    return RawSQL(sql, params)  # noqa: S611 - fixed SQL; the words are parameters


@dataclass(frozen=True)
class Snippet:
    agreement_id: int
    document_id: int
    document_title: str
    page: int
    html: SafeString


def _highlight(raw: str) -> SafeString:
    text = re.sub(r"\s+", " ", raw or "").strip()
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def snippets(visible: QuerySet, agreement_ids: list[int], text: str) -> dict[int, Snippet]:
    """The best-matching page of each agreement (among `agreement_ids`, limited to
    `visible`), with the matched words highlighted: one query whatever the number of rows."""
    words = search_words(text)
    if not words or not agreement_ids:
        return {}
    condition, params = _match(words)
    # The listed ids, kept within what the user may see, as a subquery: one query in all.
    scope_sql, scope_params = visible.filter(pk__in=agreement_ids).values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT best.agreement_id, best.document_id, best.title, best.number,
                   ts_headline('jalin_id', best.text, to_tsquery('jalin_id', %s),
                               'StartSel={START}, StopSel={STOP}, MaxWords=18, MinWords=8, MaxFragments=1,
                                FragmentDelimiter=" … "')
            FROM (
                SELECT DISTINCT ON (d.agreement_id) d.agreement_id, d.id AS document_id, d.title, p.number, p.text
                FROM documents_documentpage p JOIN documents_document d ON d.id = p.document_id
                WHERE d.archived_at IS NULL AND d.agreement_id IN ({scope_sql}) AND {condition}
                ORDER BY d.agreement_id, ts_rank(p.search_vector, to_tsquery('jalin_id', %s)) DESC, p.number
            ) best"""  # noqa: S608 - fixed SQL with placeholders; every value is a parameter
        arguments = [params[0], *scope_params, *params, params[0]]
    else:
        sql = f"""
            SELECT d.agreement_id, d.id, d.title, p.number,
                   snippet(documents_page_fts, 0, '{START}', '{STOP}', ' … ', 16)
            FROM documents_page_fts f
            JOIN documents_documentpage p ON p.id = f.rowid
            JOIN documents_document d ON d.id = p.document_id
            WHERE documents_page_fts MATCH %s AND d.archived_at IS NULL AND d.agreement_id IN ({scope_sql})
            ORDER BY d.agreement_id, bm25(documents_page_fts), p.number"""  # noqa: S608 - fixed SQL, values as parameters
        arguments = [*params, *scope_params]
    found: dict[int, Snippet] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        for agreement_id, document_id, title, page, headline in cursor.fetchall():
            found.setdefault(agreement_id, Snippet(agreement_id, document_id, title, page, _highlight(headline)))
    return found
