"""Caching of public pages, invalidated whenever public data may have changed.

Public pages cache the data they show (not the HTML: the HTML carries a CSRF token and the
visitor's language), under keys that include a *generation* number. Any save or delete of
a model the portal shows (agreements, parties, partners, agencies, affairs, monitoring,
feedback) moves the generation on, so every cached entry is stale at once and rebuilt on
the next request. One counter is crude but always correct; cache entries also expire
after PORTAL_CACHE_SECONDS.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "portal:generation"
# Apps whose rows appear on public pages.
WATCHED_APPS = {"agreements", "partners", "governments", "monitoring", "portal"}


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value is a new generation
        cache.set(GENERATION_KEY, (cache.get(GENERATION_KEY) or 1) + 1, timeout=None)


def cached(name: str, *parts, build):
    """Return the cached value of `build()` for this name and parts in the current generation."""
    raw = "|".join(str(part) for part in parts)
    key = f"portal:{name}:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PORTAL_CACHE_SECONDS)
    return value


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label in WATCHED_APPS:
        invalidate()  # now, for readers inside this transaction...
        transaction.on_commit(invalidate)  # ...and after commit, for pages built in between


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"portal-cache-{signal!r}")
