"""Who acts next: one table, state → the people who must act (and the people who are told).

Every state that waits on someone is named here once: each workflow stage, a progress
report submitted / returned / verified / overdue, an evaluation due, an obligation overdue,
citizen feedback awaiting moderation, an agreement expiring or dormant. The work queue, the
notifications, the dashboard's "needs your action" panel and the API all read this table;
nothing else says who acts next.

An actor is a role and a relation to the item waiting:

- ``GOVERNMENT``: every user with the role in the item's government;
- ``LEAD_AGENCY``: users with the role in the agreement's lead agency;
- ``REPORTING_AGENCY``: users with the role in the agency of whoever submitted the report
  (the lead agency when an admin submitted it);
- ``SUBMITTER``: the person who submitted the report;
- ``LIAISON``: the agreement's liaison officer.

States are names (``"workflow.initiation"``, ``"report.submitted"``), so this module
imports no domain app: the apps describe their item as a `Subject` and ask.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jalin.accounts.models import Role, User


class Relation(StrEnum):
    GOVERNMENT = "government"
    LEAD_AGENCY = "lead_agency"
    REPORTING_AGENCY = "reporting_agency"
    SUBMITTER = "submitter"
    LIAISON = "liaison"


@dataclass(frozen=True)
class Actor:
    role: str
    relation: Relation


@dataclass(frozen=True)
class State:
    name: str
    who: str  # who must act, in words (lazy)
    acts: tuple[Actor, ...] = ()  # the people the item waits on (their queue)
    told: tuple[Actor, ...] = ()  # told of the hand-over as well, without a queue entry
    moves: tuple[str, ...] = (Role.ADMIN,)  # roles that may take the step forward


@dataclass(frozen=True)
class Subject:
    """The item that waits, as far as the table needs to know it."""

    government_id: int
    lead_agency_id: int | None = None
    liaison_id: int | None = None
    submitter_id: int | None = None
    submitter_agency_id: int | None = None


ADMINS = Actor(Role.ADMIN, Relation.GOVERNMENT)  # the Bagian Kerja Sama: verifiers, evaluators
REVIEWERS = Actor(Role.TKKSD_REVIEWER, Relation.GOVERNMENT)
LEAD_OFFICERS = Actor(Role.OPD_OFFICER, Relation.LEAD_AGENCY)
REPORTING_OFFICERS = Actor(Role.OPD_OFFICER, Relation.REPORTING_AGENCY)
LIAISON = Actor(Role.OPD_OFFICER, Relation.LIAISON)
SUBMITTER = Actor("", Relation.SUBMITTER)  # any role

_BKS = _("The Bagian Kerja Sama")
_CLOSED = _("Nobody: the procedure is closed")

TABLE: dict[str, State] = {
    state.name: state
    for state in (
        # The lifecycle (jalin.workflow.models.Stage values).
        State(
            "workflow.initiation",
            _("The lead agency's officers"),
            (LEAD_OFFICERS, LIAISON),
            moves=(Role.ADMIN, Role.OPD_OFFICER),
        ),
        State("workflow.tkksd_assessment", _("The TKKSD reviewers, then the Bagian Kerja Sama"), (REVIEWERS, ADMINS)),
        State("workflow.offer", _BKS, (ADMINS,), (LIAISON,)),
        State(
            "workflow.umbrella_drafting",
            _("The Bagian Kerja Sama, with the TKKSD reviewers and the lead agency"),
            (ADMINS, REVIEWERS, LEAD_OFFICERS),
            (LIAISON,),
        ),
        State("workflow.umbrella_signed", _BKS, (ADMINS,), (LIAISON,)),
        State("workflow.dprd_approval", _BKS, (ADMINS,), (LIAISON,)),
        State("workflow.central_approval", _BKS, (ADMINS,), (LIAISON,)),
        State(
            "workflow.implementing_drafting",
            _("The Bagian Kerja Sama, with the TKKSD reviewers and the lead agency"),
            (ADMINS, REVIEWERS, LEAD_OFFICERS),
            (LIAISON,),
        ),
        State("workflow.implementation", _CLOSED, (), (LEAD_OFFICERS, LIAISON, ADMINS)),
        State("workflow.rejected", _CLOSED, (), (LEAD_OFFICERS, LIAISON, ADMINS)),
        State("workflow.withdrawn", _CLOSED, (), (LEAD_OFFICERS, LIAISON, ADMINS)),
        # Progress reports.
        State("report.submitted", _("The government's verifiers (Bagian Kerja Sama)"), (ADMINS,)),
        State("report.returned", _("The officers of the reporting agency"), (SUBMITTER, REPORTING_OFFICERS)),
        State("report.verified", _("Nobody: the report is verified"), (), (SUBMITTER, REPORTING_OFFICERS)),
        State("report.overdue", _("The lead agency's officers"), (LIAISON, LEAD_OFFICERS), (ADMINS,)),
        # Evaluation, obligations, feedback, expiry, dormancy.
        State("evaluation.due", _("The evaluators (Bagian Kerja Sama)"), (ADMINS,), (LIAISON, LEAD_OFFICERS)),
        State("obligation.overdue", _("The lead agency's officers"), (LIAISON, LEAD_OFFICERS), (ADMINS,)),
        State("feedback.pending", _("The moderators (Bagian Kerja Sama and the lead agency)"), (ADMINS, LEAD_OFFICERS)),
        State(
            "agreement.expiring",
            _("The liaison officer and the Bagian Kerja Sama"),
            (LIAISON, ADMINS),
            (LEAD_OFFICERS,),
        ),
        State("agreement.dormant", _("The lead agency's officers"), (LIAISON, LEAD_OFFICERS), (ADMINS,)),
    )
}


def state(name: str) -> State:
    return TABLE[name]


def who(name: str) -> str:
    """Who must act in this state, in words."""
    return str(TABLE[name].who)


def roles_acting(name: str) -> frozenset[str]:
    return frozenset(actor.role for actor in TABLE[name].acts if actor.role)


def roles_moving(name: str) -> frozenset[str]:
    """The roles that may take the step out of this state forward (their government's)."""
    return frozenset(TABLE[name].moves)


def _matches(user: User, actor: Actor, subject: Subject) -> bool:
    if actor.relation == Relation.SUBMITTER:
        return subject.submitter_id is not None and user.pk == subject.submitter_id
    if user.role != actor.role or user.government_id != subject.government_id:
        return False
    if actor.relation == Relation.GOVERNMENT:
        return True
    if actor.relation == Relation.LEAD_AGENCY:
        return subject.lead_agency_id is not None and user.agency_id == subject.lead_agency_id
    if actor.relation == Relation.REPORTING_AGENCY:
        agency = subject.submitter_agency_id or subject.lead_agency_id
        return agency is not None and user.agency_id == agency
    return subject.liaison_id is not None and user.pk == subject.liaison_id


def acts_on(user: User, name: str, subject: Subject) -> bool:
    """Whether this user must act on the item."""
    return bool(user and user.is_active) and any(_matches(user, a, subject) for a in TABLE[name].acts)


def _actor_q(actor: Actor, subject: Subject) -> Q | None:
    if actor.relation == Relation.SUBMITTER:
        return Q(pk=subject.submitter_id) if subject.submitter_id else None
    if actor.relation == Relation.LIAISON:
        if not subject.liaison_id:
            return None
        return Q(pk=subject.liaison_id, role=actor.role, government_id=subject.government_id)
    base = Q(role=actor.role, government_id=subject.government_id)
    if actor.relation == Relation.GOVERNMENT:
        return base
    agency = subject.lead_agency_id
    if actor.relation == Relation.REPORTING_AGENCY:
        agency = subject.submitter_agency_id or subject.lead_agency_id
    return base & Q(agency_id=agency) if agency else None


def people(name: str, subject: Subject, *, told: bool = True, exclude: User | None = None) -> list[User]:
    """The active users who must act (and, with `told`, those who are told), in a stable order."""
    entry = TABLE[name]
    actors = entry.acts + (entry.told if told else ())
    conditions = [q for q in (_actor_q(actor, subject) for actor in actors) if q is not None]
    if not conditions:
        return []
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    users = User.objects.filter(combined, is_active=True).order_by("pk")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def queue_q(user: User, name: str, *, told: bool = False, **paths: str) -> Q | None:
    """The condition, on a queryset of items in state `name`, for the items this user must act
    on; None when the user never acts in that state. `paths` name the fields of the item:
    government, lead_agency, liaison, submitter, submitter_agency (those the state needs).
    With `told`, the items the user is told of count too (the calendar)."""
    if not user or not user.is_active:
        return None
    conditions: list[Q] = []
    entry = TABLE[name]
    for actor in entry.acts + (entry.told if told else ()):
        if actor.relation == Relation.SUBMITTER:
            conditions.append(Q(**{paths["submitter"]: user.pk}))
            continue
        if user.role != actor.role:
            continue
        mine = Q(**{paths["government"]: user.government_id})
        if actor.relation == Relation.LEAD_AGENCY:
            if not user.agency_id:
                continue
            mine &= Q(**{paths["lead_agency"]: user.agency_id})
        elif actor.relation == Relation.REPORTING_AGENCY:
            if not user.agency_id:
                continue
            mine &= Q(**{paths["submitter_agency"]: user.agency_id}) | Q(
                **{paths["submitter_agency"] + "__isnull": True, paths["lead_agency"]: user.agency_id}
            )
        elif actor.relation == Relation.LIAISON:
            mine &= Q(**{paths["liaison"]: user.pk})
        conditions.append(mine)
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined
