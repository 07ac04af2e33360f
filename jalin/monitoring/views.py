import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from jalin.accounts import access as accounts_access
from jalin.accounts.decorators import staff_required
from jalin.accounts.models import Role
from jalin.agreements.models import Agreement
from jalin.audit.logbook import logbook
from jalin.monitoring import access, selectors, services
from jalin.monitoring.forms import (
    BudgetLineForm,
    EvaluationForm,
    EvidenceForm,
    IndicatorForm,
    ObligationForm,
    ReasonForm,
    ReportForm,
    ReportStartForm,
)
from jalin.monitoring.health import Signal, health_of, renewal_of, signals_of, with_health
from jalin.monitoring.models import BudgetLine, Evaluation, Evidence, Indicator, IndicatorPeriod, Obligation
from jalin.portal import access as portal_access
from jalin.portal import selectors as portal_selectors


def _errors(request, error: ValidationError, form=None) -> None:
    if form is not None and hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
        return
    for message in error.messages:
        messages.error(request, message)


# Dashboard ----------------------------------------------------------------------------


def _chart(rows, url) -> dict:
    return {
        "labels": [str(row["label"]) for row in rows],
        "values": [row["count"] for row in rows],
        "urls": [url(row) for row in rows],
    }


LEAGUE_ENDS_SHOWN = 20


def _league_rows(league: list[dict]) -> list[tuple[int, dict | None]]:
    """(rank, row) for the league table; a long league (a supervisor's thousands of agencies)
    shows its top and its bottom, with a (rank, None) gap row giving how many are left out."""
    ranked = list(enumerate(league, start=1))
    if len(ranked) <= 2 * LEAGUE_ENDS_SHOWN + 1:
        return ranked
    hidden = len(ranked) - 2 * LEAGUE_ENDS_SHOWN
    return [*ranked[:LEAGUE_ENDS_SHOWN], (hidden, None), *ranked[-LEAGUE_ENDS_SHOWN:]]


@staff_required
def dashboard(request):
    user = request.user
    visible = accounts_access.agreements_visible_to(user)
    supervisor = user.role == Role.SUPERVISOR
    governments = accounts_access.whole_governments_visible_to(user)
    if governments is None:
        data = selectors.dashboard(visible, by_government=supervisor)
    else:
        data = selectors.government_dashboard(governments, by_government=supervisor)
    national = accounts_access.compares_provinces(user)
    if national:  # 550 rows side by side say little: compare the provinces
        data.governments = selectors.by_province(data.governments)
    counts = {row["key"]: row["count"] for row in data.statuses}
    agreements_url = reverse("agreements:list")
    signals_url = reverse("monitoring:signals")
    chart_data = {
        "status": _chart(data.statuses, lambda r: f"{agreements_url}?status={r['key']}"),
        "category": _chart(data.categories, lambda r: f"{agreements_url}?category={r['key']}"),
        "partner_type": _chart(data.partner_types, lambda r: f"{agreements_url}?partner_type={r['key']}"),
        "timeline": {
            "labels": [formats.date_format(row["month"], "M Y") for row in data.timeline],
            "values": [row["count"] for row in data.timeline],
            "urls": [f"{signals_url}?ends_month={row['key']}" for row in data.timeline],
        },
        "signals": _chart(data.signals, lambda r: f"{signals_url}?signal={r['key']}"),
        "agency": {
            "labels": [r["lead_agency__name"] for r in data.agencies],
            "values": [r["count"] for r in data.agencies],
            "urls": [f"{agreements_url}?agency={r['lead_agency_id']}" for r in data.agencies],
        },
    }
    worst = [(agreement, signals_of(agreement, data.today)) for agreement in data.worst]
    # the ten ending soonest: ranked on the narrow rows first, then fetched with their relations
    soonest = list(
        visible.expiring_within(settings.EXPIRING_WITHIN_DAYS, data.today)
        .order_by("ends_on", "pk")
        .values_list("pk", flat=True)[:10]
    )
    expiring = list(
        Agreement.objects.filter(pk__in=soonest).select_related("lead_agency", "government").order_by("ends_on", "pk")
    )
    feedback = portal_selectors.count_feedback(portal_access.feedback_visible_to(user))
    feedback["answered"] = feedback["published"] - feedback["unanswered"]
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "data": data,
            "counts": counts,
            "worst": worst,
            "expiring": expiring,
            "expiring_days": settings.EXPIRING_WITHIN_DAYS,
            "chart_data": chart_data,
            "is_supervisor": supervisor,
            "by_province": national,
            "league": _league_rows(data.league),
            # citizen feedback the user may see (their governments; a supervisor's include those
            # below; an OPD officer's only their agency's agreements): one query
            "feedback": feedback,
        },
    )


