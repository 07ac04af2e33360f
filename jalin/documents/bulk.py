"""Bulk upload: many files (or one ZIP) at once, each matched to its agreement.

`bulk_upload_start` checks every file with the same upload checks as a single upload and
holds the accepted ones; `bulk_upload_process` (in the background) matches each to its
agreement by the number in its file name, else by the number in its text, and stores it
through `document_upload`; a file whose checksum is already stored is not stored again;
what matches nothing waits for `bulk_item_assign`.
"""

import logging
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements.models import Agreement, AgreementParty
from jalin.documents import extraction
from jalin.documents.models import BulkItem, BulkUpload, Document, DocumentKind, ItemStatus, MatchedBy
from jalin.documents.services import document_upload
from jalin.lib.files import delete_unless_committed, storage_failure
from jalin.lib.uploads import check_upload, sanitise_name

logger = logging.getLogger(__name__)

# A ZIP member that unpacks to more than this many times its packed size is refused.
MAX_RATIO = 100
_TOKEN = re.compile(r"[0-9a-z]+")
_LONGEST_NUMBER = 16  # tokens


# Matching numbers ---------------------------------------------------------------------


def number_tokens(text: str) -> tuple[str, ...]:
    """A number or a text as lower-case runs of letters and digits: "180/2/PKS/2024",
    "180_2_PKS_2024.pdf", "180-2-pks-2024" and "180 2 PKS 2024" give the same tokens."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return tuple(_TOKEN.findall(folded))


class NumberIndex:
    """The agreement numbers (and the parties' numbers) of one government, by tokens."""

    def __init__(self, government_id: int):
        self.numbers: dict[tuple[str, ...], set[int]] = {}
        live = Agreement.objects.filter(government_id=government_id, archived_at__isnull=True)
        pairs = list(live.exclude(number="").values_list("number", "pk"))
        pairs += list(
            AgreementParty.objects.filter(agreement__in=live)
            .exclude(party_number="")
            .values_list("party_number", "agreement_id")
        )
        for number, agreement_id in pairs:
            tokens = number_tokens(number)
            # A number needs two parts and a digit: "2024" alone would match every file.
            if len(tokens) >= 2 and any(c.isdigit() for c in number) and len(tokens) <= _LONGEST_NUMBER:
                self.numbers.setdefault(tokens, set()).add(agreement_id)

    def _occurrences(self, tokens: tuple[str, ...]) -> Iterable[tuple[int, int, set[int]]]:
        """(position, length, agreement ids) of every known number inside `tokens`."""
        for start in range(len(tokens)):
            for length in range(2, min(_LONGEST_NUMBER, len(tokens) - start) + 1):
                found = self.numbers.get(tokens[start : start + length])
                if found:
                    yield start, length, found

    def in_name(self, name: str) -> int | None:
        """The one agreement whose number is the longest found in a file name."""
        stem = name.rsplit(".", 1)[0]
        best: dict[int, set[int]] = {}
        for _start, length, found in self._occurrences(number_tokens(stem)):
            best.setdefault(length, set()).update(found)
        if not best:
            return None
        winners = best[max(best)]
        return next(iter(winners)) if len(winners) == 1 else None

    def in_text(self, text: str) -> int | None:
        """The agreement whose number comes first in a document's text (a PKS names its own
        number in its heading before it cites its KSB's)."""
        for _start, _length, found in sorted(self._occurrences(number_tokens(text)), key=lambda o: (o[0], -o[1])):
            return next(iter(found)) if len(found) == 1 else None
        return None


# Starting a batch ---------------------------------------------------------------------


@dataclass
class Incoming:
    name: str
    upload: UploadedFile | None
    problem: str = ""


def _zip_members(upload: UploadedFile) -> list[Incoming]:
    """The files inside a ZIP, safely: bounded size, count, unpacked size and ratio; only
    base names are used (no path in a member's name reaches the disk); nested archives,
    encrypted members and folders are skipped with a reason."""
    if upload.size > settings.BULK_ZIP_MAX_BYTES:
        raise ValidationError(
            _("The ZIP file is %(size)s; the largest allowed is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.BULK_ZIP_MAX_BYTES)}
        )
    try:
        archive = zipfile.ZipFile(upload)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(_("The ZIP file cannot be opened.")) from error
    if len(members) > settings.BULK_ZIP_MAX_FILES:
        raise ValidationError(
            _("The ZIP file holds %(count)d files; at most %(max)d are accepted at once.")
            % {"count": len(members), "max": settings.BULK_ZIP_MAX_FILES}
        )
    if sum(info.file_size for info in members) > settings.BULK_ZIP_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The ZIP file unpacks to more than %(max)s.")
            % {"max": filesizeformat(settings.BULK_ZIP_MAX_UNPACKED_BYTES)}
        )
    found = []
    for info in members:
        name = sanitise_name(info.filename)
        if not name or name.startswith(".") or info.filename.startswith("__MACOSX/"):
            continue
        if info.flag_bits & 0x1:
            found.append(Incoming(name, None, _("The file is encrypted.")))
        elif info.file_size > settings.DOCUMENT_MAX_BYTES:
            found.append(
                Incoming(
                    name,
                    None,
                    _("The largest allowed is %(max)s.") % {"max": filesizeformat(settings.DOCUMENT_MAX_BYTES)},
                )
            )
        elif info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            found.append(Incoming(name, None, _("The file unpacks to far more than its packed size.")))
        else:
            with archive.open(info) as member:
                # Read at most one byte past the limit: a member lying about its size stops there.
                data = member.read(settings.DOCUMENT_MAX_BYTES + 1)
            if len(data) > settings.DOCUMENT_MAX_BYTES:
                found.append(Incoming(name, None, _("The file is larger than it claims.")))
            else:
                found.append(Incoming(name, SimpleUploadedFile(name, data)))
    return found


def _expand(uploads: list[UploadedFile]) -> list[Incoming]:
    incoming = []
    for upload in uploads:
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head == b"PK\x03\x04" and (upload.name or "").lower().endswith(".zip"):
            incoming.extend(_zip_members(upload))
        else:
            incoming.append(Incoming(sanitise_name(upload.name) or "?", upload))
    return incoming


def _hold(item: BulkItem, upload: UploadedFile) -> None:
    storage = item.file.storage
    name = item.file.field.generate_filename(item, item.name)
    try:
        name = storage.save(name, upload, max_length=item.file.field.max_length)
    except Exception as error:
        raise storage_failure(error) from error
    delete_unless_committed(storage, name)
    item.file.name = name


@transaction.atomic
def bulk_upload_start(*, actor: User, uploads: list[UploadedFile], scan: bool = False) -> BulkUpload:
    """Check and hold every file, then match them in the background. A file that fails the
    upload checks is listed with its reason; the others go on. `scan`: one file to register
    an agreement from (any user who may register one); else a bulk upload (admins)."""
    allowed = access.can_create_agreement(actor) if scan else access.can_bulk_upload_documents(actor)
    if not allowed:
        raise PermissionDenied
    if not uploads:
        raise ValidationError(_("Choose at least one file."))
    incoming = _expand(uploads[:1] if scan else uploads)
    if not incoming:
        raise ValidationError(_("The ZIP file holds no file to store."))
    batch = BulkUpload.objects.create(government_id=actor.government_id, created_by=actor, for_registration=scan)
    for position, entry in enumerate(incoming, start=1):
        item = BulkItem(batch=batch, position=position, name=entry.name[:255])
        checked = None
        if entry.upload is not None and not entry.problem:
            try:
                checked = check_upload(entry.upload, max_bytes=settings.DOCUMENT_MAX_BYTES)
            except ValidationError as error:
                entry.problem = " ".join(error.messages)
        if checked is None:
            item.status, item.message = ItemStatus.REJECTED, entry.problem
        else:
            item.name, item.size, item.sha256 = checked.name, checked.size, checked.sha256
            item.content_type = checked.content_type
            _hold(item, entry.upload)
        item.save()
    transaction.on_commit(lambda: _queue(batch.pk))
    return batch


def _queue(batch_id: int) -> None:
    from jalin.documents.tasks import process_bulk_upload  # the tasks module imports this one

    process_bulk_upload(batch_id)


# Processing ---------------------------------------------------------------------------


def _release(item: BulkItem) -> None:
    """Drop the held copy once the bytes are stored as a document (after the commit)."""
    storage, name = item.file.storage, item.file.name
    item.file.name = ""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _store(item: BulkItem, agreement: Agreement, actor: User, matched_by: str) -> None:
    with item.file.open("rb") as held:
        upload = File(held, name=item.name)
        document = document_upload(actor=actor, agreement=agreement, kind=DocumentKind.SIGNED, title="", upload=upload)
    item.agreement, item.document, item.matched_by = agreement, document, matched_by
    item.status, item.message = ItemStatus.STORED, ""
    _release(item)


def _held_text(item: BulkItem) -> str:
    with tempfile.TemporaryDirectory(prefix="jalin-bulk-") as tmp:
        return extraction.first_pages_text(extraction.copy_to_temp(item.file, tmp), item.content_type)


def _process_item(item: BulkItem, index: NumberIndex) -> None:
    batch = item.batch
    if batch.for_registration:
        # A scan to register a new agreement from: read it for the proposals, store nothing.
        item.text, item.status = _held_text(item), ItemStatus.UNMATCHED
        return
    duplicate = (
        Document.objects.filter(sha256=item.sha256, agreement__government_id=batch.government_id)
        .select_related("agreement")
        .order_by("pk")
        .first()
    )
    if duplicate is not None:
        item.status, item.document, item.agreement = ItemStatus.DUPLICATE, duplicate, duplicate.agreement
        _release(item)
        return
    agreement_id, matched_by = index.in_name(item.name), MatchedBy.NAME
    if agreement_id is None:
        item.text = _held_text(item)
        agreement_id, matched_by = index.in_text(item.text), MatchedBy.TEXT
    if agreement_id is None:
        item.status = ItemStatus.UNMATCHED
        return
    _store(item, Agreement.objects.get(pk=agreement_id), batch.created_by, matched_by)


def bulk_upload_process(*, batch_id: int) -> int:
    """Match and store every waiting file of a batch, one transaction per file. Returns
    how many files were handled."""
    batch = BulkUpload.objects.select_related("created_by").get(pk=batch_id)
    index = NumberIndex(batch.government_id)
    handled = 0
    for item_id in batch.items.filter(status=ItemStatus.QUEUED).values_list("pk", flat=True):
        with transaction.atomic():
            item = BulkItem.objects.select_for_update().select_related("batch__created_by").get(pk=item_id)
            if item.status != ItemStatus.QUEUED:
                continue
            try:
                with transaction.atomic():
                    _process_item(item, index)
            except (ValidationError, PermissionDenied) as error:
                item.status = ItemStatus.UNMATCHED
                item.message = " ".join(getattr(error, "messages", [])) or _("You may not change this agreement.")
            except Exception:  # one unreadable file must not stop the batch
                logger.exception("bulk upload %s: file %s could not be handled", batch_id, item_id)
                item.status, item.message = ItemStatus.UNMATCHED, _("The file could not be read.")
            item.save()
            handled += 1
    return handled


@transaction.atomic
def bulk_item_assign(*, actor: User, item: BulkItem, agreement: Agreement) -> BulkItem:
    """Store an unmatched file as the signed scan of the agreement the user chose."""
    item = BulkItem.objects.select_for_update().get(pk=item.pk)
    if item.batch.created_by_id != actor.pk and not access.can_bulk_upload_documents(actor):
        raise PermissionDenied
    if item.status != ItemStatus.UNMATCHED or not item.file:
        raise ValidationError(_("This file is no longer waiting to be assigned."))
    _store(item, agreement, actor, MatchedBy.MANUAL)
    item.save()
    return item


def batch_progress(batch: BulkUpload) -> dict[str, int]:
    """How many files of the batch are in each state, and in all."""
    counts = dict(batch.items.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    progress = {status.value: counts.get(status.value, 0) for status in ItemStatus}
    progress["total"] = sum(counts.values())
    progress["done"] = progress["total"] - progress[ItemStatus.QUEUED]
    progress["percent"] = round(100 * progress["done"] / progress["total"]) if progress["total"] else 100
    return progress


def scan_attach(*, actor: User, batch: BulkUpload, agreement: Agreement) -> BulkItem:
    """Store the scan an agreement was registered from as its signed scan."""
    item = batch.items.order_by("position").first()
    if item is None:
        raise ValidationError(_("This file is no longer waiting to be assigned."))
    return bulk_item_assign(actor=actor, item=item, agreement=agreement)
