"""Who may do what with an agreement's monitoring trail. Built on jalin.accounts.access:
seeing the trail is seeing the agreement (404 otherwise); changing it needs more (403).

- OPD officer of the lead or a supporting agency (and the admin): keep the results
  framework, draft and submit progress reports, add evidence;
- admin (Bagian Kerja Sama) of the agreement's government: verify or return reports,
  verify evidence, evaluate and publish evaluations, correct and archive items of the
  results framework;
- leader, auditor, TKKSD reviewer, supervisor: read.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.monitoring.models import Evidence, ProgressReport


def _own_live(user, agreement) -> bool:
    return access.is_staff_member(user) and agreement.government_id == user.government_id and not agreement.archived_at


def can_report(user, agreement) -> bool:
    """Draft and submit progress reports, add evidence, keep the results framework."""
    if not _own_live(user, agreement):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OPD_OFFICER:
        return access.can_change_agreement(user, agreement)
    return False


def can_verify(user, agreement) -> bool:
    """Verify or return reports and evidence; evaluate; publish evaluations."""
    return _own_live(user, agreement) and user.role == Role.ADMIN


can_evaluate = can_verify


def can_correct_framework(user, agreement) -> bool:
    """Correct or archive an obligation, indicator or budget line after it was created: the
    Bagian Kerja Sama (the admin of the agreement's government), since a correction changes
    what every report is measured against."""
    return can_verify(user, agreement)


def framework_item_for_user(user, model, pk):
    """An obligation, indicator or budget line the user may correct: 404 when its agreement
    is invisible to them, 403 when they may see it but not correct it."""
    try:
        item = model.objects.select_related("agreement").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    item.agreement = access.agreement_for_user(user, item.agreement_id)
    if not can_correct_framework(user, item.agreement):
        raise PermissionDenied
    return item


def report_for_user(user, pk, write: bool = False) -> ProgressReport:
    try:
        report = ProgressReport.objects.select_related("agreement").get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    report.agreement = access.agreement_for_user(user, report.agreement_id)
    if write and not can_report(user, report.agreement):
        raise PermissionDenied
    return report


def evidence_for_user(user, pk) -> Evidence:
    try:
        evidence = Evidence.objects.select_related("agreement").get(pk=pk, archived_at__isnull=True)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access.agreement_for_user(user, evidence.agreement_id)
    return evidence
