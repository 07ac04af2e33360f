from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.governments import services
from jalin.governments.forms import AgencyForm
from jalin.lib.forms import RestoreForm, restore_from_post


@staff_required
def agency_list(request):
    archived = request.GET.get("archived") == "1"
    agencies = (
        access.agencies_visible_to(request.user)
        .filter(archived_at__isnull=not archived)
        .select_related("government")
        .annotate(
            # Count only the agreements this user may see: counts must not reveal others.
            lead_count=Count(
                "led_agreements",
                filter=Q(
                    led_agreements__archived_at__isnull=True,
                    led_agreements__in=access.agreements_visible_to(request.user),
                ),
                distinct=True,
            ),
            officer_count=Count("officers", distinct=True),
        )
        .order_by("government__code", "name")
    )
    return render(
        request,
        "agencies/list.html",
        {"agencies": agencies, "can_manage": access.can_manage_register(request.user), "archived": archived},
    )


def _save(request, agency=None):
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            if agency is None:
                services.agency_create(actor=request.user, fields=form.cleaned_data)
            else:
                services.agency_update(actor=request.user, agency=agency, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("agencies:list")
    return render(
        request,
        "agencies/form.html",
        {
            "form": form,
            "agency": agency,
            "can_restore": agency is not None and access.can_restore_register_item(request.user, agency),
            "restore_form": RestoreForm(),
        },
    )


@staff_required
def agency_create(request):
    if not access.can_manage_register(request.user):
        raise PermissionDenied
    return _save(request)


@staff_required
def agency_edit(request, pk):
    return _save(request, access.agency_for_user(request.user, pk, write=True))


@staff_required
@require_POST
def agency_archive(request, pk):
    agency = access.agency_for_user(request.user, pk, write=True)
    services.agency_archive(actor=request.user, agency=agency)
    messages.success(request, _("Agency archived."))
    return redirect("agencies:list")


@staff_required
@require_POST
def agency_restore(request, pk):
    agency = access.agency_for_user(request.user, pk)
    if not access.can_restore_register_item(request.user, agency):
        raise PermissionDenied
    if restore_from_post(
        request,
        lambda reason: services.agency_restore(actor=request.user, agency=agency, reason=reason),
        _("The agency is back in the register. The audit trail records why."),
    ):
        return redirect("agencies:list")
    return redirect("agencies:edit", pk=agency.pk)
