"""Building reports and exports. Views and commands call these; the huey task is a thin
wrapper around report_job_run."""

import contextlib
import datetime
import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements.filters import AgreementFilter
from jalin.audit.context import acting_as
from jalin.lib.files import delete_unless_committed, storage_failure
from jalin.reports import register, render
from jalin.reports import selectors as report_selectors
from jalin.reports.access import can_build_periodic_report, can_export_register, can_issue_report
from jalin.reports.models import IssuedReport, IssuedReportFile, JobStatus, ReportFormat, ReportJob, ReportKind

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


# Issuing the periodic report ----------------------------------------------------------------

ISSUE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _current_issue(government, period_key: str) -> IssuedReport | None:
    return (
        IssuedReport.objects.filter(government=government, period=period_key, superseded_at__isnull=True)
        .select_related("issued_by")
        .first()
    )


def _check_issue(
    actor: User, period_key: str, reason: str
) -> tuple[report_selectors.ReportPeriod, IssuedReport | None]:
    if not can_issue_report(actor):
        raise PermissionDenied
    period = report_selectors.parse_period(period_key)
    if period.ends_on >= timezone.localdate():
        raise ValidationError(
            _("A report is issued once its period is over (after %(day)s).") % {"day": _day(period.ends_on)}
        )
    current = _current_issue(actor.government, period.key)
    if current and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The report for %(period)s was issued on %(day)s (version %(version)d). To issue a corrected "
                    "version, say what was wrong with it."
                )
                % {"period": period.label, "day": _day(current.issued_at), "version": current.version}
            }
        )
    return period, current


def _day(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")


def report_issue(*, actor: User, period: str, language: str = "", reason: str = "") -> IssuedReport:
    """Issue the actor's government's periodic report for a period that is over: its figures,
    its PDF, DOCX and XLSX and their SHA-256 checksums are stored and never change afterwards.
    Issuing again (a corrected report) needs a reason and makes the next version; the earlier
    version is kept, marked superseded.

    The files are rendered before the write transaction (a few seconds, which must not hold
    the database's write lock); the transaction then checks that nobody issued the period
    meanwhile and writes the rows and files together (lib/files.py keeps them in step)."""
    reason = (reason or "").strip()
    language = _language(language)
    period_obj, current = _check_issue(actor, period, reason)
    scope = report_selectors.scope_for_user(actor)
    report = report_selectors.periodic_report(scope, period_obj)
    issued = IssuedReport(
        government=actor.government,
        period=period_obj.key,
        version=(current.version + 1) if current else 1,
        supersedes=current,
        reason=reason if current else "",
        language=language,
        figures=report_selectors.report_figures(report),
        issued_by=actor,
        issued_at=timezone.now(),
    )
    report.issue = issued.context()
    contents = {fmt: render.RENDERERS[fmt](report, language) for fmt in PERIODIC_FORMATS}
    return _store_issue(actor, issued, current, contents)


def _store_issue(actor: User, issued: IssuedReport, current: IssuedReport | None, contents: dict) -> IssuedReport:
    storage = IssuedReportFile._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic(), acting_as(actor):
            now_current = (
                IssuedReport.objects.select_for_update()
                .filter(government=issued.government, period=issued.period, superseded_at__isnull=True)
                .first()
            )
            if (now_current and now_current.pk) != (current and current.pk):
                raise ValidationError(_("Someone issued this report meanwhile; reload the page and check it."))
            if current:
                current.superseded_at = issued.issued_at
                current.save(update_fields=["superseded_at"])
            issued.save()
            code = issued.government.code.replace(".", "")
            for fmt, content in contents.items():
                row = IssuedReportFile(
                    report=issued,
                    format=fmt,
                    filename=f"laporan-kerja-sama-{code}-{issued.period}-v{issued.version}.{fmt}",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                )
                name = row.file.field.generate_filename(row, row.filename)
                try:
                    name = storage.save(name, ContentFile(content), max_length=row.file.field.max_length)
                except Exception as error:
                    raise storage_failure(error) from error
                written.append(name)
                delete_unless_committed(storage, name)
                row.file.name = name
                row.save()
    except BaseException:
        for name in written:
            with contextlib.suppress(Exception):
                storage.delete(name)
        raise
    return issued
