"""What cached and derived data is keyed by: the revision of what it depends on.

Every change of Jalin's data writes an audit entry in the same transaction (writes that
bypass the services, such as bulk inserts, write their audit entries in bulk and call
`changed()`), so the audit trail is the one signal that "something changed". It is read in
two ways, and nothing else in Jalin invents a third:

- **Revisions in the database.** A government's revision is the id of its newest audit
  entry (`revisions()`): one index probe, no counter for a writer to lock, and a
  transaction sees its own changes. Rows derived from a government's data (the stored
  dashboard summaries) record the revision they were computed at.

- **Scope tokens in the shared cache.** Every cached value is stored under
  `cache_key(name, *parts, scopes=...)`, which mixes in a token per *scope* the value
  depends on: `PUBLIC` (anything that may appear on a public page), `government(id)` (a
  government's data), `user(id)` (one user's own data, such as their notifications),
  `work_queue(id)` (what awaits whom in a government's workflow) and, always, the global
  epoch; the writer of a narrower scope bumps it (`bump()`). When an audit entry is written, its government's token and the
  public token are replaced (now, for the writing process, and again on commit, for every
  process), so every key that depended on them is new and the old entries are never read
  again; they expire on their own. Tokens are random, so an evicted token is simply
  replaced: the worst case is a cold cache, never a stale one.

The tokens live in the cache shared by every process (Redis, or the database cache):
a per-process cache would let the processes that did not see a change keep serving the old
value, which is why production refuses one (`jalin/lib/checks.py`).

A restore from backup makes audit ids start again from the backup's, so values cached
after the backup could collide with the restored revisions: `new_epoch()` replaces the
global token, which retires every key at once without `cache.clear()` (which would also
flush the task queue and the sessions sharing the Redis database).
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save

from jalin.audit.models import AuditEntry
from jalin.governments.models import Government

EPOCH = "epoch"
PUBLIC = "public"


def government(government_id) -> str:
    return f"government:{government_id}"


def user(user_id) -> str:
    return f"user:{user_id}"


def work_queue(government_id) -> str:
    """A government's work queue (the workflow stages awaiting someone)."""
    return f"work-queue:{government_id}"


def _token_key(scope: str) -> str:
    return f"jalin:scope:{scope}"


def revisions(government_ids) -> dict[int, int]:
    """{government id: the id of its newest audit entry}; 0 for a government without any."""
    newest = AuditEntry.objects.filter(government_id=OuterRef("pk")).order_by("-id").values("id")[:1]
    found = dict(
        Government.objects.filter(pk__in=government_ids)
        .annotate(revision=Subquery(newest))
        .values_list("pk", "revision")
    )
    return {government_id: found.get(government_id) or 0 for government_id in government_ids}


def _tokens(scopes) -> list[str]:
    keys = [_token_key(scope) for scope in (EPOCH, *scopes)]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return [str(found.get(key)) for key in keys]


def cache_key(name: str, *parts, scopes=()) -> str:
    """The cache key of the value `name` for these parts, valid while none of `scopes`
    (nor the epoch) has changed."""
    raw = "|".join([*_tokens(scopes), *(str(part) for part in parts)])
    return f"jalin:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def cached(name: str, *parts, scopes=(), build, timeout: int):
    """The cached value of `build()` under `cache_key(name, *parts, scopes=scopes)`."""
    key = cache_key(name, *parts, scopes=scopes)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value


def _replace(scopes) -> None:
    cache.set_many({_token_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)


def bump(*scopes: str) -> None:
    """These scopes changed: replace their tokens now (for readers in this process and
    transaction) and again on commit (for values another process built in between)."""
    scopes = tuple(scopes)
    _replace(scopes)
    transaction.on_commit(lambda: _replace(scopes))


def changed(*, government_ids=()) -> None:
    """Data of these governments changed (and so, perhaps, public pages)."""
    bump(PUBLIC, *(government(pk) for pk in set(government_ids) if pk))


def new_epoch() -> None:
    """Retire every cached value at once (after a restore)."""
    _replace([EPOCH])


def _audit_entry_written(sender, instance, created, **kwargs) -> None:
    if created:
        changed(government_ids=[instance.government_id])


def connect() -> None:
    post_save.connect(_audit_entry_written, sender=AuditEntry, dispatch_uid="audit-revisions-changed")
