from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts.decorators import staff_required
from jalin.reports import letters, selectors, services, tasks
from jalin.reports import render as renderers
from jalin.reports.access import can_build_periodic_report, can_export_register, job_for_user, jobs_of
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
