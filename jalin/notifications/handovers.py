"""Every hand-over notifies the people who must act next.

The domain apps announce a hand-over (jalin.lib.handovers) when their transaction commits;
`on_handover` describes the item (who it concerns, the link that opens it, the text in
each language), asks the who-acts-next table (jalin.accounts.actors) for the people, and
writes one notification per person (`services.handover_notify`), which queues the e-mail and
the WhatsApp message. What each hand-over sends:

| state | told | link |
|---|---|---|
| report.submitted | the government's verifiers (admins) | the report |
| report.returned | the submitting officer and their agency's other officers; the reason in full | the report |
| report.verified | the same; what now shows on the public portal | the report |
| feedback.pending | the moderators (admins, the lead agency's officers), the lead agency's address | the moderation page |
| workflow.<stage> | the stage's actors (and those the table tells) | the agreement's workflow panel |
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from jalin.accounts import actors
from jalin.accounts.models import User

log = logging.getLogger(__name__)


@dataclass
class Described:
    subject: actors.Subject
    agreement: object
    link: str
    make_text: Callable[[], tuple[str, str]]  # called once per language
    kind: str
    emails: tuple[str, ...] = ()  # addresses without an account told as well (the head of the lead agency)


def _report(state: str, object_id: int, data: dict) -> Described:
    from jalin.monitoring.models import ProgressReport

    report = ProgressReport.objects.select_related(
        "agreement", "agreement__lead_agency", "submitted_by", "submitted_by__agency", "verified_by"
    ).get(pk=object_id)
    agreement = report.agreement
    submitter = report.submitted_by
    subject = actors.Subject(
        government_id=agreement.government_id,
        lead_agency_id=agreement.lead_agency_id,
        liaison_id=agreement.liaison_officer_id,
        submitter_id=report.submitted_by_id,
        submitter_agency_id=submitter.agency_id if submitter else None,
    )
    names = {"title": agreement.title, "period": report.period_label}

    def make_text():
        if state == "report.submitted":
            who = submitter.get_full_name() or submitter.username if submitter else "?"
            agency = (submitter.agency.name if submitter and submitter.agency else "") or agreement.lead_agency.name
            return (
                _("Progress report to verify: %(title)s") % names,
                _("%(agency)s (%(who)s) submitted the report for %(period)s. Verify it, or return it with a reason.")
                % {**names, "agency": agency, "who": who},
            )
        if state == "report.returned":
            return (
                _("Progress report returned: %(title)s") % names,
                _("The report for %(period)s was returned for revision. Reason: %(reason)s")
                % {**names, "reason": report.returned_reason},
            )
        return (_("Progress report verified: %(title)s") % names, _verified_text(report))

    kind = state.replace(".", "_")
    link = reverse("monitoring:report", args=[report.pk])
    return Described(subject, agreement, link, make_text, kind)


def _verified_text(report) -> str:
    agreement = report.agreement
    names = {"period": report.period_label, "who": report.verified_by or "?"}
    text = _("The report for %(period)s was verified by %(who)s.") % names
    if not agreement.is_public:
        return text + " " + _("The agreement is not published: nothing of it shows on the public portal.")
    values = [
        f"{item.indicator.name}: {_number(item.value)} {item.indicator.unit}".strip()
        for item in report.indicator_values.filter(indicator__is_public=True)
        .select_related("indicator")
        .order_by("indicator__name")
    ]
    shown = "; ".join(values) if values else _("its summary of progress")
    return text + " " + _("The public page of the agreement now shows: %(shown)s.") % {"shown": shown}


def _number(value) -> str:
    return f"{int(value)}" if value == value.to_integral_value() else f"{value:f}"


def _feedback(state: str, object_id: int, data: dict) -> Described:
    from jalin.portal.models import Feedback

    feedback = Feedback.objects.select_related("agreement", "agreement__lead_agency").get(pk=object_id)
    agreement = feedback.agreement
    subject = actors.Subject(
        government_id=agreement.government_id,
        lead_agency_id=agreement.lead_agency_id,
        liaison_id=agreement.liaison_officer_id,
    )

    def make_text():
        return (
            _("New citizen feedback: %(title)s") % {"title": agreement.title[:80]},
            _("A citizen sent feedback (%(kind)s): %(message)s")
            % {"kind": feedback.get_kind_display(), "message": feedback.message},
        )

    head = (agreement.lead_agency.email or "").strip()
    link = reverse("portal:moderate", args=[feedback.pk])
    return Described(subject, agreement, link, make_text, "feedback", emails=(head,) if head else ())


def _workflow(state: str, object_id: int, data: dict) -> Described:
    from jalin.workflow import stages
    from jalin.workflow.models import Process, Stage

    process = Process.objects.select_related("agreement", "agreement__lead_agency").get(pk=object_id)
    agreement = process.agreement
    subject = actors.Subject(
        government_id=process.government_id,
        lead_agency_id=agreement.lead_agency_id,
        liaison_id=agreement.liaison_officer_id,
    )
    actor = User.objects.filter(pk=data.get("actor_id")).first() if data.get("actor_id") else None
    stage = state.split(".", 1)[1]

    def make_text():
        if "comment" in data:
            return _("New review comment"), _("%(author)s commented: %(body)s") % {
                "author": actor,
                "body": data["comment"],
            }
        text = _("%(actor)s: %(transition)s.") % {
            "actor": actor,
            "transition": stages.TRANSITION_LABELS.get(data.get("transition"), ""),
        }
        label = Stage(stage).label
        return _("Workflow: %(stage)s") % {"stage": label}, f"{text} {data.get('reason') or ''}".strip()

    link = reverse("agreements:detail", args=[agreement.pk]) + "#workflow"
    return Described(subject, agreement, link, make_text, "workflow")


DESCRIBE = {"report": _report, "feedback": _feedback, "workflow": _workflow}


def on_handover(sender, *, state, key, government_id, actor_id=None, object_id=None, data=None, **kwargs) -> int:
    """The receiver of jalin.lib.handovers.handover."""
    from jalin.notifications import counters, services

    counters.forget_government(government_id)
    describe = DESCRIBE.get(state.split(".", 1)[0])
    if describe is None:
        return 0
    described = describe(state, object_id, {**(data or {}), "actor_id": actor_id})
    exclude = User.objects.filter(pk=actor_id).first() if actor_id else None
    people = actors.people(state, described.subject, exclude=exclude)
    return services.handover_notify(
        users=people,
        key=key,
        government_id=government_id,
        agreement=described.agreement,
        kind=described.kind,
        make_text=described.make_text,
        link=described.link,
        emails=described.emails,
    )
