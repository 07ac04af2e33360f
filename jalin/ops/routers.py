"""Database routing for a read replica (DATABASE_REPLICA_URL).

Without a replica nothing is routed: every query goes to `default`. With one, reads made
inside `reading_from_replica()` go to the `replica` alias: the ReplicaRoutingMiddleware
enters it for GET/HEAD requests of the public portal and of reports (REPLICA_NAMESPACES), and
report tasks may enter it themselves. Writes always go to `default`. Accounts, sessions and
login-throttling rows are always read from `default`, so that a freshly changed password or
lock is never read stale from a replica that lags.
"""

import contextlib
import contextvars

_use_replica = contextvars.ContextVar("jalin_use_replica", default=False)

PRIMARY_ONLY_APPS = {"accounts", "auth", "sessions", "axes", "contenttypes", "admin"}


@contextlib.contextmanager
def reading_from_replica():
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema by replication.
        return db == "default"
