"""Reads of agreements. Each selector fetches what its page shows in a fixed number of queries."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.agreements.models import Agreement, AgreementParty, Status, status_q
from jalin.documents import search as document_search
from jalin.documents.models import Document

_WORD = re.compile(r"\w+", re.UNICODE)


def _tsquery_term(term: str) -> str:
    """A typed term as a quoted prefix term of a raw tsquery (quotes and backslashes escaped)."""
    return "'{}':*".format(term.replace("\\", "\\\\").replace("'", "''"))


def search_agreements(queryset: QuerySet, text: str, *, in_documents: bool = False) -> QuerySet:
    """Every word must match the start of a word (PostgreSQL full text) or a substring (SQLite).
    `in_documents`: an agreement also matches when one of its live documents has every word
    (jalin.documents.search; the caller's queryset keeps the access scope)."""
    words = [word.lower() for word in _WORD.findall(text or "")][:8]
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        # PostgreSQL's parser keeps a number like 180/2/PKS/2024 as one lexeme in search_text, so
        # each typed term goes through the same parser (quoted, as a prefix) instead of being
        # split on punctuation first: '180':* & '2':* & ... would never match that lexeme.
        terms = [term for term in (text or "").split() if _WORD.search(term)][:8]
        query = SearchQuery(" & ".join(_tsquery_term(term) for term in terms), search_type="raw", config="simple")
        if in_documents:
            # One UNION of two index scans (the agreements' GIN, the pages' GIN): an OR of the
            # two conditions would make PostgreSQL compute every agreement's tsvector instead.
            own = Agreement.objects.alias(search=SearchVector("search_text", config="simple")).filter(search=query)
            own_sql, own_params = own.order_by().values("pk").query.sql_with_params()
            pages = document_search.agreements_matching(document_search.search_words(text))
            either = RawSQL(f"({own_sql}) UNION ({pages.sql})", (*own_params, *pages.params))  # noqa: S611 - ORM SQL
            return queryset.filter(pk__in=either)
        return queryset.alias(search=SearchVector("search_text", config="simple")).filter(search=query)
    condition = Q(*(Q(search_text__contains=word) for word in words))
    if in_documents:
        condition |= Q(pk__in=document_search.agreements_matching(document_search.search_words(text)))
    return queryset.filter(condition)


def attach_document_snippets(rows, visible: QuerySet, text: str) -> None:
    """Give each listed agreement `document_snippet`: where its documents have the searched
    words (highlighted, with the page), or None. One query for the whole page."""
    rows = list(rows)
    found = document_search.snippets(visible, [row.pk for row in rows], text) if text.strip() and rows else {}
    for row in rows:
        row.document_snippet = found.get(row.pk)


def with_list_relations(queryset: QuerySet) -> QuerySet:
    """What a list row shows: agency, parent and partners, without a query per row."""
    return (
        queryset.select_related("lead_agency", "parent")
        .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("partner")))
        .with_status()
    )


def agreement_detail(queryset: QuerySet, pk) -> Agreement:
    return (
        queryset.select_related("government", "lead_agency", "liaison_officer", "parent", "predecessor", "created_by")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("partner", "partner__region")),
            "supporting_agencies",
            "affairs",
        )
        .with_status()
        .get(pk=pk)
    )


def status_counts(queryset: QuerySet, today: datetime.date | None = None) -> dict[str, int]:
    """How many agreements are in each derived status, in one aggregate query."""
    today = today or timezone.localdate()
    return queryset.aggregate(**{status.value: Count("pk", filter=status_q(status, today)) for status in Status})


@dataclass
class FamilyNode:
    agreement: Agreement
    children: list["FamilyNode"]


def agreement_family(agreement: Agreement, visible: QuerySet) -> FamilyNode:
    """The whole lineage around an agreement: up to its umbrella, then every document below
    it, as a tree. Parent chains are at most three deep (KSB -> PKS -> addendum), so this
    takes a bounded number of queries. Only agreements the user may see are included."""
    root = agreement
    for _step in range(5):
        if root.parent_id is None:
            break
        parent = visible.filter(pk=root.parent_id).first()
        if parent is None:
            break
        root = parent
    nodes = {root.pk: FamilyNode(root, [])}
    frontier = [root.pk]
    for _depth in range(5):
        if not frontier:
            break
        children = list(visible.filter(parent_id__in=frontier).with_status().order_by("signed_on", "pk"))
        for child in children:
            node = FamilyNode(child, [])
            nodes[child.pk] = node
            nodes[child.parent_id].children.append(node)
        frontier = [child.pk for child in children]
    return nodes[root.pk]


def renewal_chain(agreement: Agreement, visible: QuerySet) -> list[Agreement]:
    """Predecessors and successors by renewal, oldest first (bounded walk)."""
    chain = [agreement]
    node = agreement
    for _step in range(10):
        if not node.predecessor_id:
            break
        node = visible.filter(pk=node.predecessor_id).first()
        if node is None:
            break
        chain.insert(0, node)
    node = agreement
    for _step in range(10):
        node = visible.filter(predecessor_id=node.pk).order_by("pk").first()
        if node is None:
            break
        chain.append(node)
    return chain if len(chain) > 1 else []


@dataclass
class TimelineEvent:
    day: datetime.date
    label: str
    detail: str = ""
    upcoming: bool = False


def agreement_timeline(agreement: Agreement, documents: list[Document]) -> list[TimelineEvent]:
    today = timezone.localdate()
    events = [TimelineEvent(timezone.localdate(agreement.created_at), _("Registered in Jalin"))]
    if agreement.signed_on:
        events.append(TimelineEvent(agreement.signed_on, _("Signed")))
    if agreement.effective_on:
        events.append(TimelineEvent(agreement.effective_on, _("In force from")))
    if agreement.ends_on:
        events.append(TimelineEvent(agreement.ends_on, _("Ends"), upcoming=agreement.ends_on > today))
    if agreement.terminated_on:
        events.append(
            TimelineEvent(agreement.terminated_on, _("Terminated"), agreement.get_termination_ground_display())
        )
    if agreement.archived_at:
        events.append(TimelineEvent(timezone.localdate(agreement.archived_at), _("Archived"), agreement.archive_reason))
    for document in documents:
        events.append(
            TimelineEvent(
                timezone.localdate(document.uploaded_at),
                _("Document uploaded"),
                f"{document.title} v{document.version}",
            )
        )
    return sorted(events, key=lambda event: event.day)


def documents_of(agreement: Agreement) -> list[Document]:
    return list(
        Document.objects.filter(agreement=agreement, archived_at__isnull=True)
        .select_related("uploaded_by", "text")
        .order_by("kind", "title", "-version")
    )


def expiring_soon(queryset: QuerySet, days: int, limit: int = 10) -> list[Agreement]:
    today = timezone.localdate()
    return list(with_list_relations(queryset.expiring_within(days, today)).order_by("ends_on", "pk")[:limit])
