"""The workflow section of the work queue (jalin.lib.queues): proposals whose current stage
waits on the user, as the who-acts-next table (jalin.accounts.actors) says."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from jalin.lib.queues import Entry, Section, queue_section
from jalin.workflow import selectors, stages


@queue_section(order=20, count=lambda user: selectors.awaiting_count(user))
def proposals_waiting(user, today: datetime.date) -> Section | None:
    processes = list(selectors.processes_awaiting(user))
    entries = []
    for process in processes:
        process.who = stages.who_acts(process.stage)
        process.is_late = bool(process.due_on and process.due_on < today)
        process.days_late = (today - process.due_on).days if process.is_late else 0
        entries.append(
            Entry(
                state=stages.state_of(process.stage),
                title=process.agreement.title,
                url=reverse("agreements:detail", args=[process.agreement_id]) + "#workflow",
                since=process.stage_entered_on,
                due=process.due_on,
                agreement_id=process.agreement_id,
                detail=process.get_stage_display(),
                obj=process,
            )
        )
    if not entries and not processes_possible(user):
        return None
    return Section(
        key="proposals",
        title=_("Proposals waiting for me"),
        template="workflow/queue_proposals.html",
        entries=entries,
        context={"late": [entry.obj for entry in entries if entry.obj.is_late]},
    )


def processes_possible(user) -> bool:
    return selectors.acts_in_workflow(user)
