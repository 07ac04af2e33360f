"""Building reports and exports. Views and commands call these; the huey task is a thin
wrapper around report_job_run."""

import datetime
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements.filters import AgreementFilter
from jalin.audit.context import acting_as
from jalin.reports import register, render
from jalin.reports import selectors as report_selectors
from jalin.reports.access import can_build_periodic_report, can_export_register
from jalin.reports.models import JobStatus, ReportFormat, ReportJob, ReportKind

logger = logging.getLogger(__name__)

PERIODIC_FORMATS = ("pdf", "docx", "xlsx")
REGISTER_FORMATS = ("xlsx", "csv")
LANGUAGES = ("id", "en")


def _language(value: str) -> str:
    return value if value in LANGUAGES else settings.LANGUAGE_CODE


@transaction.atomic
def report_job_create(*, actor: User, kind: str, fmt: str, params: dict) -> ReportJob:
    """Queue a report or export. The caller enqueues the task once the transaction commits."""
    params = dict(params)
    params["language"] = _language(params.get("language", ""))
    if kind == ReportKind.PERIODIC:
        if not can_build_periodic_report(actor):
            raise PermissionDenied
        if fmt not in PERIODIC_FORMATS:
            raise ValidationError({"format": _("Choose PDF, DOCX or XLSX.")})
        params["period"] = report_selectors.parse_period(params.get("period", "")).key
    elif kind == ReportKind.REGISTER:
        if not can_export_register(actor):
            raise PermissionDenied
        if fmt not in REGISTER_FORMATS:
            raise ValidationError({"format": _("Choose XLSX or CSV.")})
        params["query"] = str(params.get("query", ""))[:2000]
    else:
        raise ValidationError(_("Unknown report."))
    with acting_as(actor):
        return ReportJob.objects.create(
            requested_by=actor, government=actor.government, kind=kind, format=fmt, params=params
        )


def register_queryset_for(user: User, query: str):
    """The agreement list's current filters, applied to what the user may see."""
    visible = access.agreements_visible_to(user)
    filterset = AgreementFilter(QueryDict(query or ""), queryset=visible, user=user)
    if query and not filterset.is_valid():
        return visible.none()
    return filterset.qs if query else visible.live().order_by("-signed_on", "-id")


def _filename(job: ReportJob) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    code = job.government.code.replace(".", "")
    if job.kind == ReportKind.PERIODIC:
        return f"laporan-kerja-sama-{code}-{job.params['period']}.{job.format}"
    return f"register-kerja-sama-{code}-{stamp}.{job.format}"


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Claim a queued job (a conditional UPDATE, so two workers never build the same one),
    build its file, and mark it ready or failed."""
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        return None
    job = ReportJob.objects.select_related("requested_by", "government").get(pk=job_id)

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job_id).update(progress=max(1, min(int(percent), 99)))

    try:
        with tempfile.TemporaryDirectory(prefix="jalin-report-") as folder:
            path = Path(folder) / "out"
            with translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
                build_file(job, path, progress=progress)
            name = _filename(job)
            with path.open("rb") as handle:
                job.file.save(name, File(handle), save=False)
            job.filename = name
            job.size = path.stat().st_size
    except Exception as error:  # the user sees "failed"; the operator sees the traceback
        logger.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), message=str(error)[:500]
        )
        return ReportJob.objects.get(pk=job_id)
    with acting_as(job.requested_by):
        job.status = JobStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save()
    return job


def build_file(job: ReportJob, path: Path, *, progress) -> None:
    user = job.requested_by
    language = job.params.get("language", settings.LANGUAGE_CODE)
    if job.kind == ReportKind.PERIODIC:
        if not can_build_periodic_report(user):
            raise PermissionDenied
        scope = report_selectors.scope_for_user(user)
        period = report_selectors.parse_period(job.params["period"])
        report = report_selectors.periodic_report(scope, period, progress=progress)
        path.write_bytes(render.RENDERERS[job.format](report, language))
        return
    if not can_export_register(user):
        raise PermissionDenied
    queryset = register_queryset_for(user, job.params.get("query", ""))
    write_register(queryset, job.format, path, progress=progress)


def write_register(queryset, fmt: str, path: Path, *, progress=None) -> int:
    if fmt == ReportFormat.CSV:
        with path.open("w", encoding="utf-8", newline="") as handle:
            return register.write_csv(queryset, handle, progress=progress)
    return register.write_xlsx(queryset, path, progress=progress)


def build_periodic_file(*, scope, period_key: str, fmt: str, language: str, path: Path) -> None:
    """The command's path: the same report for a government chosen by the operator."""
    if fmt not in PERIODIC_FORMATS:
        raise ValidationError(_("Choose PDF, DOCX or XLSX."))
    period = report_selectors.parse_period(period_key)
    report = report_selectors.periodic_report(scope, period)
    path.write_bytes(render.RENDERERS[fmt](report, _language(language)))


def is_expired(job: ReportJob, now: datetime.datetime | None = None) -> bool:
    """A finished file is kept REPORTS_KEEP_DAYS days; build it again after that."""
    now = now or timezone.now()
    return job.created_at < now - datetime.timedelta(days=settings.REPORTS_KEEP_DAYS)
