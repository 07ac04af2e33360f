from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.documents import bulk, proposals, services
from jalin.documents.forms import AssignForm, BulkUploadForm, DocumentUploadForm, ProposalForm, ScanForm
from jalin.documents.models import BulkItem, ItemStatus
from jalin.lib import delivery


@staff_required
@require_POST
def document_upload(request, agreement_pk):
    agreement = access.agreement_for_user(request.user, agreement_pk, write=True)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("agreements:detail", pk=agreement.pk)
    try:
        document = services.document_upload(
            actor=request.user,
            agreement=agreement,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("The file was not stored: %(reason)s") % {"reason": message})
    else:
        messages.success(
            request,
            _("%(title)s version %(version)d was stored.") % {"title": document.title, "version": document.version},
        )
    return redirect("agreements:detail", pk=agreement.pk)


@staff_required
def document_download(request, pk):
    document = access.document_for_user(request.user, pk)
    # Only after the access check: hand the bytes over as configured (DOCUMENT_DOWNLOAD).
    return delivery.file_response(document.file, filename=document.original_name, content_type=document.content_type)


@staff_required
@require_POST
def document_archive(request, pk):
    document = access.document_for_user(request.user, pk)
    services.document_archive(actor=request.user, document=document)
    messages.success(request, _("The document version was withdrawn from the list; it stays on record."))
    return redirect("agreements:detail", pk=document.agreement_id)


# Bulk upload ---------------------------------------------------------------------------


@staff_required
def bulk_upload(request):
    if not access.can_bulk_upload_documents(request.user):
        raise PermissionDenied
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = bulk.bulk_upload_start(actor=request.user, uploads=form.cleaned_data["files"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("documents:bulk", pk=batch.pk)
    return render(request, "documents/bulk_upload.html", {"form": form})


@staff_required
def bulk_detail(request, pk):
    batch = access.bulk_upload_for_user(request.user, pk)
    if batch.for_registration:
        return redirect("documents:scan", pk=batch.pk)
    items = list(batch.items.select_related("agreement", "document").order_by("position"))
    progress = bulk.batch_progress(batch)
    return render(
        request,
        "documents/bulk_detail.html",
        {"batch": batch, "items": items, "progress": progress, "assign_form": AssignForm()},
    )


@staff_required
@require_POST
def bulk_assign(request, pk, item_pk):
    batch = access.bulk_upload_for_user(request.user, pk)
    item = get_object_or_404(BulkItem, batch=batch, pk=item_pk)
    form = AssignForm(request.POST)
    number = form.cleaned_data["number"].strip() if form.is_valid() else ""
    matches = list(
        access.agreements_visible_to(request.user).filter(number__iexact=number, archived_at__isnull=True)[:2]
    )
    if len(matches) != 1:
        messages.error(request, _("No single agreement has the number %(number)s.") % {"number": number or "–"})
        return redirect("documents:bulk", pk=batch.pk)
    try:
        bulk.bulk_item_assign(actor=request.user, item=item, agreement=matches[0])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("The file was not stored: %(reason)s") % {"reason": message})
    else:
        messages.success(request, _("%(name)s was stored with %(number)s.") % {"name": item.name, "number": number})
    return redirect("documents:bulk", pk=batch.pk)


# Registering an agreement from a scan -------------------------------------------------------


@staff_required
def scan_upload(request):
    if not access.can_create_agreement(request.user):
        raise PermissionDenied
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = bulk.bulk_upload_start(actor=request.user, uploads=[form.cleaned_data["file"]], scan=True)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("documents:scan", pk=batch.pk)
    return render(request, "documents/scan_upload.html", {"form": form})


@staff_required
def scan_proposals(request, pk):
    """What Jalin read from the scan, field by field; the accepted values prefill the
    registration form. Nothing is saved here."""
    batch = access.bulk_upload_for_user(request.user, pk)
    item = batch.items.order_by("position").first()
    if item is None or not batch.for_registration:
        raise Http404
    partners = access.partners_visible_to(request.user).filter(government_id=request.user.government_id).active()
    partners = partners.order_by("name")
    found = proposals.read_proposals(item.text, partners) if item.status != ItemStatus.QUEUED else None
    if request.method == "POST":
        form = ProposalForm(request.POST, partners=partners)
        if form.is_valid():
            query = urlencode({**form.accepted(), "scan": batch.pk})
            return redirect(f"{reverse('agreements:create')}?{query}")
    else:
        initial = {}
        if found:
            initial = {name: getattr(found, name) for name in ProposalForm.FIELDS}
            initial.update({f"use_{name}": bool(value) for name, value in initial.items()})
        form = ProposalForm(initial=initial, partners=partners)
    return render(
        request, "documents/scan_proposals.html", {"batch": batch, "item": item, "found": found, "form": form}
    )
