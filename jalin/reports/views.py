from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts.access import visible_government_ids
from jalin.accounts.decorators import staff_required
from jalin.lib.delivery import file_response
from jalin.reports import letters, selectors, services, tasks
from jalin.reports import render as renderers
from jalin.reports.access import (
    can_build_periodic_report,
    can_export_register,
    can_issue_report,
    can_oversee_report_issuing,
    issued_report_for_user,
    issued_reports_visible_to,
    job_for_user,
    jobs_of,
)
from jalin.reports.models import ReportKind


def _enqueue(job) -> None:
    transaction.on_commit(lambda: tasks.build_report_job(job.pk))


def _language(request) -> str:
    language = request.GET.get("lang") or request.POST.get("language") or get_language() or "id"
    return language if language in services.LANGUAGES else "id"


@staff_required
def report_index(request):
    context = {
        "can_build": can_build_periodic_report(request.user),
        "periods": selectors.recent_periods(),
        "formats": services.PERIODIC_FORMATS,
        "jobs": jobs_of(request.user)[:20],
        "language": _language(request),
    }
    return render(request, "reports/index.html", context)


@staff_required
@require_POST
def periodic_create(request):
    try:
        job = services.report_job_create(
            actor=request.user,
            kind=ReportKind.PERIODIC,
            fmt=request.POST.get("format", ""),
            params={"period": request.POST.get("period", ""), "language": _language(request)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:index")
    _enqueue(job)
    return redirect("reports:job", job.pk)


@staff_required
@require_POST
def register_export(request):
    if not can_export_register(request.user):
        raise PermissionDenied
    try:
        job = services.report_job_create(
            actor=request.user,
            kind=ReportKind.REGISTER,
            fmt=request.POST.get("format", ""),
            params={"query": request.POST.get("query", ""), "language": _language(request)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreements:list")
    _enqueue(job)
    return redirect("reports:job", job.pk)


@staff_required
def job_detail(request, pk):
    job = job_for_user(request.user, pk)
    return render(request, "reports/job.html", {"job": job, "expired": services.is_expired(job)})


@staff_required
def job_download(request, pk):
    job = job_for_user(request.user, pk)
    if job.status != "done" or not job.file or services.is_expired(job):
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def fact_sheet(request, pk):
    sheet = selectors.fact_sheet(request.user, pk)
    name = f"lembar-fakta-{sheet.agreement.pk}-{slugify(sheet.agreement.title)[:40]}.pdf"
    return _pdf(renderers.fact_sheet_pdf(sheet, _language(request)), name)


@staff_required
def evaluation_report(request, pk):
    sheet = selectors.fact_sheet(request.user, pk)
    if not sheet.evaluations:
        messages.info(request, _("This agreement has not been evaluated yet."))
        return redirect("agreements:detail", pk)
    name = f"laporan-evaluasi-{sheet.agreement.pk}-{slugify(sheet.agreement.title)[:40]}.pdf"
    return _pdf(renderers.evaluation_pdf(sheet, _language(request)), name)


# Issued reports ---------------------------------------------------------------------------


def _period_or_404(text: str):
    try:
        return selectors.parse_period(text)
    except ValidationError:
        raise Http404 from None


@staff_required
def issued_index(request):
    """An admin issues their government's report; readers of the report see every issued version.
    A supervisor sees which of its governments have issued the report for a period."""
    user = request.user
    if not can_build_periodic_report(user):
        raise PermissionDenied
    periods = selectors.closed_periods()
    if can_oversee_report_issuing(user):
        period = _period_or_404(request.GET.get("period") or periods[0].key)
        overview = selectors.issue_overview(visible_government_ids(user), period)
        return render(request, "reports/issued_overview.html", {"overview": overview, "periods": periods})
    context = {
        "issued": issued_reports_visible_to(user).select_related("issued_by").order_by("-period", "-version")[:60],
        "can_issue": can_issue_report(user),
        "periods": periods,
        "language": _language(request),
        "deadline_days": settings.REPORTS_ISSUE_DEADLINE_DAYS,
    }
    return render(request, "reports/issued_index.html", context)


@staff_required
@require_POST
def issued_create(request):
    try:
        issued = services.report_issue(
            actor=request.user,
            period=request.POST.get("period", ""),
            language=_language(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        pk = request.POST.get("from")
        return redirect("reports:issued-detail", pk) if pk and pk.isdigit() else redirect("reports:issued")
    messages.success(request, _("The report is issued (version %(version)d).") % {"version": issued.version})
    return redirect("reports:issued-detail", issued.pk)


@staff_required
def issued_detail(request, pk):
    issued = issued_report_for_user(request.user, pk)
    versions = selectors.issued_versions(issued.government, selectors.parse_period(issued.period))
    context = {
        "issued": next(v for v in versions if v.pk == issued.pk),
        "versions": versions,
        "period": selectors.parse_period(issued.period),
        "can_reissue": issued.is_current
        and can_issue_report(request.user)
        and issued.government_id == request.user.government_id,
    }
    return render(request, "reports/issued_detail.html", context)


@staff_required
def issued_download(request, pk, fmt):
    issued = issued_report_for_user(request.user, pk)
    stored = issued.files.filter(format=fmt).first()
    if stored is None:
        raise Http404
    return file_response(stored.file, filename=stored.filename, content_type=services.ISSUE_CONTENT_TYPES[fmt])


@staff_required
def cover_letter(request, pk, fmt):
    """The cover letter to the Governor that goes with a periodic report (DOCX or PDF)."""
    job = job_for_user(request.user, pk)
    if job.kind != ReportKind.PERIODIC or fmt not in ("docx", "pdf"):
        raise Http404
    period = selectors.parse_period(job.params["period"])
    language = job.params.get("language", "id")
    build = letters.cover_letter_pdf if fmt == "pdf" else letters.cover_letter_docx
    content = build(job.government, period, language, job.params.get("issue"))
    response = HttpResponse(content, content_type=letters.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="surat-pengantar-{period.key}.{fmt}"'
    return response
