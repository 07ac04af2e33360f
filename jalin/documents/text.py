"""Writes of documents' extracted text (derived data, not audited): queue, read step by step,
record failures, re-queue what is due. The huey tasks in tasks.py are thin wrappers.

A document is read in steps of at most OCR_STEP_SECONDS: each step reads pages until its
time is up, saves them, and the task queues the next step. A 200-page scan therefore never
holds a worker for long; other work queued meanwhile runs between its steps.
"""

import datetime
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from jalin.documents import extraction
from jalin.documents.extraction import OcrUnavailable, PageText
from jalin.documents.models import Document, DocumentPage, DocumentText, TextMethod, TextStatus

MAX_ATTEMPTS = 5
FINAL = (TextStatus.DONE, TextStatus.NO_TEXT)


def document_text_queue(*, document: Document, again: bool = False) -> DocumentText:
    """Make sure the document has a text record waiting to be read; `again` starts over."""
    record, created = DocumentText.objects.get_or_create(document=document)
    if again and not created:
        DocumentText.objects.filter(pk=record.pk).update(
            status=TextStatus.PENDING, pages=0, pages_done=0, lease_until=None, error="", queued_at=timezone.now()
        )
        record.refresh_from_db()
    return record


def _claim(document_id: int) -> bool:
    """Take the record for one step with a conditional UPDATE: two workers never read the
    same document at once, and a worker that died leaves a lease that expires."""
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.OCR_STEP_SECONDS + 3 * settings.OCR_PAGE_TIMEOUT_SECONDS)
    return bool(
        DocumentText.objects.filter(document_id=document_id)
        .exclude(status__in=FINAL)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(status=TextStatus.RUNNING, lease_until=now + lease)
    )


def _save_page(record: DocumentText, page: PageText) -> None:
    DocumentPage.objects.update_or_create(
        document_id=record.document_id,
        number=page.number,
        defaults={"text": page.text, "method": page.method, "confidence": page.confidence},
    )


def _read_pdf(record: DocumentText, path: Path, deadline: float) -> None:
    started_at = record.pages_done
    if not record.pages:
        record.pages = extraction.pdf_page_count(path)
        record.save(update_fields=["pages"])
    # At least one page per step, then as many as the step's time allows.
    while record.pages_done < record.pages:
        if record.pages_done > started_at and time.monotonic() >= deadline:
            break
        number = record.pages_done + 1
        try:
            page = extraction.read_pdf_page(path, number)
        except OcrUnavailable:
            # Kept as an unread page (no confidence): re-read when OCR is installed.
            page = PageText(number, extraction.pdf_text_layer(path, number), TextMethod.OCR, None)
        _save_page(record, page)
        record.pages_done = number
        record.save(update_fields=["pages_done"])


def _read_whole(record: DocumentText, path: Path, kind: str) -> None:
    if kind == "image":
        try:
            page = extraction.ocr_image(path)
        except OcrUnavailable:
            page = PageText(1, "", TextMethod.OCR, None)
    elif kind:
        page = PageText(1, extraction.office_text(path, kind), TextMethod.TEXT_LAYER, 100.0)
    else:
        page = None
    if page is not None:
        _save_page(record, page)
    record.pages = record.pages_done = 1 if page else 0
    record.save(update_fields=["pages", "pages_done"])


def _finish(record: DocumentText) -> None:
    pages = DocumentPage.objects.filter(document_id=record.document_id)
    summary = pages.aggregate(
        ocr=Count("pk", filter=Q(method=TextMethod.OCR, confidence__isnull=False)),
        text=Count("pk", filter=Q(method=TextMethod.TEXT_LAYER)),
        unread=Count("pk", filter=Q(method=TextMethod.OCR, confidence__isnull=True)),
        confidence=Avg("confidence"),
    )
    has_words = pages.exclude(text="").exists()
    record.ocr_pages = summary["ocr"]
    record.method = (
        TextMethod.MIXED
        if summary["ocr"] and summary["text"]
        else TextMethod.OCR
        if summary["ocr"]
        else TextMethod.TEXT_LAYER
        if summary["text"]
        else ""
    )
    record.language = settings.OCR_LANGUAGE if summary["ocr"] else ""
    record.confidence = round(summary["confidence"], 1) if summary["confidence"] is not None else None
    if summary["unread"]:
        record.status = TextStatus.UNAVAILABLE
    else:
        record.status = TextStatus.DONE if has_words else TextStatus.NO_TEXT
    record.error = ""
    record.lease_until = None
    record.finished_at = timezone.now()
    record.save()


def document_text_step(*, document_id: int) -> bool:
    """Read the next pages of a document for at most OCR_STEP_SECONDS. Returns True when
    pages remain (the caller queues another step). A failure is recorded on the document
    and raised, so that the queue retries it."""
    if not _claim(document_id):
        return False
    record = DocumentText.objects.select_related("document").get(document_id=document_id)
    document = record.document
    kind = extraction.kind_of(document.content_type)
    deadline = time.monotonic() + settings.OCR_STEP_SECONDS
    try:
        with tempfile.TemporaryDirectory(prefix="jalin-text-") as tmp:
            path = extraction.copy_to_temp(document.file, tmp)
            if kind == "pdf":
                _read_pdf(record, path, deadline)
            elif record.pages_done == 0:
                _read_whole(record, path, kind)
    except Exception as error:  # recorded on the document, then raised for the queue to retry
        DocumentText.objects.filter(pk=record.pk).update(
            status=TextStatus.FAILED, error=str(error)[:1000], attempts=record.attempts + 1, lease_until=None
        )
        raise
    if record.pages_done < record.pages:
        DocumentText.objects.filter(pk=record.pk).update(lease_until=None)
        return True
    with transaction.atomic():
        _finish(record)
    return False


def document_text_read(*, document_id: int) -> DocumentText:
    """Read a whole document now, step after step (the command and tests)."""
    while document_text_step(document_id=document_id):
        pass
    return DocumentText.objects.get(document_id=document_id)


def documents_due() -> list[int]:
    """Documents to (re)read: without a text record, failed fewer than MAX_ATTEMPTS times,
    waiting for an hour with no worker on it, or waiting for OCR that is now installed."""
    now = timezone.now()
    live = Document.objects.filter(archived_at__isnull=True)
    missing = list(live.filter(text__isnull=True).values_list("pk", flat=True))
    DocumentText.objects.bulk_create([DocumentText(document_id=pk) for pk in missing], ignore_conflicts=True)
    due = Q(status=TextStatus.FAILED, attempts__lt=MAX_ATTEMPTS) | Q(
        status__in=[TextStatus.PENDING, TextStatus.RUNNING], queued_at__lt=now - datetime.timedelta(hours=1)
    )
    if extraction.ocr_available():
        due |= Q(status=TextStatus.UNAVAILABLE)
    records = DocumentText.objects.filter(document__archived_at__isnull=True).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    ids = set(records.filter(due).values_list("document_id", flat=True))
    records.filter(document_id__in=ids, status=TextStatus.UNAVAILABLE).update(
        status=TextStatus.PENDING, pages=0, pages_done=0
    )
    return sorted(ids | set(missing))
