from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.agreements.services import PartyInput
from jalin.documents.models import Document, DocumentKind
from jalin.lib import queues
from jalin.workflow import drafts, selectors, services, stages
from jalin.workflow.access import can_manage_settings, process_for_user
from jalin.workflow.forms import (
    AmendmentForm,
    AttachForm,
    CommentForm,
    DprdQuestionsForm,
    ExtensionForm,
    ProposalForm,
    SettingsForm,
    TerminationForm,
    TransitionForm,
)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _back(process_or_agreement_id) -> str:
    return reverse("agreements:detail", args=[process_or_agreement_id]) + "#workflow"


@staff_required
def inbox(request):
    """The one queue of everything that waits on the user: each app's sections
    (jalin.lib.queues), then the proposals in progress they may see."""
    today = timezone.localdate()
    sections = queues.sections_for(request.user, today)
    proposals = next((section for section in sections if section.key == "proposals"), None)
    awaiting = [entry.obj for entry in proposals.entries] if proposals else []
    in_progress = list(selectors.processes_in_progress(request.user)[:100])
    for process in in_progress:
        process.who = stages.who_acts(process.stage)
        process.is_late = bool(process.due_on and process.due_on < today)
    return render(
        request,
        "workflow/inbox.html",
        {
            "sections": sections,
            "waiting_count": sum(len(s.entries) for s in sections if s.context.get("counts", True)),
            "awaiting": awaiting,
            "late": [p for p in awaiting if p.is_late],
            "in_progress": in_progress,
            "can_propose": access.can_create_agreement(request.user),
            "can_manage_settings": can_manage_settings(request.user),
            "today": today,
        },
    )


@staff_required
def proposal_new(request):
    if not access.can_create_agreement(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.proposal_create(
                actor=request.user,
                fields=form.agreement_fields(),
                parties=[PartyInput(partner=partner) for partner in form.cleaned_data["partners"]],
                affairs=form.cleaned_data["affairs"],
                origin=form.cleaned_data["origin"],
                attachments=form.attachments(),
                **form.answers(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal was registered. Submit it to the TKKSD when it is complete."))
            return redirect(_back(process.agreement_id))
    return render(request, "workflow/proposal_form.html", {"form": form})


@staff_required
@require_POST
def transition(request, pk, name):
    process = process_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.transition_apply(actor=request.user, process=process, name=name, data=form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Done: %(transition)s.") % {"transition": stages.TRANSITION_LABELS[name]})
    return redirect(_back(process.agreement_id))


@staff_required
@require_POST
def comment(request, pk):
    process = process_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        draft = None
        if form.cleaned_data.get("draft"):
            draft = Document.objects.filter(pk=form.cleaned_data["draft"], kind=DocumentKind.DRAFT).first()
        try:
            services.comment_add(actor=request.user, process=process, body=form.cleaned_data["body"], draft=draft)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write the comment."))
    return redirect(_back(process.agreement_id))


@staff_required
@require_POST
def attach(request, pk):
    process = process_for_user(request.user, pk)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.checklist_attach(
                actor=request.user, process=process, item=form.cleaned_data["item"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The document was attached."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect(_back(process.agreement_id))


@staff_required
@require_POST
def answers(request, pk):
    process = process_for_user(request.user, pk)
    form = DprdQuestionsForm(request.POST)
    form.is_valid()
    try:
        services.proposal_update_answers(actor=request.user, process=process, **form.answers())
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The answers were saved."))
    return redirect(_back(process.agreement_id))


@staff_required
@require_POST
def draft(request, pk, which):
    process = process_for_user(request.user, pk)
    if which not in ("umbrella", "implementing"):
        raise PermissionDenied
    try:
        document = drafts.draft_generate(actor=request.user, process=process, which=which)
    except ValidationError as error:
        _errors(request, error)
        return redirect(_back(process.agreement_id))
    messages.success(
        request,
        _("Draft generated: %(title)s, version %(version)d.") % {"title": document.title, "version": document.version},
    )
    return redirect(_back(document.agreement_id))


def _agreement_action(request, pk, form_class, call, success):
    agreement = access.agreement_for_user(request.user, pk, write=True)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_back(agreement.pk))
    try:
        result = call(agreement, form)
    except ValidationError as error:
        _errors(request, error)
        return redirect(_back(agreement.pk))
    messages.success(request, success)
    return redirect(_back(getattr(result, "agreement_id", agreement.pk)))


@staff_required
@require_POST
def extend(request, pk):
    return _agreement_action(
        request,
        pk,
        ExtensionForm,
        lambda agreement, form: services.extension_start(actor=request.user, agreement=agreement, **form.answers()),
        _("The renewal was started; it goes through the procedure again."),
    )


@staff_required
@require_POST
def amend(request, pk):
    return _agreement_action(
        request,
        pk,
        AmendmentForm,
        lambda agreement, form: services.amendment_start(
            actor=request.user,
            agreement=agreement,
            title=form.cleaned_data["addendum_title"],
            rationale=form.cleaned_data["rationale"],
        ),
        _("The amendment was started."),
    )


@staff_required
@require_POST
def terminate(request, pk):
    return _agreement_action(
        request,
        pk,
        TerminationForm,
        lambda agreement, form: services.termination_record(
            actor=request.user, agreement=agreement, **form.cleaned_data
        ),
        _("The termination was recorded."),
    )


@staff_required
def settings_page(request):
    if not can_manage_settings(request.user):
        raise PermissionDenied
    current = services.settings_for(request.user.government_id)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.workflow_settings_update(
                actor=request.user, government=request.user.government, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("workflow:settings")
    return render(request, "workflow/settings.html", {"form": form, "placeholders": drafts.PLACEHOLDERS})


@staff_required
def panel(request, pk):
    """The workflow panel of an agreement: a fragment for htmx, a page without JavaScript."""
    from django.http import HttpResponse
    from django.utils.safestring import mark_safe

    from jalin.agreements import selectors as agreement_selectors
    from jalin.workflow.templatetags.workflow_tags import panel_html

    agreement = access.agreement_for_user(request.user, pk)
    agreement = agreement_selectors.agreement_detail(access.agreements_visible_to(request.user), agreement.pk)
    html = panel_html(request, agreement)
    if request.headers.get("HX-Request"):
        return HttpResponse(html)
    return render(request, "workflow/panel_page.html", {"agreement": agreement, "panel": mark_safe(html)})  # noqa: S308 - our own rendered template
