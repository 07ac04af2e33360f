"""Reminders for workflow steps past their due date: the day after, then weekly."""

import datetime

from django.utils.translation import gettext as _

from jalin.lib.reminders import Reminder, reminder_source
from jalin.workflow import stages
from jalin.workflow.models import Process


@reminder_source
def overdue_workflow_steps(today: datetime.date):
    processes = (
        Process.objects.active()
        .filter(due_on__lt=today)
        .select_related("agreement", "agreement__lead_agency", "agreement__liaison_officer", "agreement__government")
        .order_by("due_on", "pk")
    )
    for process in processes:
        late = (today - process.due_on).days
        week = (late - 1) // 7
        yield Reminder(
            key=f"workflow:{process.pk}:{process.entry}:{week}",
            agreement=process.agreement,
            kind="workflow_overdue",
            subject=_("Workflow step overdue: %(stage)s") % {"stage": process.get_stage_display()},
            reason=_("The step was due on %(due)s (%(late)d days late). Waiting for: %(who)s.")
            % {"due": process.due_on.strftime("%d-%m-%Y"), "late": late, "who": stages.who_acts(process.stage)},
            due=process.due_on,
            extra={"thread": f"workflow:{process.pk}:{process.entry}"},
        )
