"""Who may see and change what. Every view, download, export, report and API endpoint
goes through these functions; scoping is never re-implemented elsewhere.

Rules (from the brief):
- every staff user belongs to one government and sees nothing of another government,
  unless they are a supervisor of it (a province supervises its regencies and cities;
  the national government supervises everyone);
- admin: everything in their government;
- OPD officer: agreements where their agency leads or supports, plus published ones;
  may change only the former;
- TKKSD reviewer, leader, auditor: read everything of their government;
- auditor and admin: read the audit trail;
- supervisor: read everything of the governments below it.

Objects that exist but are not visible raise Http404 (their existence is not revealed);
visible objects the user may not change raise PermissionDenied.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement
from jalin.documents.models import BulkUpload, Document
from jalin.governments.models import Agency, Government
from jalin.partners.models import Partner

READ_ALL_ROLES = {Role.ADMIN, Role.TKKSD_REVIEWER, Role.LEADER, Role.AUDITOR, Role.SUPERVISOR}
AGREEMENT_WRITE_ROLES = {Role.ADMIN, Role.OPD_OFFICER}


def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff_member)


def require_staff(user) -> User:
    if not is_staff_member(user):
        raise PermissionDenied
    return user


def visible_government_ids(user) -> QuerySet:
    """The governments whose non-public data the user may read."""
    if not is_staff_member(user):
        return Government.objects.none().values("pk")
    if user.role == Role.SUPERVISOR:
        own = user.government_id
        return Government.objects.filter(Q(pk=own) | Q(parent_id=own) | Q(parent__parent_id=own)).values("pk")
    return Government.objects.filter(pk=user.government_id).values("pk")


def whole_governments_visible_to(user) -> list[int] | None:
    """The governments all of whose agreements the user sees (so figures may be read from
    per-government summaries), or None when the user sees only part of one government's."""
    if not is_staff_member(user) or user.role not in READ_ALL_ROLES:
        return None
    return list(visible_government_ids(user).values_list("pk", flat=True).order_by("pk"))


def compares_provinces(user) -> bool:
    """A national supervisor compares provinces (each with its regencies and cities) rather
    than hundreds of governments side by side: on the dashboard and in reports."""
    return is_staff_member(user) and user.role == Role.SUPERVISOR and user.government.level == Government.Level.NATIONAL


# Agreements ---------------------------------------------------------------------------


def published_q(prefix: str = "") -> Q:
    """Published: marked public, signed and not archived. The one definition of what the public
    (and officers of other agencies) may see of an agreement; `prefix` for a related agreement."""
    lead = f"{prefix}__" if prefix else ""
    return Q(**{f"{lead}is_public": True, f"{lead}signed_on__isnull": False, f"{lead}archived_at__isnull": True})


def is_published(agreement: Agreement) -> bool:
    return bool(agreement.is_public and agreement.signed_on and not agreement.archived_at)


def published_agreements() -> QuerySet:
    return Agreement.objects.filter(published_q())


def agreements_visible_to(user) -> QuerySet:
    if not is_staff_member(user):
        return Agreement.objects.none()
    if user.role == Role.SUPERVISOR:
        return Agreement.objects.filter(government_id__in=visible_government_ids(user))
    own = Agreement.objects.filter(government_id=user.government_id)
    if user.role in READ_ALL_ROLES:
        return own
    if user.role == Role.OPD_OFFICER:
        return own.filter(
            Q(lead_agency_id=user.agency_id)
            | Q(
                pk__in=Agreement.supporting_agencies.through.objects.filter(agency_id=user.agency_id).values(
                    "agreement_id"
                )
            )
            | published_q()
        )
    return Agreement.objects.none()


def can_create_agreement(user) -> bool:
    return is_staff_member(user) and user.role in AGREEMENT_WRITE_ROLES


def can_change_agreement(user, agreement: Agreement) -> bool:
    if not is_staff_member(user) or agreement.government_id != user.government_id:
        return False
    if agreement.archived_at:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OPD_OFFICER:
        return (
            agreement.lead_agency_id == user.agency_id
            or agreement.supporting_agencies.filter(pk=user.agency_id).exists()
        )
    return False


def can_archive_agreement(user, agreement: Agreement) -> bool:
    return (
        is_staff_member(user)
        and user.role == Role.ADMIN
        and agreement.government_id == user.government_id
        and not agreement.archived_at
    )


def can_restore_agreement(user, agreement: Agreement) -> bool:
    """Bring an archived agreement back into the register: the admin of its government."""
    return (
        is_staff_member(user)
        and user.role == Role.ADMIN
        and agreement.government_id == user.government_id
        and agreement.archived_at is not None
    )


