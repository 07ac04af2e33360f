from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.agreements.selectors import with_list_relations
from jalin.lib.forms import RestoreForm, restore_from_post
from jalin.partners import services
from jalin.partners.forms import PartnerForm
from jalin.partners.models import PartnerType, normalise_name


@staff_required
def partner_list(request):
    archived = request.GET.get("archived") == "1"
    partners = access.partners_visible_to(request.user).select_related("region", "government")
    partners = partners.filter(archived_at__isnull=not archived)
    text = request.GET.get("q", "").strip()
    if text:
        partners = partners.filter(Q(normalised_name__contains=normalise_name(text)) | Q(name__icontains=text))
    partner_type = request.GET.get("type", "")
    if partner_type in PartnerType.values:
        partners = partners.filter(partner_type=partner_type)
    # Count only live agreements this user may see: counts must not reveal others.
    visible = access.agreements_visible_to(request.user).live()
    partners = partners.annotate(
        agreement_count=Count("parties", filter=Q(parties__agreement__in=visible), distinct=True)
    ).order_by("name")
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/list.html",
        {
            "page": page,
            "q": text,
            "type": partner_type,
            "archived": archived,
            "types": PartnerType.choices,
            "can_manage": access.can_manage_register(request.user),
        },
    )


@staff_required
def partner_detail(request, pk):
    partner = access.partner_for_user(request.user, pk)
    agreements = with_list_relations(
        access.agreements_visible_to(request.user).filter(parties__partner=partner).live()
    ).order_by("-signed_on")
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "agreements": agreements,
            "can_manage": access.can_manage_register(request.user)
            and partner.government_id == request.user.government_id
            and not partner.archived_at,
            "can_restore": access.can_restore_register_item(request.user, partner),
            "restore_form": RestoreForm(),
        },
    )


def _save(request, partner=None):
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            if partner is None:
                partner = services.partner_create(
                    actor=request.user,
                    fields=form.service_fields(),
                    allow_duplicate=form.cleaned_data["allow_duplicate"],
                )
            else:
                partner = services.partner_update(
                    actor=request.user,
                    partner=partner,
                    fields=form.service_fields(),
                    allow_duplicate=form.cleaned_data["allow_duplicate"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/form.html", {"form": form, "partner": partner})


@staff_required
def partner_create(request):
    if not access.can_manage_register(request.user):
        raise PermissionDenied
    return _save(request)


@staff_required
def partner_edit(request, pk):
    return _save(request, access.partner_for_user(request.user, pk, write=True))


@staff_required
@require_POST
def partner_archive(request, pk):
    partner = access.partner_for_user(request.user, pk, write=True)
    services.partner_archive(actor=request.user, partner=partner)
    messages.success(request, _("Partner archived. Agreements with this partner are kept."))
    return redirect("partners:list")


@staff_required
@require_POST
def partner_restore(request, pk):
    partner = access.partner_for_user(request.user, pk)
    if not access.can_restore_register_item(request.user, partner):
        raise PermissionDenied
    restore_from_post(
        request,
        lambda reason: services.partner_restore(actor=request.user, partner=partner, reason=reason),
        _("The partner is back in the register. The audit trail records why."),
    )
    return redirect("partners:detail", pk=partner.pk)
