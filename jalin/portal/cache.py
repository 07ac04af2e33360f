"""Caching of public pages, through the one cache-key mechanism (jalin/audit/revisions.py).

Public pages cache the data they show (not the HTML: the HTML carries a CSRF token and the
visitor's language) under keys that depend on the `PUBLIC` scope: any audited write, in any
government, replaces that scope's token in the shared cache, so every public entry is stale
at once (in every process) and rebuilt on the next request. Entries also expire after
PORTAL_CACHE_SECONDS, which bounds what time alone changes (an agreement that expires
tonight).
"""

from django.conf import settings

from jalin.audit import revisions


def cached(name: str, *parts, build):
    """The cached value of `build()` for this name and parts, until public data changes."""
    return revisions.cached(
        f"portal:{name}", *parts, scopes=[revisions.PUBLIC], build=build, timeout=settings.PORTAL_CACHE_SECONDS
    )