@staff_required
def signal_list(request):
    """The drill-down of the dashboard: agreements with a health signal, or ending in a month."""
    visible = accounts_access.agreements_visible_to(request.user)
    signal = request.GET.get("signal") or ""
    month = request.GET.get("ends_month") or ""
    if month:
        try:
            first = datetime.date.fromisoformat(f"{month}-01")
        except ValueError:
            raise Http404 from None
        following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        queryset = (
            with_health(visible.live(), details=True)
            .filter(ends_on__gte=first, ends_on__lt=following, terminated_on__isnull=True, signed_on__isnull=False)
            .select_related("lead_agency", "government")
            .order_by("ends_on", "pk")
        )
    else:
        queryset = selectors.agreements_for_signal(visible, signal)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [(agreement, signals_of(agreement)) for agreement in page.object_list]
    return render(
        request,
        "monitoring/signal_list.html",
        {
            "page": page,
            "rows": rows,
            "signal": Signal(signal) if signal in Signal.values else None,
            "month": month,
            "signals": Signal,
            "querystring": urlencode(
                {key: value for key, value in (("signal", signal), ("ends_month", month)) if value}
            ),
        },
    )


# Agreement monitoring page ------------------------------------------------------------


def _agreement_context(request, agreement: Agreement) -> dict:
    framework = selectors.agreement_framework(agreement)
    health = health_of(agreement.pk)
    return {
        "agreement": agreement,
        "framework": framework,
        "reports": selectors.latest_reports(agreement, limit=50),
        "evaluations": selectors.evaluations_of(agreement),
        "evidence": list(
            Evidence.objects.filter(agreement=agreement, archived_at__isnull=True, report__isnull=True).select_related(
                "uploaded_by"
            )[:50]
        ),
        "signals": signals_of(health) if health else [],
        "renewal": renewal_of(health) if health else None,
        "can_report": access.can_report(request.user, agreement),
        "can_verify": access.can_verify(request.user, agreement),
        "can_correct": access.can_correct_framework(request.user, agreement),
        "history": logbook(selectors.framework_history(agreement), government=agreement.government),
    }


@staff_required
def agreement_monitoring(request, pk):
    agreement = accounts_access.agreement_for_user(request.user, pk)
    context = _agreement_context(request, agreement)
    if context["can_report"]:
        context["start_form"] = ReportStartForm(agreement=agreement)
        context["evidence_form"] = EvidenceForm()
    return render(request, "monitoring/agreement.html", context)


def _framework_form(request, pk, form_class, service, title, **form_kwargs):
    agreement = accounts_access.agreement_for_user(request.user, pk)
    if not access.can_report(request.user, agreement):
        raise PermissionDenied
    kwargs = {key: value(agreement) for key, value in form_kwargs.items()}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, agreement=agreement, fields=form.cleaned_data)
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:agreement", pk=agreement.pk)
    return render(request, "monitoring/framework_form.html", {"agreement": agreement, "form": form, "title": title})


@staff_required
def obligation_create(request, pk):
    return _framework_form(
        request,
        pk,
        ObligationForm,
        services.obligation_create,
        _("Add an obligation"),
        agencies=lambda a: accounts_access.agencies_visible_to(request.user).filter(
            government_id=a.government_id, archived_at__isnull=True
        ),
    )


@staff_required
def indicator_create(request, pk):
    return _framework_form(
        request,
        pk,
        IndicatorForm,
        services.indicator_create,
        _("Add an indicator"),
        obligations=lambda a: Obligation.objects.filter(agreement=a, archived_at__isnull=True),
    )


@staff_required
def budget_line_create(request, pk):
    return _framework_form(request, pk, BudgetLineForm, services.budget_line_create, _("Add a budget line"))


# Corrections of the results framework -------------------------------------------------

CORRECTIONS = {
    # kind in the URL: (model, form, correcting service, page title)
    "obligation": (Obligation, ObligationForm, services.obligation_update, _lazy("Correct an obligation")),
    "indicator": (Indicator, IndicatorForm, services.indicator_update, _lazy("Correct an indicator")),
    "budget": (BudgetLine, BudgetLineForm, services.budget_line_update, _lazy("Correct a budget line")),
}

CORRECTED_ARGUMENT = {"obligation": "obligation", "indicator": "indicator", "budget": "budget_line"}


