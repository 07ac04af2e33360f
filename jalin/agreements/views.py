from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.agreements import selectors, services
from jalin.agreements.filters import AgreementFilter
from jalin.agreements.forms import AgreementForm, ArchiveForm, PartyFormSet, initial_for_new, initial_parties
from jalin.audit.logbook import logbook
from jalin.audit.selectors import audit_entries_for_agreement
from jalin.documents import bulk, proposals
from jalin.documents.forms import DocumentUploadForm
from jalin.lib.forms import RestoreForm, restore_from_post

PAGE_SIZES = (10, 25, 50, 100)

# The newest audit lines on an agreement's page; the audit trail has them all.
AUDIT_LINES = 10


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", 25))
    except ValueError:
        size = 25
    return size if size in PAGE_SIZES else 25


@staff_required
def agreement_list(request):
    visible = access.agreements_visible_to(request.user)
    data = request.GET or None
    home = access.home_agency(request.user)
    if data is None and home:
        data = {"agency": str(home)}  # an OPD officer's list opens on their own agency
    filterset = AgreementFilter(data, queryset=visible, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        # A filter value that is not allowed (another government's agency, a bad date)
        # shows the error and no rows, rather than silently ignoring every filter.
        queryset = visible.none()
    elif filterset.is_bound:
        queryset = filterset.qs
    else:
        queryset = visible.live().order_by("-signed_on", "-id")
    page = Paginator(selectors.with_list_relations(queryset), _page_size(request)).get_page(request.GET.get("page"))
    selectors.attach_document_snippets(page, visible, request.GET.get("q", ""))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/list.html",
        {
            "filter": filterset,
            "page": page,
            "querystring": query.urlencode(),
            "page_sizes": PAGE_SIZES,
            "can_create": access.can_create_agreement(request.user),
            "can_bulk_upload": access.can_bulk_upload_documents(request.user),
            "home_agency_only": home is not None and data.get("agency") == str(home) and len(data) == 1,
        },
    )


@staff_required
def agreement_detail(request, pk):
    agreement = access.agreement_for_user(request.user, pk)
    visible = access.agreements_visible_to(request.user)
    agreement = selectors.agreement_detail(visible, agreement.pk)
    documents = selectors.documents_of(agreement)
    can_change = access.can_change_agreement(request.user, agreement)
    context = {
        "agreement": agreement,
        "family": selectors.agreement_family(agreement, visible),
        "renewals": selectors.renewal_chain(agreement, visible),
        "timeline": selectors.agreement_timeline(agreement, documents),
        "documents": documents,
        "can_change": can_change,
        "is_published": access.is_published(agreement),
        "can_archive": access.can_archive_agreement(request.user, agreement),
        "can_create": access.can_create_agreement(request.user),
        "upload_form": DocumentUploadForm() if can_change else None,
        "archive_form": ArchiveForm(),
        "can_restore": access.can_restore_agreement(request.user, agreement),
        "restore_form": RestoreForm(),
        "audit_lines": logbook(audit_entries_for_agreement(agreement)[:AUDIT_LINES], government=agreement.government)
        if access.can_view_audit(request.user)
        else None,
    }
    return render(request, "agreements/detail.html", context)


def _save(request, agreement=None):
    """Create (agreement is None) or edit an agreement through the service."""
    parent = scan = None
    if agreement is None and request.GET.get("parent"):
        parent = access.agreement_for_user(request.user, request.GET["parent"])
    if agreement is not None:
        initial, parties_initial = {"edited_version": services.edit_version(agreement)}, initial_parties(agreement)
    else:
        initial, parties_initial = initial_for_new(parent, request.GET.get("kind"))
        if request.GET.get("renews"):
            predecessor = access.agreement_for_user(request.user, request.GET["renews"])
            initial.update(
                kind=predecessor.kind,
                category=predecessor.category,
                predecessor=predecessor.pk,
                parent=predecessor.parent_id,
                title=predecessor.title,
                lead_agency=predecessor.lead_agency_id,
            )
            parties_initial = initial_parties(predecessor)
            for party in parties_initial:
                party["party_number"] = ""
        if request.GET.get("scan"):
            scan = access.bulk_upload_for_user(request.user, request.GET["scan"])
            # Registering from a scan: the proposals the officer accepted prefill the form.
            scan_initial, scan_parties = proposals.initial_from_query(request.GET)
            initial.update(scan_initial)
            parties_initial = scan_parties or parties_initial
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, user=request.user, instance=agreement, initial=initial)
    parties = PartyFormSet(data, prefix="party", initial=parties_initial, form_kwargs={"user": request.user})
    if data is not None and form.is_valid() and parties.is_valid():
        arguments = {
            "actor": request.user,
            "fields": form.service_fields(),
            "parties": parties.party_inputs(),
            "supporting_agencies": form.cleaned_data["supporting_agencies"],
            "affairs": form.cleaned_data["affairs"],
        }
        try:
            if agreement is None:
                agreement = services.agreement_create(**arguments)
                messages.success(request, _("The agreement was registered."))
                if scan is not None:
                    _attach_scan(request, scan, agreement)
            else:
                agreement = services.agreement_update(
                    agreement=agreement, edited_version=form.cleaned_data["edited_version"] or None, **arguments
                )
                messages.success(request, _("Changes saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("agreements:detail", pk=agreement.pk)
    if data is not None and (form.errors or parties.errors or parties.non_form_errors()):
        messages.error(request, _("The agreement was not saved. Check the fields marked below."))
    return render(
        request,
        "agreements/form.html",
        {"form": form, "parties": parties, "agreement": agreement, "parent": parent},
    )


def _attach_scan(request, scan, agreement) -> None:
    try:
        bulk.scan_attach(actor=request.user, batch=scan, agreement=agreement)
    except (ValidationError, PermissionDenied) as error:
        reason = " ".join(getattr(error, "messages", [])) or _("You may not change this agreement.")
        messages.error(request, _("The scan was not stored: %(reason)s") % {"reason": reason})
    else:
        messages.success(request, _("The scan was stored as its signed document."))


@staff_required
def agreement_create(request):
    if not access.can_create_agreement(request.user):
        raise PermissionDenied
    return _save(request)


@staff_required
def agreement_edit(request, pk):
    agreement = access.agreement_for_user(request.user, pk, write=True)
    return _save(request, agreement)


@staff_required
@require_POST
def agreement_archive(request, pk):
    agreement = access.agreement_for_user(request.user, pk)
    if not access.can_archive_agreement(request.user, agreement):
        raise PermissionDenied
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State why the agreement is archived."))
        return redirect("agreements:detail", pk=agreement.pk)
    try:
        services.agreement_archive(actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The agreement was archived. It stays on record and in the audit trail."))
    return redirect("agreements:detail", pk=agreement.pk)


@staff_required
@require_POST
def agreement_restore(request, pk):
    agreement = access.agreement_for_user(request.user, pk)
    if not access.can_restore_agreement(request.user, agreement):
        raise PermissionDenied
    restore_from_post(
        request,
        lambda reason: services.agreement_restore(actor=request.user, agreement=agreement, reason=reason),
        _("The agreement is back in the register. The audit trail records why."),
    )
    return redirect("agreements:detail", pk=agreement.pk)
