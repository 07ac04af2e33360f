"""The client's address, as every part of Jalin that needs it sees it (and the API's request-level
helpers that depend on it: throttles, OPTIONS metadata).

Behind reverse proxies the address of the peer (`REMOTE_ADDR`) is the nearest proxy, and
the client is named in `X-Forwarded-For`. Each proxy appends the address it received the
request from, so only the last `TRUSTED_PROXY_COUNT` entries were written by proxies we
run; everything to their left was sent by the client and may be forged. With
`TRUSTED_PROXY_COUNT = 0` (the default: no proxy) the header is ignored entirely.

Used by the login lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`), the feedback rate limit,
the API throttle and the audit trail (`ClientAddressAuditlogMiddleware`), so that none of
them can be fooled by a header and none of them keys on the proxy.
"""

import ipaddress

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from rest_framework import metadata, throttling


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the entry `TRUSTED_PROXY_COUNT` places from the right of
    X-Forwarded-For, or the peer's address when no proxy is trusted (or the header is
    missing or malformed where the trusted proxies wrote it)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request came in by a shorter path; the leftmost entry
    # was still written by a proxy we trust.
    return _address(forwarded[-min(proxies, len(forwarded))]) or remote


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording `client_ip` instead of the first (forgeable)
    X-Forwarded-For entry."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request) or "unknown"


class MethodsOnlyMetadata(metadata.SimpleMetadata):
    """OPTIONS answers the view's name, methods and formats, without describing the write
    serializer (DRF builds it with `get_queryset()` outside any request scope, which failed
    with a 500 on the detail views); the OpenAPI schema at /api/v1/schema describes fields."""

    def determine_actions(self, request, view):
        return {}
