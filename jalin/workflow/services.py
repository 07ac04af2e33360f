"""Writes of the lifecycle workflow. `transition_apply` is the one place a process changes
stage: every page, command and API path calls it, it checks the role and the stage, and
it is audited (StageChange rows and the django-auditlog trail of Process)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts import access, actors
from jalin.accounts.models import Role, User
from jalin.agreements import services as agreement_services
from jalin.agreements.models import IMPLEMENTING_KINDS, UMBRELLA_KINDS, Agreement, Kind, TerminationGround
from jalin.audit.context import acting_as
from jalin.documents.models import Document, DocumentKind
from jalin.documents.services import document_upload
from jalin.governments.models import Government
from jalin.lib import handovers
from jalin.workflow import stages
from jalin.workflow.access import can_comment, can_contribute_documents, has_role
from jalin.workflow.models import (
    AmendmentRecord,
    ChecklistDocument,
    Origin,
    Process,
    Recommendation,
    ReviewComment,
    Stage,
    StageChange,
    TerminationRecord,
    WorkflowSettings,
)

# Settings ------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "ksb_validity_months",
    "dprd_response_days",
    "reporting_period_months",
    "tkksd_review_days",
    "offer_response_days",
    "drafting_days",
    "central_approval_days",
    "expiry_reminder_days",
    "expiry_overrides",
    "escalate_after",
)


def default_settings() -> dict:
    return {
        "ksb_validity_months": settings.WORKFLOW_KSB_VALIDITY_MONTHS,
        "dprd_response_days": settings.WORKFLOW_DPRD_RESPONSE_DAYS,
        "reporting_period_months": settings.WORKFLOW_REPORTING_PERIOD_MONTHS,
        "tkksd_review_days": settings.WORKFLOW_TKKSD_REVIEW_DAYS,
        "offer_response_days": settings.WORKFLOW_OFFER_RESPONSE_DAYS,
        "drafting_days": settings.WORKFLOW_DRAFTING_DAYS,
        "central_approval_days": settings.WORKFLOW_CENTRAL_APPROVAL_DAYS,
        "expiry_reminder_days": settings.REMINDER_EXPIRY_DAYS,
        "expiry_overrides": settings.REMINDER_EXPIRY_OVERRIDES.replace(";", "\n"),
        "escalate_after": settings.REMINDER_ESCALATE_AFTER,
    }


def settings_for(government_id: int) -> WorkflowSettings:
    """The government's workflow settings, or the defaults (unsaved) when never edited."""
    found = WorkflowSettings.objects.filter(government_id=government_id).first()
    return found or WorkflowSettings(government_id=government_id, **default_settings())


@transaction.atomic
def workflow_settings_update(*, actor: User, government: Government, fields: dict) -> WorkflowSettings:
    if not (access.is_staff_member(actor) and actor.role == Role.ADMIN and actor.government_id == government.pk):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        WorkflowSettings.parse_days(fields.get("expiry_reminder_days") or "")
    except ValueError:
        errors["expiry_reminder_days"] = [_("Enter positive numbers of days separated by commas, e.g. 180,90,30.")]
    from jalin.agreements.models import Category

    for line in (fields.get("expiry_overrides") or "").splitlines():
        if not line.strip():
            continue
        key, _sep, value = line.partition("=")
        try:
            if key.strip() not in Category.values:
                raise ValueError(key)
            WorkflowSettings.parse_days(value)
        except ValueError:
            errors.setdefault("expiry_overrides", []).append(
                _("Line “%(line)s” is not of the form category=days,days (categories: %(categories)s).")
                % {"line": line.strip(), "categories": ", ".join(Category.values)}
            )
    for name in SETTINGS_FIELDS:
        if name in ("expiry_reminder_days", "expiry_overrides"):
            continue
        value = fields.get(name)
        if value is None or int(value) < 1:
            errors.setdefault(name, []).append(_("Enter a whole number of at least 1."))
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        current = WorkflowSettings.objects.select_for_update().filter(government=government).first()
        current = current or WorkflowSettings(government=government, **default_settings())
        for name in SETTINGS_FIELDS:
            setattr(current, name, fields[name] if fields.get(name) is not None else getattr(current, name))
        current.expiry_reminder_days = ",".join(
            str(d) for d in WorkflowSettings.parse_days(current.expiry_reminder_days)
        )
        current.save()
    return current


