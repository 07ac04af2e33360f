"""Who may build which report, and who may download a finished one."""

from django.http import Http404

from jalin.accounts import access
from jalin.accounts.access import READ_ALL_ROLES
from jalin.reports.models import IssuedReport, ReportJob


def can_build_periodic_report(user) -> bool:
    """The official report covers the whole government: for roles that read all of it."""
    return access.is_staff_member(user) and user.role in READ_ALL_ROLES


def can_export_register(user) -> bool:
    """Anyone on staff may export what they may see (an OPD officer: only their agreements)."""
    return access.is_staff_member(user)


def jobs_of(user):
    if not access.is_staff_member(user):
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requested_by=user)


def job_for_user(user, pk) -> ReportJob:
    """A report file is its requester's: anyone else gets a 404, never the file."""
    try:
        return jobs_of(user).get(pk=pk)
    except (ReportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Issued reports: read by whoever may read the government's whole periodic report (a
# supervisor: those of the governments below it); issued by its admin.

can_issue_report = access.can_issue_report
can_oversee_report_issuing = access.can_oversee_report_issuing


def issued_reports_visible_to(user):
    if not can_build_periodic_report(user):
        return IssuedReport.objects.none()
    return IssuedReport.objects.filter(government_id__in=access.visible_government_ids(user))


def issued_report_for_user(user, pk) -> IssuedReport:
    try:
        return issued_reports_visible_to(user).select_related("government", "issued_by", "supersedes").get(pk=pk)
    except (IssuedReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
