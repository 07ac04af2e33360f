"""Read the text of existing documents: those due (missing, failed, waiting for OCR), or all."""

from django.core.management.base import BaseCommand

from jalin.documents import text
from jalin.documents.models import Document


class Command(BaseCommand):
    help = "Extract the text of stored documents (text layer or OCR): those due, or --all again."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="read every live document again")
        parser.add_argument("--queue", action="store_true", help="queue for the worker instead of reading here")
        parser.add_argument("--document", type=int, action="append", help="only this document id (repeatable)")

    def handle(self, *args, all=False, queue=False, document=None, **options):
        if document or all:
            documents = Document.objects.filter(archived_at__isnull=True)
            if document:
                documents = documents.filter(pk__in=document)
            ids = []
            for item in documents.order_by("pk"):
                text.document_text_queue(document=item, again=True)
                ids.append(item.pk)
        else:
            ids = text.documents_due()
        if queue:
            from jalin.documents.tasks import read_document_text

            for document_id in ids:
                read_document_text(document_id)
            self.stdout.write(f"{len(ids)} document(s) queued.")
            return
        failed = 0
        for document_id in ids:
            try:
                record = text.document_text_read(document_id=document_id)
            except Exception as error:
                failed += 1
                self.stderr.write(f"document {document_id}: {error}")
                continue
            self.stdout.write(
                f"document {document_id}: {record.status}, {record.pages} page(s), {record.ocr_pages} by OCR"
            )
        self.stdout.write(f"{len(ids) - failed} document(s) read, {failed} failed.")
