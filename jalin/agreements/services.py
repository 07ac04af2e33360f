"""Writes to agreements. Views, imports, commands and the API all call these functions."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import Role, User
from jalin.agreements.models import (
    IMPLEMENTING_KINDS,
    UMBRELLA_KINDS,
    Agreement,
    AgreementParty,
    Category,
    Kind,
)
from jalin.audit.context import acting_as
from jalin.governments.models import Agency, Government
from jalin.partners.models import Partner

FOREIGN_CATEGORIES = (Category.KSDPL, Category.KSDLL)

# Fields a form or import may set directly; everything else is derived or lifecycle.
EDITABLE_FIELDS = (
    "category",
    "kind",
    "number",
    "title",
    "object",
    "scope",
    "our_signatory_name",
    "our_signatory_title",
    "power_of_attorney_ref",
    "lead_agency",
    "liaison_officer",
    "parent",
    "predecessor",
    "signed_on",
    "effective_on",
    "ends_on",
    "longer_term_basis",
    "financing",
    "value",
    "dprd_approval_ref",
    "central_approval_ref",
    "intended_benefits",
    "is_public",
)


@dataclass
class PartyInput:
    partner: Partner
    party_number: str = ""
    signatory_name: str = ""
    signatory_title: str = ""


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validate_agreement(
    *,
    government: Government,
    fields: dict,
    parties: list[PartyInput],
    supporting_agencies: list[Agency],
    instance: Agreement | None = None,
) -> None:
    """Check every rule an agreement must satisfy; raise one ValidationError with all problems."""
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    kind = fields.get("kind")
    start = fields.get("effective_on") or fields.get("signed_on")
    ends_on = fields.get("ends_on")
    if ends_on and start and ends_on <= start:
        problem("ends_on", _("The end date must be after the start date."))
    if fields.get("signed_on") and fields["signed_on"] > timezone.localdate():
        problem("signed_on", _("The signing date cannot be in the future."))
    if (
        kind == Kind.PKS
        and start
        and ends_on
        and ends_on > _add_years(start, settings.PKS_MAX_YEARS)
        and not (fields.get("longer_term_basis") or "").strip()
    ):
        problem(
            "longer_term_basis",
            _("A PKS longer than %(years)d years needs the legal basis that allows it.")
            % {"years": settings.PKS_MAX_YEARS},
        )

    lead = fields.get("lead_agency")
    if lead is None:
        problem("lead_agency", _("Choose the lead agency."))
    elif lead.government_id != government.pk:
        problem("lead_agency", _("The lead agency must belong to this government."))
    for agency in supporting_agencies:
        if agency.government_id != government.pk:
            problem("supporting_agencies", _("Supporting agencies must belong to this government."))
        if lead is not None and agency.pk == lead.pk:
            problem("supporting_agencies", _("The lead agency cannot also be a supporting agency."))

    officer = fields.get("liaison_officer")
    if officer is not None and not access.may_be_liaison_officer(officer, government.pk):
        problem("liaison_officer", _("The liaison officer must be an active agency officer of this government."))

    if not parties:
        problem("__all__", _("Add at least one partner."))
    partner_ids = [party.partner.pk for party in parties]
    if len(set(partner_ids)) != len(partner_ids):
        problem("__all__", _("A partner can be a party only once."))
    for party in parties:
        if party.partner.government_id != government.pk:
            problem("__all__", _("Partners must come from this government's register."))
        party_number = (party.party_number or "").strip()  # stored stripped, so compare stripped
        if (
            party_number
            and AgreementParty.objects.filter(partner=party.partner, party_number=party_number)
            .exclude(agreement=instance)
            .exists()
        ):
            problem(
                "__all__",
                _("%(partner)s already has an agreement numbered %(number)s.")
                % {"partner": party.partner.name, "number": party_number},
            )

    number = (fields.get("number") or "").strip()
    if (
        number
        and Agreement.objects.filter(government=government, number=number)
        .exclude(pk=getattr(instance, "pk", None))
        .exists()
    ):
        problem("number", _("Another agreement of this government already has this number."))

    _validate_lineage(government, fields, partner_ids, instance, problem)

    if fields.get("category") in FOREIGN_CATEGORIES and fields.get("signed_on") and kind != Kind.LOI:
        # Permendagri 25/2020: foreign cooperation always needs DPRD and central government approval.
        if not (fields.get("central_approval_ref") or "").strip():
            problem(
                "central_approval_ref",
                _("A signed foreign cooperation needs the central government approval reference."),
            )
        if not (fields.get("dprd_approval_ref") or "").strip():
            problem("dprd_approval_ref", _("A signed foreign cooperation needs the DPRD approval reference."))

    value = fields.get("value")
    if value is not None and value < 0:
        # checked here, not left to the database constraint (whose error read as a duplicate number)
        problem("value", _("Must be 0 or more."))
    _validate_final_title(fields, problem)

    for name, limit in (("title", 500), ("number", 120)):
        if len(fields.get(name) or "") > limit:
            problem(name, _("At most %(limit)d characters.") % {"limit": limit})
    if not (fields.get("title") or "").strip():
        problem("title", _("Enter the title of the agreement."))

    if errors:
        raise ValidationError(errors)


PROPOSAL_PREFIX = re.compile(r"^usulan\b[\s:\-–—]*", re.IGNORECASE)


def strip_proposal_prefix(title: str) -> str:
    """A proposal's working title without its "Usulan …" prefix: the prefill of the final
    title asked for at signing ("Usulan telemedisin puskesmas" → "Telemedisin puskesmas")."""
    title = PROPOSAL_PREFIX.sub("", (title or "").strip(), count=1).strip()
    return title[:1].upper() + title[1:]


def _is_proposal_title(title: str) -> bool:
    return bool(PROPOSAL_PREFIX.match((title or "").strip()))


def _validate_final_title(fields: dict, problem) -> None:
    """A signed document carries its final title: an "Usulan …" (proposal) title never
    enters the register of signed agreements."""
    title = (fields.get("title") or "").strip()
    if fields.get("signed_on") and _is_proposal_title(title):
        problem(
            "title",
            _(
                "A signed document carries its final title, not the proposal's: remove “Usulan” (for example “%(title)s”)."
            )
            % {"title": strip_proposal_prefix(title)},
        )


def _validate_lineage(government, fields, partner_ids, instance, problem) -> None:
    kind = fields.get("kind")
    parent = fields.get("parent")
    predecessor = fields.get("predecessor")
    if kind == Kind.ADDENDUM and parent is None:
        problem("parent", _("An addendum must name the agreement it amends."))
    if parent is not None:
        if parent.government_id != government.pk:
            problem("parent", _("The parent document must belong to this government."))
        elif parent.archived_at is not None:
            problem("parent", _("The parent document is archived; choose a document still in the register."))
        elif instance is not None and _reaches(parent, instance, "parent"):
            problem("parent", _("An agreement cannot be placed under itself or its own descendants."))
        elif kind in IMPLEMENTING_KINDS:
            if parent.kind not in UMBRELLA_KINDS:
                problem("parent", _("A PKS or RK must be placed under a KSB, NK or MoU."))
            else:
                parent_partner_ids = set(parent.partners.values_list("pk", flat=True))
                if not set(partner_ids) <= parent_partner_ids:
                    problem("parent", _("A PKS or RK must have the same partners as its KSB, NK or MoU."))
        elif kind == Kind.ADDENDUM:
            if parent.kind == Kind.ADDENDUM:
                problem("parent", _("An addendum amends the original agreement, not another addendum."))
        else:
            problem("parent", _("Only a PKS, RK or addendum is placed under another document."))
    if predecessor is not None:
        if predecessor.government_id != government.pk:
            problem("predecessor", _("The renewed agreement must belong to this government."))
        elif instance is not None and _reaches(predecessor, instance, "predecessor"):
            problem("predecessor", _("An agreement cannot renew itself or one of its own renewals."))
        elif predecessor.kind != kind:
            problem("predecessor", _("A renewal must be of the same kind as the agreement it renews."))


def _reaches(start: Agreement, target: Agreement, link: str) -> bool:
    """Whether following `link` (parent or predecessor) from `start` arrives at `target`,
    i.e. whether making `start` the target's link would close a cycle. Chains are short
    (KSB -> PKS -> addendum; a handful of renewals), and the walk is bounded."""
    node, steps = start, 0
    while node is not None and steps < 50:
        if node.pk == target.pk:
            return True
        node, steps = getattr(node, link), steps + 1
    return False


def _search_text(agreement: Agreement, parties: list[PartyInput]) -> str:
    names = [party.partner.name for party in parties] + [party.party_number for party in parties]
    if agreement.lead_agency_id:
        names.append(agreement.lead_agency.name)
    return agreement.build_search_text(names)


def _save_parties(agreement: Agreement, parties: list[PartyInput], *, new: bool = False) -> None:
    existing = {} if new else {party.partner_id: party for party in agreement.parties.all()}
    keep = set()
    for position, item in enumerate(parties):
        keep.add(item.partner.pk)
        party = existing.get(item.partner.pk) or AgreementParty(agreement=agreement, partner=item.partner)
        values = {
            "party_number": item.party_number.strip(),
            "signatory_name": item.signatory_name.strip(),
            "signatory_title": item.signatory_title.strip(),
            "position": position,
        }
        if party.pk and all(getattr(party, key) == value for key, value in values.items()):
            continue
        for key, value in values.items():
            setattr(party, key, value)
        party.save()
    # A party removed from the agreement is a real change to the document: its row goes,
    # and the audit trail keeps it (AgreementParty is audited).
    for partner_id, party in existing.items():
        if partner_id not in keep:
            party.delete()


def _check_opd_scope(actor: User, fields: dict, supporting: list[Agency]) -> None:
    if actor.role != Role.OPD_OFFICER:
        return
    lead = fields.get("lead_agency")
    if (lead is None or lead.pk != actor.agency_id) and actor.agency_id not in {a.pk for a in supporting}:
        raise ValidationError(
            {"lead_agency": _("As an agency officer you can only register agreements your agency takes part in.")}
        )


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    fields: dict,
    parties: list[PartyInput],
    supporting_agencies: list[Agency] = (),
    affairs=(),
) -> Agreement:
    if not access.can_create_agreement(actor):
        raise PermissionDenied
    government = actor.government
    supporting_agencies = list(supporting_agencies)
    _check_opd_scope(actor, fields, supporting_agencies)
    _check_workflow_guard(fields=fields, instance=None)
    validate_agreement(government=government, fields=fields, parties=parties, supporting_agencies=supporting_agencies)
    with acting_as(actor):
        agreement = Agreement(government=government, created_by=actor)
        for name in EDITABLE_FIELDS:
            if name in fields:
                setattr(agreement, name, fields[name])
        agreement.number = (agreement.number or "").strip()
        agreement.search_text = _search_text(agreement, parties)
        try:
            with transaction.atomic():
                agreement.save()
                _save_parties(agreement, parties, new=True)
        except IntegrityError as error:  # a concurrent insert won the race for a number
            raise ValidationError(_("Another agreement already has this number. Reload and try again.")) from error
        # a new agreement has no links yet: nothing to read back, only to add (audited as m2m changes)
        if supporting_agencies:
            agreement.supporting_agencies.add(*supporting_agencies)
        affairs = list(affairs)
        if affairs:
            agreement.affairs.add(*affairs)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    fields: dict,
    parties: list[PartyInput],
    supporting_agencies: list[Agency] = (),
    affairs=(),
    edited_version: str | None = None,
) -> Agreement:
    """Save an edit. `edited_version` is the `edit_version()` of the agreement the user
    started from: when someone else saved in between, the edit is refused rather than
    silently overwriting their change (optimistic locking)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not access.can_change_agreement(actor, agreement):
        raise PermissionDenied
    if edited_version is not None and edited_version != edit_version(agreement):
        raise ValidationError(_changed_meanwhile_message(agreement), code="stale")
    supporting_agencies = list(supporting_agencies)
    _check_opd_scope(actor, fields, supporting_agencies)
    _check_workflow_guard(fields=fields, instance=agreement)
    validate_agreement(
        government=agreement.government,
        fields=fields,
        parties=parties,
        supporting_agencies=supporting_agencies,
        instance=agreement,
    )
    with acting_as(actor):
        for name in EDITABLE_FIELDS:
            if name in fields:
                setattr(agreement, name, fields[name])
        agreement.number = (agreement.number or "").strip()
        agreement.search_text = _search_text(agreement, parties)
        try:
            with transaction.atomic():
                agreement.save()
                _save_parties(agreement, parties)
        except IntegrityError as error:  # a concurrent save won the race for a number
            raise ValidationError(_("Another agreement already has this number. Reload and try again.")) from error
        agreement.supporting_agencies.set(supporting_agencies)
        agreement.affairs.set(affairs)
    return agreement


