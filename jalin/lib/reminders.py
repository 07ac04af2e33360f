"""Where reminders come from: the contract between the reminder machinery and the apps.

An app that knows about something overdue or ending registers a *source*: a function
that, given a day, yields the `Reminder`s due that day. The notifications app collects
them from every source, works out the recipients (liaison officer, head of the lead
agency, the Bagian Kerja Sama; the leader after repeated reminders), never sends the same
`key` twice, groups them into one digest per person per day, and escalates.

    from jalin.lib.reminders import Reminder, reminder_source

    @reminder_source
    def overdue_reports(today):
        for agreement, period in ...:
            yield Reminder(
                key=f"report-overdue:{agreement.pk}:{period}",
                agreement=agreement,
                kind="report_overdue",
                subject=_("Progress report overdue"),
                reason=_("The report for %(period)s was due on %(due)s.") % {...},
                due=due_date,
            )

Sources are registered at import time; put them in `<app>/reminders.py`: the notifications
app imports every installed app's `reminders` module when it starts (like admin.py), so no
domain app imports the notifications app. `state` names the row of the who-acts-next table
(jalin.accounts.actors) whose people receive it.

This contract lives below the domain apps so that they can offer reminders without knowing
who sends them.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reminder:
    key: str  # unique per step that needs action: the same key is never sent twice
    agreement: Any  # jalin.agreements.models.Agreement
    kind: str  # e.g. "expiry", "workflow_overdue", "report_overdue", "dormant"
    subject: str
    reason: str  # one sentence saying why, shown to the recipient
    due: datetime.date
    escalate: bool = True  # whether ignoring it escalates to the agency head and the leader
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    state: str = ""  # the who-acts-next state (jalin.accounts.actors.TABLE); "" = the expiry recipients


Source = Callable[[datetime.date], Iterable[Reminder]]
_sources: list[Source] = []


def reminder_source(function: Source) -> Source:
    if function not in _sources:
        _sources.append(function)
    return function


def registered_sources() -> list[Source]:
    return list(_sources)


def collect(today: datetime.date) -> list[Reminder]:
    return [reminder for source in _sources for reminder in source(today)]