# Reading the state -------------------------------------------------------------------


def dprd_required(process: Process) -> bool:
    return stages.dprd_approval_required(
        category=process.agreement.category,
        burdens_citizens=process.burdens_citizens,
        funding_in_current_apbd=process.funding_in_current_apbd,
    )


def process_track(process: Process) -> list[str]:
    kind = process.agreement.kind
    if kind not in UMBRELLA_KINDS:
        # A single document (PKS renewal, addendum, LoI): approvals, then drafting and signing.
        approvals = []
        if dprd_required(process):
            approvals.append(Stage.DPRD_APPROVAL)
        if process.agreement.category in stages.FOREIGN_CATEGORIES:
            approvals.append(Stage.CENTRAL_APPROVAL)
        return [
            Stage.INITIATION,
            Stage.TKKSD_ASSESSMENT,
            *approvals,
            Stage.UMBRELLA_DRAFTING,
            Stage.IMPLEMENTATION,
        ]
    return stages.track(category=process.agreement.category, kind=kind, dprd_required=dprd_required(process))


def forward(process: Process) -> tuple[str | None, str | None]:
    """The forward transition out of the current stage and where it leads."""
    target = stages.next_stage(process_track(process), process.stage)
    return stages.forward_transition(process.stage, target), target


def transitions_from(process: Process) -> dict[str, str]:
    """Every transition that exists from the current stage (whoever may use it): name -> target."""
    result: dict[str, str] = {}
    name, target = forward(process)
    if name:
        result[name] = target
    if process.stage in stages.SEND_BACK_FROM:
        result[stages.SEND_BACK] = Stage.INITIATION
    if process.stage in stages.REJECT_FROM:
        result[stages.REJECT] = Stage.REJECTED
    if process.stage in stages.WITHDRAW_FROM:
        result[stages.WITHDRAW] = Stage.WITHDRAWN
    return result


def transition_roles(process: Process, name: str) -> frozenset:
    if name == stages.SEND_BACK:
        return stages.ADMIN_AND_REVIEWER
    if name == stages.REJECT:
        return stages.ADMIN
    if name == stages.WITHDRAW:
        return stages.ADMIN_AND_AGENCY
    return actors.roles_moving(stages.state_of(process.stage))


def allowed_transitions(user, process: Process) -> list[str]:
    """The transitions this user may apply now, in display order."""
    return [name for name in transitions_from(process) if has_role(user, process, transition_roles(process, name))]


def checklist_status(process: Process, stage: str | None = None) -> list[dict]:
    """The checklist of a stage (default: the current one), each item with its documents."""
    stage = stage or process.stage
    attached: dict[str, list[Document]] = {}
    for row in process.checklist_documents.select_related("document"):
        if row.document.archived_at is None:
            attached.setdefault(row.item, []).append(row.document)
    rows = []
    for item in stages.checklist(stage, process.origin):
        if item.draft_of:
            target = process.agreement if item.draft_of == "umbrella" else process.implementing
            documents = (
                list(
                    target.documents.filter(kind=DocumentKind.DRAFT, archived_at__isnull=True).order_by("-uploaded_at")
                )
                if target is not None
                else []
            )
        else:
            documents = attached.get(item.key, [])
        rows.append({"item": item, "done": bool(documents), "documents": documents})
    return rows


def due_for(process: Process, stage: str, today: datetime.date) -> datetime.date | None:
    rules = settings_for(process.government_id)
    days = {
        Stage.TKKSD_ASSESSMENT: rules.tkksd_review_days,
        Stage.OFFER: rules.offer_response_days,
        Stage.UMBRELLA_DRAFTING: rules.drafting_days,
        Stage.DPRD_APPROVAL: rules.dprd_response_days,
        Stage.CENTRAL_APPROVAL: rules.central_approval_days,
        Stage.IMPLEMENTING_DRAFTING: rules.drafting_days,
    }
    validity_end = None
    if process.agreement.kind in UMBRELLA_KINDS and process.agreement.signed_on:
        validity_end = stages.add_months(process.agreement.signed_on, rules.ksb_validity_months)
    if stage == Stage.UMBRELLA_SIGNED:
        return validity_end
    if stage in days:
        due = today + datetime.timedelta(days=days[stage])
        if stage == Stage.IMPLEMENTING_DRAFTING and validity_end:
            due = min(due, validity_end)  # the PKS must be signed while the KSB is valid
        return due
    return None