def agreement_for_user(user, pk, write: bool = False) -> Agreement:
    try:
        agreement = agreements_visible_to(user).select_related("government", "lead_agency").get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_change_agreement(user, agreement):
        raise PermissionDenied
    return agreement


def liaison_officers_of(government_id) -> QuerySet:
    """Who may be an agreement's liaison officer: an active agency officer of its government."""
    return User.objects.filter(government_id=government_id, role=Role.OPD_OFFICER, is_active=True)


def may_be_liaison_officer(user, government_id) -> bool:
    return bool(
        user is not None and user.is_active and user.role == Role.OPD_OFFICER and user.government_id == government_id
    )


# Documents ----------------------------------------------------------------------------


def document_for_user(user, pk) -> Document:
    try:
        document = Document.objects.select_related("agreement").get(pk=pk, archived_at__isnull=True)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # Visibility of a document is the visibility of its agreement.
    agreement_for_user(user, document.agreement_id)
    return document


def can_bulk_upload_documents(user) -> bool:
    """Many files at once, matched to agreements by number: the admin's."""
    return is_staff_member(user) and user.role == Role.ADMIN


def bulk_upload_for_user(user, pk) -> BulkUpload:
    """A bulk upload (or a scan to register from) is its uploader's, and their government's admins'."""
    try:
        batch = BulkUpload.objects.select_related("created_by").get(pk=pk)
    except (BulkUpload.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not is_staff_member(user) or not (
        batch.created_by_id == user.pk
        or (can_bulk_upload_documents(user) and batch.government_id == user.government_id)
    ):
        raise Http404
    return batch


# Partners and agencies ----------------------------------------------------------------


def partners_visible_to(user) -> QuerySet:
    if not is_staff_member(user):
        return Partner.objects.none()
    return Partner.objects.filter(government_id__in=visible_government_ids(user))


def can_manage_register(user) -> bool:
    """Partners and agencies are the admin's to manage."""
    return is_staff_member(user) and user.role == Role.ADMIN


def partner_for_user(user, pk, write: bool = False) -> Partner:
    try:
        partner = partners_visible_to(user).get(pk=pk)
    except (Partner.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not (can_manage_register(user) and partner.government_id == user.government_id):
        raise PermissionDenied
    return partner


def agencies_visible_to(user) -> QuerySet:
    if not is_staff_member(user):
        return Agency.objects.none()
    return Agency.objects.filter(government_id__in=visible_government_ids(user))


def agency_for_user(user, pk, write: bool = False) -> Agency:
    try:
        agency = agencies_visible_to(user).get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not (can_manage_register(user) and agency.government_id == user.government_id):
        raise PermissionDenied
    return agency


def can_restore_register_item(user, item: Partner | Agency) -> bool:
    """Bring an archived partner or agency back: the admin of the government that owns it."""
    return can_manage_register(user) and item.government_id == user.government_id and item.archived_at is not None


# Audit trail --------------------------------------------------------------------------


def can_view_audit(user) -> bool:
    return is_staff_member(user) and user.role in (Role.ADMIN, Role.AUDITOR)


def audit_actors_for(user) -> QuerySet:
    """The people whose changes a reader of the audit trail may filter by: their own government's."""
    if not can_view_audit(user):
        return User.objects.none()
    return User.objects.filter(government_id=user.government_id)


# Issued periodic reports ---------------------------------------------------------------


def can_issue_report(user) -> bool:
    """The official periodic report of a government is issued (and re-issued) by its Bagian
    Kerja Sama: an admin, for their own government."""
    return is_staff_member(user) and user.role == Role.ADMIN


def can_oversee_report_issuing(user) -> bool:
    """A supervisor sees which of the governments below it have issued their periodic report."""
    return is_staff_member(user) and user.role == Role.SUPERVISOR


# Accounts -----------------------------------------------------------------------------


def can_manage_api_tokens(actor, owner) -> bool:
    """A staff user mints, lists and revokes their own API tokens only."""
    return is_staff_member(actor) and actor.pk == owner.pk


def can_manage_officers(user) -> bool:
    """An admin sees their government's staff list (to send password resets)."""
    return is_staff_member(user) and user.role == Role.ADMIN


def can_reset_password_of(actor, officer) -> bool:
    """An admin resets the password of another staff user of their own government."""
    return bool(
        is_staff_member(actor)
        and actor.role == Role.ADMIN
        and officer.pk != actor.pk
        and officer.government_id == actor.government_id
        and not officer.is_superuser
    )


def home_agency(user) -> int | None:
    """The agency whose work a user's lists open on: an OPD officer's own agency (they may
    widen the list to everything they can see); nobody else has one."""
    if is_staff_member(user) and user.role == Role.OPD_OFFICER and user.agency_id:
        return user.agency_id
    return None
