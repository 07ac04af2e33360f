import contextlib
from contextvars import ContextVar

_current_actor: ContextVar = ContextVar("jalin_audit_actor", default=None)


@contextlib.contextmanager
def acting_as(actor):
    """Attribute the audit entries written inside the block to `actor`.

    Every service wraps its writes in this, so that changes made from web requests,
    commands, tasks and the API are all attributed the same way.
    """
    token = _current_actor.set(actor)
    try:
        yield
    finally:
        _current_actor.reset(token)


def current_actor():
    return _current_actor.get()