# Proposals ---------------------------------------------------------------------------


def _attach(
    *, actor: User, process: Process, item: str, upload: UploadedFile, agreement: Agreement
) -> ChecklistDocument:
    spec = stages.ATTACHABLE_ITEMS.get(item)
    if spec is None:
        raise ValidationError({"item": _("Choose a checklist item.")})
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        title = str(spec.label)
    document = document_upload(actor=actor, agreement=agreement, kind=DocumentKind.OTHER, title=title, upload=upload)
    with acting_as(actor):
        return ChecklistDocument.objects.create(process=process, item=item, document=document, added_by=actor)


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    fields: dict,
    parties: list,
    supporting_agencies=(),
    affairs=(),
    origin: str = Origin.AGENCY,
    burdens_citizens: bool | None = None,
    funding_in_current_apbd: bool | None = None,
    attachments: dict | None = None,
    today: datetime.date | None = None,
) -> Process:
    """Start a proposal (usulan): an unsigned umbrella agreement (KSB, or NK for synergy)
    with its process at initiation, and the feasibility study / KAK / offer letter attached."""
    if not access.can_create_agreement(actor):
        raise PermissionDenied
    if origin not in (Origin.AGENCY, Origin.THIRD_PARTY):
        raise ValidationError({"origin": _("Choose where the proposal comes from.")})
    category = fields.get("category")
    from jalin.agreements.models import Category

    if category not in Category.values:
        raise ValidationError({"category": _("Choose the category of cooperation.")})
    values = {
        name: fields.get(name)
        for name in (
            "category",
            "title",
            "object",
            "scope",
            "intended_benefits",
            "lead_agency",
            "financing",
            "value",
            "liaison_officer",
        )
        if fields.get(name) is not None
    }
    values["kind"] = stages.umbrella_kind(category)
    if actor.role == Role.OPD_OFFICER and not values.get("liaison_officer"):
        values["liaison_officer"] = actor
    agreement = agreement_services.agreement_create(
        actor=actor, fields=values, parties=parties, supporting_agencies=supporting_agencies, affairs=affairs
    )
    today = today or timezone.localdate()
    with acting_as(actor):
        process = Process.objects.create(
            government=agreement.government,
            agreement=agreement,
            origin=origin,
            stage=Stage.INITIATION,
            stage_entered_on=today,
            burdens_citizens=burdens_citizens,
            funding_in_current_apbd=funding_in_current_apbd,
            proposed_by=actor,
        )
        StageChange.objects.create(
            process=process, transition="propose", from_stage=Stage.INITIATION, to_stage=Stage.INITIATION, actor=actor
        )
    for item, upload in (attachments or {}).items():
        if upload:
            _attach(actor=actor, process=process, item=item, upload=upload, agreement=agreement)
    _forget_counts(process)
    return process


@transaction.atomic
def proposal_update_answers(
    *, actor: User, process: Process, burdens_citizens: bool | None, funding_in_current_apbd: bool | None
) -> Process:
    """Change the answers to the two DPRD questions, while the DPRD step is still ahead."""
    process = Process.objects.select_for_update().select_related("agreement").get(pk=process.pk)
    if not has_role(actor, process, stages.ADMIN_AND_AGENCY):
        raise PermissionDenied
    if process.stage not in (Stage.INITIATION, Stage.TKKSD_ASSESSMENT, Stage.OFFER, Stage.UMBRELLA_DRAFTING):
        raise ValidationError(_("The DPRD questions can no longer be changed at this stage."))
    with acting_as(actor):
        process.burdens_citizens = burdens_citizens
        process.funding_in_current_apbd = funding_in_current_apbd
        process.save(update_fields=["burdens_citizens", "funding_in_current_apbd", "updated_at"])
    return process


@transaction.atomic
def checklist_attach(*, actor: User, process: Process, item: str, upload: UploadedFile) -> ChecklistDocument:
    process = Process.objects.select_related("agreement").get(pk=process.pk)
    if not can_contribute_documents(actor, process) or not process.is_active:
        raise PermissionDenied
    return _attach(actor=actor, process=process, item=item, upload=upload, agreement=process.agreement)


