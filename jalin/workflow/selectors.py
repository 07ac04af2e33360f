"""Reads of the workflow: the work queue and the panel on the agreement page."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from jalin.accounts import access, actors
from jalin.workflow import stages
from jalin.workflow.models import CLOSED_STAGES, Process, Stage


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "agreement", "agreement__lead_agency", "agreement__liaison_officer", "implementing"
    ).order_by("due_on", "pk")


def processes_awaiting(user) -> QuerySet:
    """The active processes where this user has something to do now: the stages the
    who-acts-next table (jalin.accounts.actors) names them for."""
    if not access.is_staff_member(user):
        return Process.objects.none()
    condition = None
    for stage in Stage.values:
        if stage in CLOSED_STAGES:
            continue
        mine = actors.queue_q(
            user,
            stages.state_of(stage),
            government="government_id",
            lead_agency="agreement__lead_agency_id",
            liaison="agreement__liaison_officer_id",
        )
        if mine is not None:
            mine &= Q(stage=stage)
            condition = mine if condition is None else condition | mine
    if condition is None:
        return Process.objects.none()
    return _with_relations(Process.objects.active().filter(condition))


def acts_in_workflow(user) -> bool:
    """Whether the who-acts-next table names this user's role at any open stage."""
    return any(
        user.role in actors.roles_acting(stages.state_of(stage)) for stage in Stage.values if stage not in CLOSED_STAGES
    )


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
