"""Hand-overs: a piece of work passes to the next people who must act.

A domain service that hands work over (a report submitted, returned or verified, a workflow
step taken, feedback received) calls `announce(...)` inside its transaction; once the
transaction commits, the `handover` signal carries it to whoever listens (the notifications
app tells the people the who-acts-next table names, jalin.accounts.actors). The signal is
defined here, below the domain apps, so that they never import the notifications app.

`key` identifies the hand-over: the same key is never notified twice to the same person,
so a retried task or a double click sends nothing twice.
"""

from django.db import transaction
from django.dispatch import Signal

# Sent with: state (the who-acts-next state), key, government_id, agreement_id, object_id,
# actor_id (who handed over; not told of their own act), data (a small dict of extras).
handover = Signal()
# Sent with: government_id. Something in the government's queues changed without a
# hand-over (a new proposal, a process archived): cached queue counts are stale.
queue_changed_signal = Signal()


def announce(
    *,
    state: str,
    key: str,
    government_id: int,
    agreement_id: int | None = None,
    object_id: int | None = None,
    actor_id: int | None = None,
    data: dict | None = None,
) -> None:
    """Send the hand-over once the current transaction commits (at once outside one). A
    listener that fails is logged and never undoes or blocks the hand-over."""

    def send() -> None:
        handover.send_robust(
            sender=state,
            state=state,
            key=key,
            government_id=government_id,
            agreement_id=agreement_id,
            object_id=object_id,
            actor_id=actor_id,
            data=dict(data or {}),
        )

    transaction.on_commit(send)


def queue_changed(*, government_id: int) -> None:
    """Say, once the transaction commits, that the government's queues changed."""
    transaction.on_commit(lambda: queue_changed_signal.send_robust(sender=None, government_id=government_id))
