"""Writes to the partner register, with duplicate detection."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.audit.context import acting_as
from jalin.partners.models import Partner, PartnerType, normalise_name, normalise_tax_number

EDITABLE_FIELDS = (
    "name",
    "partner_type",
    "region",
    "tax_number",
    "country",
    "address",
    "contact_name",
    "email",
    "phone",
    "website",
)


def find_duplicates(*, government_id: int, fields: dict, exclude_pk=None) -> QuerySet:
    """Partners of the same government that look like the same real partner:
    the same normalised name, the same region code, or the same tax number."""
    conditions = Q(normalised_name=normalise_name(fields.get("name", "")))
    if fields.get("region"):
        conditions |= Q(region=fields["region"])
    tax = normalise_tax_number(fields.get("tax_number", ""))
    if tax:
        conditions |= Q(tax_number=tax)
    return Partner.objects.active().filter(conditions, government_id=government_id).exclude(pk=exclude_pk)


def _refuse_duplicates(duplicates: QuerySet) -> None:
    names = [partner.name for partner in duplicates[:5]]
    if names:
        raise ValidationError(
            _(
                "This partner looks like one already registered: %(names)s. Use the existing partner, "
                "or confirm that this is a different one."
            )
            % {"names": ", ".join(names)},
            code="duplicate",
        )


def _validate(fields: dict) -> None:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("Enter the partner's name.")
    if fields.get("partner_type") == PartnerType.GOVERNMENT and not fields.get("region"):
        errors["region"] = _("Choose the region of the partner government.")
    if fields.get("partner_type") != PartnerType.GOVERNMENT and fields.get("region"):
        errors["region"] = _("A region is only set for a partner that is a regional government.")
    tax = normalise_tax_number(fields.get("tax_number", ""))
    if tax and len(tax) not in (15, 16):
        errors["tax_number"] = _("An NPWP has 15 or 16 digits.")
    if errors:
        raise ValidationError(errors)


def _apply(partner: Partner, fields: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(partner, name, fields[name])
    partner.name = partner.name.strip()
    partner.normalised_name = normalise_name(partner.name)
    partner.tax_number = normalise_tax_number(partner.tax_number)


@transaction.atomic
def partner_create(*, actor: User, fields: dict, allow_duplicate: bool = False) -> Partner:
    if not access.can_manage_register(actor):
        raise PermissionDenied
    _validate(fields)
    if not allow_duplicate:
        _refuse_duplicates(find_duplicates(government_id=actor.government_id, fields=fields))
    with acting_as(actor):
        partner = Partner(government_id=actor.government_id)
        _apply(partner, fields)
        partner.save()
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, fields: dict, allow_duplicate: bool = False) -> Partner:
    partner = access.partner_for_user(actor, partner.pk, write=True)
    _validate(fields)
    if not allow_duplicate:
        _refuse_duplicates(find_duplicates(government_id=partner.government_id, fields=fields, exclude_pk=partner.pk))
    with acting_as(actor):
        _apply(partner, fields)
        partner.save()
    return partner


def _restore_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("At most %(limit)d characters.") % {"limit": 2000}})
    return reason


@transaction.atomic
def partner_restore(*, actor: User, partner: Partner, reason: str) -> Partner:
    """Bring an archived partner back into the register, with the reason (audited). Refused
    when a live partner registered meanwhile looks like the same one: use that one instead."""
    partner = access.partner_for_user(actor, partner.pk)
    if not access.can_restore_register_item(actor, partner):
        raise PermissionDenied
    reason = _restore_reason(reason, _("State why the partner is restored."))
    fields = {"name": partner.name, "region": partner.region, "tax_number": partner.tax_number}
    duplicates = find_duplicates(government_id=partner.government_id, fields=fields, exclude_pk=partner.pk)
    names = [other.name for other in duplicates[:5]]
    if names:
        raise ValidationError(
            {
                "reason": _("A partner in the register looks like this one: %(names)s. Use it instead of restoring.")
                % {"names": ", ".join(names)}
            }
        )
    with acting_as(actor):
        partner.archived_at = None
        partner.restore_reason = reason
        partner.save(update_fields=["archived_at", "restore_reason", "updated_at"])
    return partner


@transaction.atomic
def partner_archive(*, actor: User, partner: Partner) -> Partner:
    partner = access.partner_for_user(actor, partner.pk, write=True)
    if partner.archived_at:
        raise ValidationError(_("This partner is already archived."))
    with acting_as(actor):
        partner.archived_at = timezone.now()
        partner.save(update_fields=["archived_at", "updated_at"])
    return partner