@transaction.atomic
def comment_add(*, actor: User, process: Process, body: str, draft: Document | None = None) -> ReviewComment:
    process = Process.objects.select_related("agreement").get(pk=process.pk)
    if not can_comment(actor, process):
        raise PermissionDenied
    if not process.is_active:
        raise ValidationError(_("The procedure is closed; comments are no longer taken."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the comment.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("At most %(limit)d characters.") % {"limit": 5000}})
    if draft is not None and (
        draft.kind != DocumentKind.DRAFT or draft.agreement_id not in (process.agreement_id, process.implementing_id)
    ):
        raise ValidationError({"draft": _("Choose a draft of this proposal.")})
    with acting_as(actor):
        comment = ReviewComment.objects.create(
            process=process, stage=process.stage, draft=draft, body=body, author=actor
        )
    handovers.announce(
        state=stages.state_of(process.stage),
        key=f"workflow-comment:{comment.pk}",
        government_id=process.government_id,
        agreement_id=process.agreement_id,
        object_id=process.pk,
        actor_id=actor.pk,
        data={"comment": body[:200]},
    )
    return comment


# The state machine -----------------------------------------------------------------------


def _require(data: dict, name: str, message: str, errors: dict) -> str:
    value = data.get(name)
    if isinstance(value, str):
        value = value.strip()
    if not value:
        errors.setdefault(name, []).append(message)
    return value


def _create_implementing(actor: User, process: Process) -> Agreement:
    umbrella = process.agreement
    parties = [
        agreement_services.PartyInput(
            partner=party.partner, signatory_name=party.signatory_name, signatory_title=party.signatory_title
        )
        for party in umbrella.parties.select_related("partner")
    ]
    fields = {
        "category": umbrella.category,
        "kind": stages.implementing_kind(umbrella.kind),
        "title": umbrella.title,
        "object": umbrella.object,
        "scope": umbrella.scope,
        "intended_benefits": umbrella.intended_benefits,
        "lead_agency": umbrella.lead_agency,
        "liaison_officer": umbrella.liaison_officer,
        "parent": umbrella,
        "financing": umbrella.financing,
        "value": umbrella.value,
        "dprd_approval_ref": umbrella.dprd_approval_ref,
        "central_approval_ref": umbrella.central_approval_ref,
    }
    return agreement_services.agreement_create(
        actor=actor,
        fields=fields,
        parties=parties,
        supporting_agencies=list(umbrella.supporting_agencies.all()),
        affairs=list(umbrella.affairs.all()),
    )


