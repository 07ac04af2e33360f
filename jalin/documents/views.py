from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.documents import services
from jalin.documents.forms import DocumentUploadForm
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
