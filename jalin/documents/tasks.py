"""Background work (huey): read documents' text step by step; match bulk uploads; the
nightly pass over what is due. Thin wrappers around jalin.documents.text and .bulk."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jalin.documents import bulk, text


@db_task(retries=3, retry_delay=600)
def read_document_text(document_id: int) -> bool:
    more = text.document_text_step(document_id=document_id)
    if more:
        # The next pages in a new task: whatever was queued meanwhile runs first.
        read_document_text(document_id)
    return more


@db_task()
def process_bulk_upload(batch_id: int) -> int:
    return bulk.bulk_upload_process(batch_id=batch_id)


@db_periodic_task(crontab(hour="1", minute="30"))
def nightly_document_text() -> int:
    due = text.documents_due()
    for document_id in due:
        read_document_text(document_id)
    return len(due)