def _correction_form_kwargs(request, kind: str, item) -> dict:
    agreement = item.agreement
    if kind == "obligation":
        return {
            "agencies": accounts_access.agencies_visible_to(request.user).filter(
                government_id=agreement.government_id, archived_at__isnull=True
            )
        }
    if kind == "indicator":
        return {"obligations": Obligation.objects.filter(agreement=agreement, archived_at__isnull=True)}
    return {}


@staff_required
def framework_item_edit(request, kind, pk):
    """Correct an obligation, indicator or budget line; the page also archives it."""
    if kind not in CORRECTIONS:
        raise Http404
    model, form_class, service, title = CORRECTIONS[kind]
    item = access.framework_item_for_user(request.user, model, pk)
    if item.archived_at is not None:
        messages.error(request, _("This item is archived; it can no longer be changed."))
        return redirect(reverse("monitoring:agreement", args=[item.agreement_id]) + "#framework-history")
    initial = {name: getattr(item, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial, **_correction_form_kwargs(request, kind, item))
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **{CORRECTED_ARGUMENT[kind]: item}, fields=form.cleaned_data)
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("The correction was saved; the history shows what it was before."))
            return redirect(reverse("monitoring:agreement", args=[item.agreement_id]) + "#framework")
    return render(
        request,
        "monitoring/framework_form.html",
        {"agreement": item.agreement, "form": form, "title": title, "item": item, "kind": kind},
    )


@staff_required
@require_POST
def framework_item_archive(request, kind, pk):
    if kind not in CORRECTIONS:
        raise Http404
    item = access.framework_item_for_user(request.user, CORRECTIONS[kind][0], pk)
    try:
        services.framework_item_archive(actor=request.user, item=item)
    except ValidationError as error:
        _errors(request, error)
        return redirect("monitoring:framework-edit", kind=kind, pk=item.pk)
    messages.success(request, _("Archived: it no longer counts in the framework, and stays in its history."))
    return redirect(reverse("monitoring:agreement", args=[item.agreement_id]) + "#framework")


# Reports ------------------------------------------------------------------------------


