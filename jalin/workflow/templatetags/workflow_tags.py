from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.agreements.services import strip_proposal_prefix
from jalin.documents.models import Document, DocumentKind
from jalin.workflow import selectors, services, stages
from jalin.workflow.access import can_comment, can_contribute_documents, has_role
from jalin.workflow.forms import (
    AmendmentForm,
    DprdQuestionsForm,
    ExtensionForm,
    TerminationForm,
    TransitionForm,
    yes_no_initial,
)
from jalin.workflow.models import Stage

register = template.Library()

DANGER = {stages.REJECT, stages.WITHDRAW, stages.SEND_BACK}


@register.simple_tag(takes_context=True)
def workflow_panel(context, agreement) -> str:
    """A placeholder on the agreement page that loads the panel (htmx, or a link without
    JavaScript), so the detail page itself costs no extra query."""
    request = context.get("request")
    if not access.is_staff_member(getattr(request, "user", None)):
        return ""
    return render_to_string("workflow/panel_placeholder.html", {"agreement": agreement})


def panel_html(request, agreement) -> str:
    """The workflow section: stage, who acts next, due date, checklist, the transitions this
    user may take, review comments and draft versions, DOCX drafts; after signing,
    extension, amendment and termination. Empty when there is nothing to show."""
    user = request.user
    today = timezone.localdate()
    process = selectors.process_of(agreement)
    data = {"agreement": agreement, "process": process}
    if process is not None:
        track = services.process_track(process)
        history = list(process.changes.select_related("actor")[:30])
        allowed = services.allowed_transitions(user, process)
        # the document signed at this stage (the PKS while it is drafted, else the KSB / NK)
        signing = process.implementing if process.stage == Stage.IMPLEMENTING_DRAFTING else process.agreement
        initial = {"signed_on": today, "title": strip_proposal_prefix(signing.title) if signing else ""}
        data.update(
            {
                "stage_label": process.get_stage_display(),
                "who": stages.who_acts(process.stage),
                "is_late": bool(process.is_active and process.due_on and process.due_on < today),
                "track": [
                    {
                        "label": Stage(stage).label,
                        "current": stage == process.stage,
                        "done": process.stage in track and track.index(stage) < track.index(process.stage),
                    }
                    for stage in track
                ],
                "checklist": services.checklist_status(process),
                "transitions": [
                    {
                        "name": name,
                        "label": stages.TRANSITION_LABELS[name],
                        "fields": [
                            TransitionForm(initial=initial, auto_id=f"id_{name}_%s")[field]
                            for field in stages.TRANSITION_FIELDS[name]
                        ],
                        "danger": name in DANGER,
                    }
                    for name in allowed
                ],
                "dprd_required": services.dprd_required(process),
                "foreign": agreement.category in stages.FOREIGN_CATEGORIES,
                "answers_form": DprdQuestionsForm(
                    initial={
                        "burdens_citizens": yes_no_initial(process.burdens_citizens),
                        "funding_in_current_apbd": yes_no_initial(process.funding_in_current_apbd),
                    }
                )
                if has_role(user, process, stages.ADMIN_AND_AGENCY)
                and process.stage in (Stage.INITIATION, Stage.TKKSD_ASSESSMENT, Stage.OFFER, Stage.UMBRELLA_DRAFTING)
                else None,
                "can_comment": can_comment(user, process) and process.is_active,
                "can_contribute": can_contribute_documents(user, process) and process.is_active,
                "comments": list(process.comments.select_related("author", "draft")[:50]),
                "drafts": list(
                    Document.objects.filter(
                        agreement_id__in=[pk for pk in (process.agreement_id, process.implementing_id) if pk],
                        kind=DocumentKind.DRAFT,
                        archived_at__isnull=True,
                    )
                    .select_related("uploaded_by", "agreement")
                    .order_by("-uploaded_at")
                ),
                "history": history,
                "sent_back": history[0] if history and history[0].transition == stages.SEND_BACK else None,
            }
        )
    can_change = access.can_change_agreement(user, agreement)
    in_force = bool(agreement.signed_on and not agreement.terminated_on and not agreement.archived_at)
    process_open = process is not None and process.is_active
    data.update(
        {
            "after_signing": can_change and in_force and not process_open,
            "extension_form": ExtensionForm(),
            "amendment_form": AmendmentForm(),
            "termination_form": TerminationForm(initial={"terminated_on": today}),
            "can_terminate": can_change and in_force and user.role == Role.ADMIN,
            "termination_record": getattr(agreement, "termination_record", None) if agreement.terminated_on else None,
            "amendment_record": getattr(agreement, "amendment_record", None) if agreement.kind == "addendum" else None,
        }
    )
    if process is None and not data["after_signing"] and not data["termination_record"]:
        return ""
    return render_to_string("workflow/panel.html", data, request=request)