@transaction.atomic
def transition_apply(
    *, actor: User, process: Process, name: str, data: dict | None = None, today: datetime.date | None = None
) -> Process:
    """Move a process along one transition. Refuses a transition that does not exist from
    the current stage (ValidationError) or that the actor's role may not take
    (PermissionDenied); validates the data the transition needs; records a StageChange."""
    data = data or {}
    today = today or timezone.localdate()
    process = Process.objects.select_for_update().get(pk=process.pk)
    process = Process.objects.select_related("agreement", "implementing", "government").get(pk=process.pk)
    access.agreement_for_user(actor, process.agreement_id)  # 404 when invisible
    available = transitions_from(process)
    if name not in available:
        raise ValidationError(
            _("“%(transition)s” is not possible at the stage “%(stage)s”.")
            % {"transition": stages.TRANSITION_LABELS.get(name, name), "stage": process.get_stage_display()}
        )
    if not has_role(actor, process, transition_roles(process, name)):
        raise PermissionDenied
    target = available[name]
    errors: dict[str, list[str]] = {}
    reason = ""
    lifecycle: dict = {}
    lifecycle_on = process.agreement

    if name in (stages.SEND_BACK, stages.REJECT, stages.WITHDRAW):
        reason = _require(data, "reason", _("State the reason."), errors)
    if name == stages.SUBMIT:
        for row in checklist_status(process):
            if row["item"].required and not row["done"]:
                errors.setdefault("__all__", []).append(
                    _("Attach the required document: %(item)s.") % {"item": row["item"].label}
                )
        if process.agreement.category not in stages.FOREIGN_CATEGORIES and (
            process.burdens_citizens is None or process.funding_in_current_apbd is None
        ):
            errors.setdefault("__all__", []).append(
                _("Answer the two DPRD questions (burden on citizens, funding in the current APBD).")
            )
    if name == stages.RECOMMEND:
        recommendation = data.get("recommendation")
        if recommendation not in (Recommendation.RECOMMENDED, Recommendation.WITH_NOTES):
            errors.setdefault("recommendation", []).append(
                _("Record a positive recommendation to go on; reject the proposal otherwise.")
            )
        reason = (data.get("note") or "").strip()
        if recommendation == Recommendation.WITH_NOTES and not reason:
            errors.setdefault("note", []).append(_("Write the TKKSD's notes."))
    if name == stages.SIGN:
        for row in checklist_status(process):
            if row["item"].required and not row["done"]:
                errors.setdefault("__all__", []).append(
                    _("Attach the required document: %(item)s.") % {"item": row["item"].label}
                )
        number = _require(data, "number", _("Enter the number of the signed document."), errors)
        signed_on = _require(data, "signed_on", _("Enter the signing date."), errors)
        if process.stage == Stage.IMPLEMENTING_DRAFTING:
            lifecycle_on = process.implementing
        title = _require(data, "title", _("Enter the final title of the signed document."), errors)
        lifecycle = {
            "title": title,
            "number": number,
            "signed_on": signed_on,
            "effective_on": data.get("effective_on") or signed_on,
            "ends_on": data.get("ends_on"),
        }
        if lifecycle_on.kind in (*IMPLEMENTING_KINDS, Kind.ADDENDUM) and not data.get("ends_on"):
            errors.setdefault("ends_on", []).append(_("Enter the end date of the agreement."))
    if name == stages.DPRD_APPROVED:
        lifecycle = {
            "dprd_approval_ref": _require(
                data, "dprd_approval_ref", _("Enter the reference of the DPRD approval."), errors
            )
        }
    if name == stages.CENTRAL_APPROVED:
        lifecycle = {
            "central_approval_ref": _require(
                data, "central_approval_ref", _("Enter the reference of the central government approval."), errors
            )
        }
    if errors:
        raise ValidationError(errors)

    if lifecycle:
        agreement_services.agreement_set_lifecycle(actor=actor, agreement=lifecycle_on, fields=lifecycle)
        if name in (stages.DPRD_APPROVED, stages.CENTRAL_APPROVED) and process.implementing_id:
            agreement_services.agreement_set_lifecycle(actor=actor, agreement=process.implementing, fields=lifecycle)
        process.agreement.refresh_from_db()
    with acting_as(actor):
        if target == Stage.IMPLEMENTING_DRAFTING and process.implementing_id is None:
            process.implementing = _create_implementing(actor, process)
        if name == stages.RECOMMEND:
            process.recommendation = data["recommendation"]
            process.recommendation_note = reason
        source = process.stage
        process.stage = target
        process.entry += 1
        process.stage_entered_on = today
        process.due_on = due_for(process, target, today)
        process.save()
        StageChange.objects.create(
            process=process, transition=name, from_stage=source, to_stage=target, reason=reason, actor=actor
        )
    handovers.announce(
        state=stages.state_of(target),
        key=f"workflow:{process.pk}:{process.entry}",
        government_id=process.government_id,
        agreement_id=process.agreement_id,
        object_id=process.pk,
        actor_id=actor.pk,
        data={"transition": name, "reason": reason},
    )
    return process


# After signing: extension, amendment, termination ----------------------------------------


def _signed_live(agreement: Agreement) -> None:
    if not agreement.signed_on or agreement.terminated_on or agreement.archived_at:
        raise ValidationError(_("Only a signed agreement in force can be extended or amended."))


