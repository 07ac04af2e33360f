"""Writes to agreement documents: upload a new version, archive one."""

import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement
from jalin.audit.context import acting_as
from jalin.documents.models import Document, DocumentKind, DocumentText
from jalin.lib.files import delete_unless_committed, storage_failure
from jalin.lib.uploads import check_upload


def document_upload(*, actor: User, agreement: Agreement, kind: str, title: str, upload: UploadedFile) -> Document:
    """Store a new version of an agreement's document. All or nothing: no row without its
    file and no file without its row."""
    if not access.can_change_agreement(actor, agreement):
        raise PermissionDenied
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    with translation.override(settings.LANGUAGE_CODE):
        # The default title is the kind's name in the default language, so that versions
        # uploaded from the Indonesian and the English interface form one chain.
        title = (title or "").strip() or str(DocumentKind(kind).label)
    if len(title) > 200:
        raise ValidationError({"title": _("At most %(limit)d characters.") % {"limit": 200}})
    checked = check_upload(upload, max_bytes=settings.DOCUMENT_MAX_BYTES)
    stored_name = None
    storage = Document._meta.get_field("file").storage
    try:
        with transaction.atomic(), acting_as(actor):
            Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
            latest = Document.objects.filter(agreement=agreement, kind=kind, title=title).aggregate(v=Max("version"))[
                "v"
            ]
            document = Document(
                agreement=agreement,
                kind=kind,
                title=title,
                version=(latest or 0) + 1,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            # The name is chosen before writing, so that a write that fails half-way (disk full,
            # storage unreachable) can be cleaned up too.
            stored_name = document.file.field.generate_filename(document, checked.name)
            try:
                stored_name = storage.save(stored_name, upload, max_length=document.file.field.max_length)
            except Exception as error:
                raise storage_failure(error) from error
            # If this transaction, or any transaction around it, rolls back, the file goes too.
            delete_unless_committed(storage, stored_name)
            document.file.name = stored_name
            document.save()
            DocumentText.objects.create(document=document)
            transaction.on_commit(lambda: queue_reading(document.pk))
    except BaseException:
        if stored_name:
            with contextlib.suppress(Exception):
                storage.delete(stored_name)
        raise
    return document


def queue_reading(document_id: int) -> None:
    """Queue the reading of a document's text (the import is here, not at the top, because
    the tasks module calls these services)."""
    from jalin.documents.tasks import read_document_text

    read_document_text(document_id)


@transaction.atomic
def document_archive(*, actor: User, document: Document) -> Document:
    """Withdraw a version from the agreement's file list; the file and its row stay on record."""
    if not (actor.role == Role.ADMIN and access.can_change_agreement(actor, document.agreement)):
        raise PermissionDenied
    if document.archived_at:
        raise ValidationError(_("This document version is already withdrawn."))
    with acting_as(actor):
        document.archived_at = timezone.now()
        document.save(update_fields=["archived_at"])
    return document