@staff_required
@require_POST
def report_start(request, pk):
    agreement = accounts_access.agreement_for_user(request.user, pk, write=True)
    if not access.can_report(request.user, agreement):
        raise PermissionDenied
    form = ReportStartForm(request.POST, agreement=agreement)
    if not form.is_valid():
        messages.error(request, _("Choose one of the reporting periods."))
        return redirect("monitoring:agreement", pk=agreement.pk)
    try:
        report = services.report_start(
            actor=request.user, agreement=agreement, period=form.periods[form.cleaned_data["period"]]
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("monitoring:agreement", pk=agreement.pk)
    return redirect("monitoring:report", pk=report.pk)


def _report_form(report, data=None, files=None):
    agreement = report.agreement
    return ReportForm(
        data,
        files,
        report=report,
        indicators=Indicator.objects.filter(agreement=agreement, archived_at__isnull=True).prefetch_related(
            Prefetch("periods", queryset=IndicatorPeriod.objects.order_by("starts_on"))
        ),
        obligations=Obligation.objects.filter(agreement=agreement, archived_at__isnull=True),
        budget_lines=BudgetLine.objects.filter(agreement=agreement, archived_at__isnull=True),
    )


@staff_required
def report_detail(request, pk):
    report = access.report_for_user(request.user, pk)
    report = selectors.report_detail(report)
    agreement = report.agreement
    can_report = access.can_report(request.user, agreement)
    editable = can_report and report.is_editable
    form = None
    if editable:
        form = _report_form(report, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():  # the content, its photo and the submission: all or nothing
                    services.report_save(actor=request.user, report=report, **form.service_kwargs())
                    if form.cleaned_data["photo"]:
                        services.evidence_add(
                            actor=request.user,
                            agreement=agreement,
                            report=report,
                            caption=form.cleaned_data["photo_caption"] or _("Photo from the field"),
                            upload=form.cleaned_data["photo"],
                            is_public=form.cleaned_data["photo_public"],
                        )
                    if "submit" in request.POST:
                        services.report_submit(actor=request.user, report=report)
            except ValidationError as error:
                _errors(request, error, form)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("The report was submitted to the Bagian Kerja Sama for verification."))
                    return redirect("monitoring:report", pk=report.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("monitoring:report", pk=report.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "monitoring/report.html",
        {
            "report": report,
            "agreement": agreement,
            "form": form,
            "evidence_form": EvidenceForm() if editable else None,
            "can_report": can_report,
            "can_verify": access.can_verify(request.user, agreement),
            "reason_form": ReasonForm(),
        },
    )


def _report_action(request, pk, action, success: str, needs_reason: bool = False):
    report = access.report_for_user(request.user, pk)
    kwargs = {}
    if needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""  # the work queue posts here and asks to come back to it
    try:
        result = action(actor=request.user, report=report, **kwargs)
    except ValidationError as error:
        _errors(request, error)
        return redirect(back or reverse("monitoring:report", args=[report.pk]))
    messages.success(request, success)
    return redirect(back or reverse("monitoring:report", args=[result.pk]))


@staff_required
@require_POST
def report_verify(request, pk):
    return _report_action(request, pk, services.report_verify, _("The report is verified and locked."))


@staff_required
@require_POST
def report_return(request, pk):
    return _report_action(
        request, pk, services.report_return, _("The report was returned to the agency."), needs_reason=True
    )


@staff_required
@require_POST
def report_correct(request, pk):
    return _report_action(
        request,
        pk,
        services.report_correct,
        _("A correction was started as a new version; the verified report stays in force until it is verified."),
        needs_reason=True,
    )


# Evidence -----------------------------------------------------------------------------


def _add_evidence(request, agreement, report=None):
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    try:
        services.evidence_add(
            actor=request.user,
            agreement=agreement,
            report=report,
            caption=form.cleaned_data["caption"],
            upload=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
            is_public=form.cleaned_data["is_public"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("The evidence was not stored: %(reason)s") % {"reason": message})
    else:
        messages.success(request, _("The evidence was added."))


@staff_required
@require_POST
def report_evidence(request, pk):
    report = access.report_for_user(request.user, pk, write=True)
    _add_evidence(request, report.agreement, report)
    return redirect("monitoring:report", pk=report.pk)


@staff_required
@require_POST
def agreement_evidence(request, pk):
    agreement = accounts_access.agreement_for_user(request.user, pk)
    if not access.can_report(request.user, agreement):
        raise PermissionDenied
    _add_evidence(request, agreement)
    return redirect("monitoring:agreement", pk=agreement.pk)


@staff_required
@require_POST
def evidence_verify(request, pk):
    evidence = access.evidence_for_user(request.user, pk)
    try:
        services.evidence_verify(actor=request.user, evidence=evidence)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The evidence is verified."))
    return redirect("monitoring:agreement", pk=evidence.agreement_id)


def _serve(field, name: str, content_type: str, attachment: bool):
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), as_attachment=attachment, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@staff_required
def evidence_file(request, pk):
    evidence = access.evidence_for_user(request.user, pk)
    return _serve(evidence.file, evidence.original_name, evidence.content_type, attachment=not evidence.is_image)


@staff_required
def evidence_thumbnail(request, pk):
    evidence = access.evidence_for_user(request.user, pk)
    return _serve(evidence.thumbnail, "thumb.jpg", "image/jpeg", attachment=False)


def public_photo(request, pk):
    """A thumbnail anyone may see: verified evidence marked public, of a published live agreement."""
    try:
        evidence = Evidence.objects.get(
            accounts_access.published_q("agreement"),
            pk=pk,
            is_public=True,
            verified_at__isnull=False,
            archived_at__isnull=True,
        )
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    response = _serve(evidence.thumbnail, "photo.jpg", "image/jpeg", attachment=False)
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Evaluations --------------------------------------------------------------------------


@staff_required
def evaluation_create(request, pk):
    agreement = accounts_access.agreement_for_user(request.user, pk)
    if not access.can_evaluate(request.user, agreement):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, initial={"period": str(timezone.localdate().year)})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(actor=request.user, agreement=agreement, fields=form.cleaned_data)
        except ValidationError as error:
            _errors(request, error, form)
        else:
            messages.success(request, _("The evaluation was recorded."))
            return redirect("monitoring:agreement", pk=agreement.pk)
    return render(
        request,
        "monitoring/framework_form.html",
        {"agreement": agreement, "form": form, "title": _("Evaluate this agreement")},
    )


@staff_required
@require_POST
def evaluation_publish(request, pk):
    try:
        evaluation = Evaluation.objects.get(pk=pk)
    except (Evaluation.DoesNotExist, ValueError):
        raise Http404 from None
    evaluation.agreement = accounts_access.agreement_for_user(request.user, evaluation.agreement_id)
    try:
        services.evaluation_publish(actor=request.user, evaluation=evaluation)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The evaluation is published."))
    return redirect("monitoring:agreement", pk=evaluation.agreement_id)
