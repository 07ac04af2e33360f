"""The work queue's contract: each app offers the sections of the queue it knows about.

The queue (`workflow:inbox`, the API's `/api/v1/queue`, the header count and the
dashboard's "needs your action" panel) is the list of everything that waits on a user.
What waits on whom is the who-acts-next table (jalin.accounts.actors); an app that holds
such items registers a *section* that lists them for a user:

    from jalin.lib.queues import Entry, Section, queue_section

    @queue_section(order=20)
    def reports_to_verify(user, today):
        return Section(key="reports", title=..., template="monitoring/queue_reports.html",
                       entries=[Entry(...), ...])

Sections live in `<app>/queues.py`; the workflow app imports every installed app's
`queues` module when it starts (like admin.py), so no app imports another for it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Entry:
    """One item that waits on the user (what the API returns)."""

    state: str  # the who-acts-next state
    title: str
    url: str
    since: datetime.date | None = None  # waiting since
    due: datetime.date | None = None
    agreement_id: int | None = None
    detail: str = ""
    obj: Any = field(default=None, repr=False)  # the item itself, for the section's template

    def age_days(self, today: datetime.date) -> int | None:
        return (today - self.since).days if self.since else None


@dataclass
class Section:
    key: str
    title: str
    template: str
    entries: list[Entry]
    context: dict = field(default_factory=dict)


Builder = Callable[[Any, datetime.date], Section | None]
Counter = Callable[[Any], int]
_sections: list[tuple[int, str, Builder, Counter]] = []


def queue_section(*, order: int, count: Counter, key: str = "") -> Callable[[Builder], Builder]:
    """Register a section builder, with a cheap `count(user)` for the header and dashboard.
    `key` (default: the builder's name) lets a page ask for some sections only."""

    def register(builder: Builder) -> Builder:
        if all(existing is not builder for _order, _key, existing, _count in _sections):
            _sections.append((order, key or builder.__name__, builder, count))
            _sections.sort(key=lambda row: row[0])
        return builder

    return register


def sections_for(user, today: datetime.date, keys: tuple[str, ...] | None = None) -> list[Section]:
    built = (builder(user, today) for _order, key, builder, _count in _sections if keys is None or key in keys)
    return [section for section in built if section is not None]


def count_for(user) -> int:
    return sum(count(user) for _order, _key, _builder, count in _sections)