def edit_version(agreement: Agreement) -> str:
    """A token that changes whenever the agreement is saved (its updated_at, to the microsecond)."""
    return agreement.updated_at.isoformat()


def _changed_meanwhile_message(agreement: Agreement) -> str:
    last = agreement.audit_entries.select_related("actor").order_by("-timestamp").first()
    who = str(last.actor) if last and last.actor else _("another user")
    return _(
        "This agreement was changed by %(who)s while you were editing it. Your changes were not saved: "
        "open the agreement again to see their changes, then make yours."
    ) % {"who": who}


@transaction.atomic
def agreement_archive(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Archive instead of delete: the agreement leaves the working register but stays on record."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not access.can_archive_agreement(actor, agreement):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("State why the agreement is archived.")})
    if agreement.children.filter(archived_at__isnull=True).exists():
        raise ValidationError({"reason": _("Archive the documents under this agreement (PKS, RK, addenda) first.")})
    with acting_as(actor):
        agreement.archived_at = timezone.now()
        agreement.archive_reason = reason.strip()
        agreement.save(update_fields=["archived_at", "archive_reason", "updated_at"])
    return agreement


@transaction.atomic
def agreement_restore(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    """Bring an archived agreement back into the working register, with the reason (audited).
    A document under an archived parent waits until its parent is restored."""
    agreement = Agreement.objects.select_for_update(of=("self",)).select_related("parent").get(pk=agreement.pk)
    if not access.can_restore_agreement(actor, agreement):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("State why the agreement is restored.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("At most %(limit)d characters.") % {"limit": 2000}})
    if agreement.parent is not None and agreement.parent.archived_at is not None:
        raise ValidationError(
            {
                "reason": _("The document this one belongs to (%(parent)s) is archived: restore it first.")
                % {"parent": agreement.parent.title}
            }
        )
    with acting_as(actor):
        agreement.archived_at = None
        agreement.restore_reason = reason
        agreement.save(update_fields=["archived_at", "restore_reason", "updated_at"])
    return agreement


# Lifecycle writes used by the workflow (jalin.workflow.services) ------------------------

LIFECYCLE_FIELDS = (
    "title",
    "number",
    "signed_on",
    "effective_on",
    "ends_on",
    "dprd_approval_ref",
    "central_approval_ref",
    "our_signatory_name",
    "our_signatory_title",
)


def _current_fields(agreement: Agreement) -> dict:
    return {name: getattr(agreement, name) for name in EDITABLE_FIELDS}


def _current_parties(agreement: Agreement) -> list[PartyInput]:
    return [
        PartyInput(
            partner=party.partner,
            party_number=party.party_number,
            signatory_name=party.signatory_name,
            signatory_title=party.signatory_title,
        )
        for party in agreement.parties.select_related("partner")
    ]


@transaction.atomic
def agreement_set_lifecycle(*, actor: User, agreement: Agreement, fields: dict) -> Agreement:
    """Record signing, dates and approval references decided by the workflow. The workflow
    service is the only caller: the edit form cannot change these while a process runs."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not access.can_change_agreement(actor, agreement):
        raise PermissionDenied
    unknown = set(fields) - set(LIFECYCLE_FIELDS)
    if unknown:
        raise ValueError(f"Not lifecycle fields: {sorted(unknown)}")
    merged = {**_current_fields(agreement), **fields}
    parties = _current_parties(agreement)
    validate_agreement(
        government=agreement.government,
        fields=merged,
        parties=parties,
        supporting_agencies=list(agreement.supporting_agencies.all()),
        instance=agreement,
    )
    with acting_as(actor):
        for name, value in fields.items():
            setattr(agreement, name, value.strip() if isinstance(value, str) else value)
        agreement.search_text = _search_text(agreement, parties)
        try:
            with transaction.atomic():
                agreement.save()
        except IntegrityError as error:
            raise ValidationError(_("Another agreement already has this number. Reload and try again.")) from error
    return agreement


@transaction.atomic
def agreement_terminate(
    *, actor: User, agreement: Agreement, terminated_on: datetime.date, ground: str, note: str = ""
) -> Agreement:
    """End a signed agreement early, with its ground from the brief's list."""
    from jalin.agreements.models import TerminationGround

    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not (access.can_change_agreement(actor, agreement) and actor.role == Role.ADMIN):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not agreement.signed_on:
        errors.setdefault("terminated_on", []).append(
            _("Only a signed agreement can be terminated; withdraw a proposal instead.")
        )
    if agreement.terminated_on:
        errors.setdefault("terminated_on", []).append(_("This agreement is already terminated."))
    if terminated_on is None:
        errors.setdefault("terminated_on", []).append(_("Enter the date of termination."))
    elif agreement.signed_on and terminated_on < agreement.signed_on:
        errors.setdefault("terminated_on", []).append(_("The agreement cannot end before it was signed."))
    if ground not in TerminationGround.values:
        errors.setdefault("ground", []).append(_("Choose the ground for termination."))
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        agreement.terminated_on = terminated_on
        agreement.termination_ground = ground
        agreement.termination_note = (note or "").strip()
        agreement.save(update_fields=["terminated_on", "termination_ground", "termination_note", "updated_at"])
    return agreement


def _check_workflow_guard(*, fields: dict, instance: Agreement | None) -> None:
    """An agreement whose workflow process is still running is signed and approved only
    through the workflow, never by editing the form or registering a signed PKS under it."""
    from jalin.workflow.guards import check_agreement_write

    check_agreement_write(fields=fields, instance=instance)