@transaction.atomic
def extension_start(
    *,
    actor: User,
    agreement: Agreement,
    burdens_citizens: bool | None = None,
    funding_in_current_apbd: bool | None = None,
    today: datetime.date | None = None,
) -> Process:
    """Extension (perpanjangan): a renewal linked to its predecessor, going through the
    procedure again from initiation. Expiry reminders of the predecessor stop."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not access.can_change_agreement(actor, agreement):
        raise PermissionDenied
    _signed_live(agreement)
    open_renewal = agreement.renewals.filter(archived_at__isnull=True).exclude(
        process__stage__in=(Stage.REJECTED, Stage.WITHDRAWN)
    )
    if open_renewal.exists():
        raise ValidationError(_("This agreement already has a renewal."))
    parties = [
        agreement_services.PartyInput(
            partner=party.partner, signatory_name=party.signatory_name, signatory_title=party.signatory_title
        )
        for party in agreement.parties.select_related("partner")
    ]
    fields = {
        name: getattr(agreement, name)
        for name in (
            "category",
            "kind",
            "title",
            "object",
            "scope",
            "intended_benefits",
            "lead_agency",
            "liaison_officer",
            "parent",
            "financing",
            "value",
            "our_signatory_name",
            "our_signatory_title",
        )
    }
    fields["predecessor"] = agreement
    renewal = agreement_services.agreement_create(
        actor=actor,
        fields=fields,
        parties=parties,
        supporting_agencies=list(agreement.supporting_agencies.all()),
        affairs=list(agreement.affairs.all()),
    )
    return _start_process(actor, renewal, Origin.EXTENSION, burdens_citizens, funding_in_current_apbd, today)


@transaction.atomic
def amendment_start(
    *, actor: User, agreement: Agreement, title: str, rationale: str, today: datetime.date | None = None
) -> Process:
    """Amendment (addendum): an addendum under the agreement with its rationale recorded,
    drafted, reviewed and signed through its own short procedure."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not access.can_change_agreement(actor, agreement):
        raise PermissionDenied
    _signed_live(agreement)
    if agreement.kind == Kind.ADDENDUM:
        raise ValidationError(_("An addendum amends the original agreement, not another addendum."))
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": _("State why the agreement is amended.")})
    parties = [
        agreement_services.PartyInput(partner=party.partner) for party in agreement.parties.select_related("partner")
    ]
    addendum = agreement_services.agreement_create(
        actor=actor,
        fields={
            "category": agreement.category,
            "kind": Kind.ADDENDUM,
            "title": (title or "").strip() or _("Addendum to %(title)s") % {"title": agreement.title},
            "lead_agency": agreement.lead_agency,
            "liaison_officer": agreement.liaison_officer,
            "parent": agreement,
            "financing": agreement.financing,
            "object": rationale,
        },
        parties=parties,
        supporting_agencies=list(agreement.supporting_agencies.all()),
        affairs=list(agreement.affairs.all()),
    )
    with acting_as(actor):
        AmendmentRecord.objects.create(addendum=addendum, rationale=rationale, recorded_by=actor)
    # An addendum that changes no burden or funding needs no DPRD approval unless foreign.
    return _start_process(actor, addendum, Origin.AMENDMENT, False, True, today)


def _forget_counts(process: Process) -> None:
    handovers.queue_changed(government_id=process.government_id)


def _start_process(actor, agreement, origin, burdens_citizens, funding_in_current_apbd, today) -> Process:
    today = today or timezone.localdate()
    with acting_as(actor):
        process = Process.objects.create(
            government=agreement.government,
            agreement=agreement,
            origin=origin,
            stage=Stage.INITIATION,
            stage_entered_on=today,
            burdens_citizens=burdens_citizens,
            funding_in_current_apbd=funding_in_current_apbd,
            proposed_by=actor,
        )
        StageChange.objects.create(
            process=process, transition="propose", from_stage=Stage.INITIATION, to_stage=Stage.INITIATION, actor=actor
        )
    _forget_counts(process)
    return process


@transaction.atomic
def termination_record(
    *,
    actor: User,
    agreement: Agreement,
    ground: str,
    terminated_on: datetime.date,
    note: str = "",
    surviving_obligations: str = "",
) -> TerminationRecord:
    """Termination: ground (from the brief's list), date, and the obligations that survive.
    Expiry reminders stop."""
    if ground not in TerminationGround.values:
        raise ValidationError({"ground": _("Choose the ground for termination.")})
    agreement = agreement_services.agreement_terminate(
        actor=actor, agreement=agreement, terminated_on=terminated_on, ground=ground, note=note
    )
    with acting_as(actor):
        return TerminationRecord.objects.create(
            agreement=agreement,
            ground=ground,
            terminated_on=terminated_on,
            surviving_obligations=(surviving_obligations or "").strip(),
            recorded_by=actor,
        )


def process_url(process: Process) -> str:
    return reverse("agreements:detail", args=[process.agreement_id]) + "#workflow"
