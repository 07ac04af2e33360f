"""Reads of the workflow: the work queue and the panel on the agreement page."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.workflow.models import Process, Stage

REVIEW_STAGES = (Stage.TKKSD_ASSESSMENT, Stage.UMBRELLA_DRAFTING, Stage.IMPLEMENTING_DRAFTING)
AGENCY_STAGES = (Stage.INITIATION, Stage.UMBRELLA_DRAFTING, Stage.IMPLEMENTING_DRAFTING)


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "agreement", "agreement__lead_agency", "agreement__liaison_officer", "implementing"
    ).order_by("due_on", "pk")


def processes_awaiting(user) -> QuerySet:
    """The active processes where this user has something to do now."""
    if not access.is_staff_member(user) or user.role == Role.SUPERVISOR:
        return Process.objects.none()
    mine = Process.objects.active().filter(government_id=user.government_id)
    if user.role == Role.ADMIN:
        condition = ~Q(stage=Stage.INITIATION)
    elif user.role == Role.OPD_OFFICER:
        condition = Q(stage__in=AGENCY_STAGES, agreement__lead_agency_id=user.agency_id)
    elif user.role == Role.TKKSD_REVIEWER:
        condition = Q(stage__in=REVIEW_STAGES)
    else:
        return Process.objects.none()
    return _with_relations(mine.filter(condition))


def awaiting_count(user) -> int:
    return processes_awaiting(user).count()


def processes_in_progress(user) -> QuerySet:
    """Every active process the user may see (the OPD officer: their agency's)."""
    visible = access.agreements_visible_to(user)
    return _with_relations(Process.objects.active().filter(agreement__in=visible.values("pk")))


def late(processes, today: datetime.date | None = None) -> list[Process]:
    today = today or timezone.localdate()
    return [process for process in processes if process.due_on and process.due_on < today]


def process_of(agreement) -> Process | None:
    """The process governing an agreement: its own, or the one that drafted it as PKS/RK."""
    return (
        Process.objects.select_related("agreement", "implementing", "proposed_by")
        .filter(Q(agreement_id=agreement.pk) | Q(implementing_id=agreement.pk))
        .first()
    )
