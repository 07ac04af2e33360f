"""Writes to a government's agencies (OPD)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.audit.context import acting_as
from jalin.governments.models import Agency

EDITABLE_FIELDS = ("name", "short_name", "head_name", "head_title", "email", "phone")


def _validate(government_id: int, fields: dict, exclude_pk=None) -> None:
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the agency's name.")})
    if Agency.objects.filter(government_id=government_id, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("This government already has an agency with this name.")})


@transaction.atomic
def agency_create(*, actor: User, fields: dict) -> Agency:
    if not access.can_manage_register(actor):
        raise PermissionDenied
    _validate(actor.government_id, fields)
    with acting_as(actor):
        agency = Agency(government_id=actor.government_id)
        for name in EDITABLE_FIELDS:
            setattr(agency, name, (fields.get(name) or "").strip())
        agency.save()
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, fields: dict) -> Agency:
    agency = access.agency_for_user(actor, agency.pk, write=True)
    _validate(agency.government_id, fields, exclude_pk=agency.pk)
    with acting_as(actor):
        for name in EDITABLE_FIELDS:
            setattr(agency, name, (fields.get(name) or "").strip())
        agency.save()
    return agency


@transaction.atomic
def agency_restore(*, actor: User, agency: Agency, reason: str) -> Agency:
    """Bring an archived agency back (its officers and agreements were kept), with the reason (audited)."""
    agency = access.agency_for_user(actor, agency.pk)
    if not access.can_restore_register_item(actor, agency):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("State why the agency is restored.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("At most %(limit)d characters.") % {"limit": 2000}})
    with acting_as(actor):
        agency.archived_at = None
        agency.restore_reason = reason
        agency.save(update_fields=["archived_at", "restore_reason", "updated_at"])
    return agency


@transaction.atomic
def agency_archive(*, actor: User, agency: Agency) -> Agency:
    agency = access.agency_for_user(actor, agency.pk, write=True)
    if agency.archived_at:
        raise ValidationError(_("This agency is already archived."))
    with acting_as(actor):
        agency.archived_at = timezone.now()
        agency.save(update_fields=["archived_at", "updated_at"])
    return agency
